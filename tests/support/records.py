"""Objects the API tests act on, made through the services (or factories for plain rows)."""

import datetime as dt

from governance import services as governance
from portfolio import services
from portfolio.choices import ArtifactKind, MetricKind
from portfolio.models import Flag, ForecastSnapshot, Lesson, Metric, VelocitySnapshot
from portfolio.models.velocity import FlagKind
from tests import factories


def business(use_case):
    return use_case.metrics.get(kind=MetricKind.BUSINESS)


def technical(use_case):
    return use_case.metrics.get(kind=MetricKind.TECHNICAL)


def reading_of(use_case):
    return factories.ReadingFactory(metric=business(use_case))


def gap_of(use_case):
    return factories.DataGapFactory(use_case=use_case)


def artifact_of(use_case):
    return services.artifact_save(
        actor=factories.administrator(username="artifact-writer"),
        use_case=use_case,
        kind=ArtifactKind.SCALE_MEMO,
        content="What made the pilot work.",
    )


def notification_for_head(w):
    return services.notification_send(
        recipients=[w.users["head"]], kind="test", subject="Hello", use_case=w.draft
    )[0]


def conditional_go(w):
    """``second`` through G0 with a conditional go: three votes, closed by the chair (once)."""
    if getattr(w, "decision", None) is not None:
        return w.decision
    review = governance.review_request(use_case=w.second, actor=w.users["head"])
    for role in ("chair", "board", "recused"):
        governance.vote_cast(
            review=review, actor=w.users[role], choice="conditional_go", comment="With care."
        )
    w.decision = governance.review_close(
        review=review,
        actor=w.users["chair"],
        verdict="conditional_go",
        rationale="Go, with the labelling done.",
        conditions=[{"text": "Label the claims.", "due_date": dt.date(2027, 1, 1)}],
    )
    return w.decision


def rebaseline_of(w):
    conditional_go(w)
    return governance.rebaseline_request(
        metric=Metric.objects.get(pk=business(w.second).pk),  # fresh: locked since G0
        actor=w.users["head"],
        baseline="8",
        target="5",
        reason="The baseline was measured in a quiet month.",
    )


def seat(w, role):
    return w.seats[role].pk


def flag_on(use_case):
    return Flag.objects.create(use_case=use_case, kind=FlagKind.STALE_METRICS, reason="Quiet.")


def lesson_of(use_case):
    return Lesson.objects.create(
        use_case=use_case, transition="kill", learned="Ask first.", cause="data"
    )


def forecast_of(use_case):
    return ForecastSnapshot.objects.create(
        scope=f"department:{use_case.department_id}",
        measure="intake",
        use_case=use_case,
        department_id=use_case.department_id,
        basis="department",
        n=3,
        days=12,
        low=10,
        high=14,
    )


def velocity_of(use_case):
    return VelocitySnapshot.objects.create(
        scope=f"department:{use_case.department_id}",
        measure="intake",
        use_case=use_case,
        department_id=use_case.department_id,
        value=12,
        label="first",
    )
