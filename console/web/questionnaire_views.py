"""Questionnaires on the use case page: each one the use case's stage has reached, its
standing answer and score, and the answer form for the person who answers (a plain form:
it works without JavaScript)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.typed_values import ValueType
from core.web.actions import report
from portfolio.selectors import use_case_visible_to
from questionnaires import selectors, services
from questionnaires.models import Questionnaire


def use_case_questionnaires_context(user, use_case) -> dict:
    """What the use case page shows of questionnaires (4 queries; people for a person
    question: 1 more)."""
    answers = selectors.answers_current(use_case_id=use_case.pk)
    cards, people = [], None
    for questionnaire in selectors.questionnaires_for(use_case):
        answer = answers.get(questionnaire.pk)
        values = answer.values if answer else {}
        questions = []
        for q in questionnaire.questions.all():
            if q.value_type == ValueType.PERSON and people is None:
                people = list(get_user_model().objects.filter(is_active=True).order_by("username"))
            value = values.get(q.key)
            questions.append({"question": q, "value": value, "chosen": _chosen(value)})
        cards.append(
            {
                "questionnaire": questionnaire,
                "answer": answer,
                "questions": questions,
                "may_answer": services.may_answer(user, questionnaire, use_case),
            }
        )
    return {"questionnaires": cards, "people": people or []}


def _chosen(value) -> list[str]:
    """The stored value as the strings a form compares with its options."""
    if value is None:
        return []
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


@login_required
@require_POST
def questionnaire_answer(request, pk, questionnaire_pk):
    """Answer (or answer again) a questionnaire for the use case."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_pk)
    values = {}
    for q in questionnaire.questions.all():
        if q.value_type == ValueType.CHOICES:
            values[q.key] = request.POST.getlist(q.key)
        else:
            values[q.key] = request.POST.get(q.key, "")
    replaces = request.POST.get("replaces", "")
    try:
        services.questionnaire_answer(
            actor=request.user,
            questionnaire=questionnaire,
            use_case=use_case,
            values=values,
            replaces=int(replaces) if replaces.isdigit() else None,
        )
    except (ValidationError, ApplicationError, PermissionDenied) as error:
        report(request, error)
    else:
        messages.success(request, _("%(name)s answered.") % {"name": questionnaire.name})
    return redirect(f"/use-cases/{use_case.pk}/#questionnaires")
