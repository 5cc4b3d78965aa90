"""The questionnaires' part of My actions: a questionnaire due at a use case's stage, for the
person who must answer it (the department head, or a holder of the named role)."""

from django.db.models import Q

from core.actions import Action
from portfolio.choices import State
from portfolio.models import UseCase
from questionnaires.choices import Answerer
from questionnaires.models import Answer, Questionnaire

KINDS = {"questionnaire_due": "Questionnaires to answer"}


def questionnaire_actions(user, roles) -> list[Action]:
    """Questionnaires due: the use case is at the questionnaire's stage and it has no answer
    yet (1 query when none is the person's to answer, 3 otherwise)."""
    mine = [
        q
        for q in Questionnaire.objects.filter(retired_at__isnull=True).order_by("pk")
        if (q.answered_by == Answerer.ROLE and q.role_id in roles.organisation_roles)
        or (q.answered_by == Answerer.DEPARTMENT_HEAD and roles.heads)
    ]
    if not mine:
        return []
    stages = {q.stage for q in mine}
    use_cases = UseCase.objects.filter(
        Q(state__in=stages) | Q(state=State.ON_HOLD, state_before_hold__in=stages)
    )
    if all(q.answered_by == Answerer.DEPARTMENT_HEAD for q in mine):
        use_cases = use_cases.filter(department_id__in=roles.heads)
    rows = use_cases.order_by("pk").values_list(
        "pk", "title", "state", "state_before_hold", "department_id"
    )
    answered = set(
        Answer.objects.filter(
            use_case__in=use_cases.values("pk"), questionnaire__in=[q.pk for q in mine]
        ).values_list("questionnaire_id", "use_case_id")
    )
    actions = []
    for pk, title, state, before_hold, department_id in rows:
        stage = before_hold if state == State.ON_HOLD else state
        for q in mine:
            if q.stage != stage or (q.pk, pk) in answered:
                continue
            if q.answered_by == Answerer.DEPARTMENT_HEAD and department_id not in roles.heads:
                continue
            actions.append(
                Action(
                    kind="questionnaire_due",
                    title=f"Answer '{q.name}' for '{title}'",
                    detail=f"Due at the {q.get_stage_display().lower()} stage.",
                    path=f"/use-cases/{pk}/#questionnaires",
                )
            )
    return actions
