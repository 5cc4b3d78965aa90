"""The sign-off card of the use case page, and signing from it (the steps of the use case's
stage: the sponsor, the operator lead, roles of the organisation)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import roles_of
from core.web.actions import page_action
from portfolio import services
from portfolio.selectors import use_case_visible_to
from portfolio.selectors_sign_offs import sign_off_status


def sign_off_context(user, use_case) -> dict:
    """The sign-off card: who must sign at this stage, and what this person may sign."""
    status = sign_off_status(use_case=use_case)
    held = roles_of(user).organisation_roles
    return {
        "sign_offs": status,
        "sign_as": [
            str(s["party"])
            for s in status
            if s["pending"]
            and (
                s["role_id"] in held
                if s["role_id"]
                else s["person"] is not None and s["person"].pk == user.pk
            )
        ],
    }


@login_required
@require_POST
def sign_off(request, pk):
    """The sponsor, the operator lead or a holder of a role the stage needs signs the joint
    definition of success."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    return page_action(
        request,
        form=None,
        call=lambda _: services.use_case_sign_off(
            actor=request.user, use_case=use_case, party=request.POST.get("party", "")
        ),
        done=_("Signed off: the definition of success is agreed."),
        to=reverse("use-case-detail", args=[use_case.pk]),
    )
