"""Answering a questionnaire: typed values checked per question, the score, and one answer
at a time (an answer names the one it replaces; a second answer at the same moment, or one
replacing an answer already replaced, gets a 409)."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.roles import roles_of
from core.typed_values import choice_score, typed_value_clean
from portfolio.models import UseCase
from portfolio.selectors_sign_offs import stage_of
from questionnaires.choices import Answerer
from questionnaires.models import Answer, Questionnaire
from questionnaires.selectors import reached


def may_answer(user, questionnaire: Questionnaire, use_case: UseCase) -> bool:
    """The department head of the use case, or a holder of the named role."""
    roles = roles_of(user)
    if questionnaire.answered_by == Answerer.ROLE:
        return questionnaire.role_id in roles.organisation_roles
    return use_case.department_id in roles.heads


def answer_values_clean(questionnaire: Questionnaire, values: Mapping) -> tuple[dict, Decimal]:
    """Every answer checked against its question's type; the stored values and the score.
    A 400 names each question by its label and key."""
    questions = list(questionnaire.questions.all())
    known = {q.key for q in questions}
    errors = {
        key: [_("Not a question of %(name)s.") % {"name": questionnaire.name}]
        for key in sorted(set(values) - known)
    }
    stored, score = {}, Decimal(0)
    for question in questions:
        try:
            value = typed_value_clean(
                question.value_type, values.get(question.key), choices=question.choices
            )
        except ValidationError as exc:
            errors[question.key] = [f"{question.label} ({question.key}): {m}" for m in exc.messages]
            continue
        if value is None and question.required:
            errors[question.key] = [
                _("%(label)s (%(key)s): this question needs an answer.")
                % {"label": question.label, "key": question.key}
            ]
            continue
        if value is not None:
            stored[question.key] = value
            score += choice_score(question.value_type, value, question.choices)
    if errors:
        raise ValidationError(errors)
    return stored, score


@transaction.atomic
def questionnaire_answer(
    *,
    actor,
    questionnaire: Questionnaire,
    use_case: UseCase,
    values: Mapping,
    replaces: int | None = None,
    at=None,
) -> Answer:
    """Record the answers of a questionnaire for a use case.

    ``replaces`` is the answer the person saw (None for the first answer): if another answer
    was stored since, nothing is written and the caller gets a 409 naming the current one.
    """
    if questionnaire.retired_at is not None:
        raise ConflictError(_("This questionnaire is retired."), code="questionnaire_retired")
    stage = stage_of(use_case.state, use_case.state_before_hold)
    if not reached(stage, questionnaire.stage):
        raise ConflictError(
            _("%(name)s is answered from the %(stage)s stage on.")
            % {"name": questionnaire.name, "stage": questionnaire.get_stage_display()},
            code="stage_not_reached",
        )
    if not may_answer(actor, questionnaire, use_case):
        raise PermissionDenied(_("You may not answer this questionnaire for this use case."))
    stored, score = answer_values_clean(questionnaire, values)
    current = (
        Answer.objects.filter(questionnaire=questionnaire, use_case=use_case)
        .order_by("-answered_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if current != replaces:
        raise _answered_meanwhile(current)
    try:
        with transaction.atomic():
            return Answer.objects.create(
                questionnaire=questionnaire,
                use_case=use_case,
                answered_by=actor,
                answered_at=at or timezone.now(),
                stage=stage,
                values=stored,
                score=score,
                supersedes_id=current,
            )
    except IntegrityError as exc:
        raise _answered_meanwhile(current) from exc


def _answered_meanwhile(current: int | None) -> ConflictError:
    return ConflictError(
        _("The questionnaire was answered meanwhile; reload it and answer again."),
        code="answered_meanwhile",
        extra={"current_answer": current},
    )
