"""Reads of the questionnaires app: the questionnaires that apply, the current answers."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from portfolio.choices import STAGE_ORDER
from portfolio.selectors import use_case_visible_to
from portfolio.selectors_sign_offs import stage_of
from questionnaires.models import Answer, Question, Questionnaire


def questionnaire_list() -> QuerySet:
    """Questionnaires with their questions in order (2 queries)."""
    return Questionnaire.objects.select_related("role").prefetch_related(
        Prefetch("questions", Question.objects.order_by("position", "id"))
    )


def reached(use_case_stage: str | None, questionnaire_stage: str) -> bool:
    """The use case has reached the questionnaire's stage (it may be answered from then on)."""
    if use_case_stage is None:
        return False
    return STAGE_ORDER.index(use_case_stage) >= STAGE_ORDER.index(questionnaire_stage)


def answers_current(*, use_case_id: int, at: datetime | None = None) -> dict[int, Answer]:
    """questionnaire id -> the answer standing at ``at`` (the latest given by then; 1 query)."""
    answers = Answer.objects.filter(use_case_id=use_case_id).select_related("answered_by")
    if at is not None:
        answers = answers.filter(answered_at__lte=at)
    current: dict[int, Answer] = {}
    for answer in answers.order_by("answered_at", "id"):
        current[answer.questionnaire_id] = answer
    return current


def answer_visible_to(*, user) -> QuerySet:
    """Answers on the use cases the person may see."""
    return Answer.objects.filter(use_case__in=use_case_visible_to(user=user)).select_related(
        "questionnaire", "answered_by"
    )


def questionnaires_for(use_case) -> list[Questionnaire]:
    """The questionnaires in use whose stage the use case has reached (2 queries)."""
    stage = stage_of(use_case.state, use_case.state_before_hold)
    return [
        q for q in questionnaire_list().filter(retired_at__isnull=True) if reached(stage, q.stage)
    ]
