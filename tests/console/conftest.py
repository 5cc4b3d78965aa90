"""Helpers of the console tests: decided use cases (the board fixtures are shared)."""

import datetime as dt

from django.utils import timezone

from governance import services as governance_services
from tests import factories


def decided(department, head, chair, members, *, verdict="go", at=None):
    """A use case submitted, reviewed at G0 and decided by the whole board."""
    at = at or timezone.now() - dt.timedelta(days=3)
    use_case = factories.submitted(department, head, at=at - dt.timedelta(days=2))
    factories.ReadingFactory(metric=use_case.metrics.first(), measured_at=at)
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    for user in (chair, *members):
        governance_services.vote_cast(
            review=review, actor=user, choice=verdict, comment="Evidence holds.", at=at
        )
    governance_services.review_close(
        review=review,
        actor=chair,
        rationale="The board weighed the evidence.",
        lesson=factories.LESSON if verdict == "no_go" else None,
        at=at + dt.timedelta(hours=20),
    )
    return review
