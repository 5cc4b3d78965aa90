"""Steps the governance tests share: request a review, vote, close."""

from governance import services
from portfolio.models import UseCase


def vote_all(review, seats, choice="go", comment="Evidence holds."):
    return [
        services.vote_cast(review=review, actor=seat.user, choice=choice, comment=comment)
        for seat in seats
    ]


def fresh(use_case) -> UseCase:
    return UseCase.objects.get(pk=use_case.pk)
