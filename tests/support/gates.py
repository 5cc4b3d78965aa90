"""Use cases walked to each gate through the services, at fixed moments (T0)."""

import datetime as dt

from governance import services as governance_services
from portfolio import services as portfolio_services
from portfolio.choices import ArtifactKind, ArtifactStatus
from portfolio.models import Metric, UseCase
from tests import factories

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def pass_gate(use_case, head, at):
    """Move a use case one stage forward by a real board decision (a one-member board)."""
    board = factories.BoardFactory(name="Gate test board")
    seat = board.members.first() or factories.BoardMemberFactory(board=board, is_chair=True)
    chair = seat.user
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    governance_services.vote_cast(review=review, actor=chair, choice="go", comment="Go.", at=at)
    governance_services.review_close(review=review, actor=chair, at=at, rationale="Test path.")
    return UseCase.objects.get(pk=use_case.pk)


def submitted(department, head, **fields):
    use_case = factories.UseCaseFactory(department=department, **fields)
    return portfolio_services.use_case_submit(
        use_case=use_case, actor=head, at=T0 - dt.timedelta(days=120)
    )


def in_pilot(department, head, *, entered=None, **fields):
    use_case = submitted(department, head, **fields)
    return pass_gate(use_case, head, entered or T0 - dt.timedelta(days=60))


def ready_for_g1(use_case, head, *, readings_every=7, reached=6.5):
    metric = Metric.objects.get(use_case=use_case, kind="business")
    for i, value in enumerate([9, 8, 7, reached]):
        factories.ReadingFactory(
            metric=metric, value=value, measured_at=T0 - dt.timedelta(days=readings_every * (4 - i))
        )
    for kind in (ArtifactKind.SCALE_MEMO, ArtifactKind.INTEGRATION_PLAN):
        portfolio_services.artifact_save(
            actor=head, use_case=use_case, kind=kind, content="Done.", status=ArtifactStatus.FINAL
        )
