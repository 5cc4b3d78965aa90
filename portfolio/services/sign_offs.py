"""Sign-offs of the definition of success, as each stage's steps configure them.

A stage needs the signatures its steps name; a stage without steps needs the sponsor and the
operator lead (the default). The sponsor and the operator lead sign in person, on the use
case; a role of the organisation (a data protection officer) is signed by any one of its
holders. Changing the definition withdraws every signature (portfolio.services.intake).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.events import Event, actor_of, events_publish
from portfolio.choices import TERMINAL_STATES
from portfolio.models import Notification, SignOff, UseCase
from portfolio.selectors_sign_offs import (
    PERSONAL,
    Step,
    sign_off_sentence,
    sign_off_status,
    steps_of,
)
from portfolio.services.notifications import notification_send
from portfolio.tasks import use_case_flags_refresh_on_commit


def _role_holders(role_id: int) -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__organisation_role__id=role_id, is_active=True)
        .order_by("pk")
    )


@transaction.atomic
def sign_off_request(*, use_case: UseCase, actor=None) -> list[Notification]:
    """Ask everyone who must sign the current definition of success and has not (the sponsor,
    the operator lead, the holders of each role the stage needs), with a link to the page
    where they do (on submission, and when the definition changes after it). ``actor``
    asked; a "sign-off requested" event per party goes to the subscribers (webhooks)."""
    pending = [s for s in sign_off_status(use_case=use_case) if s["pending"]]
    created, events = [], []
    for status in pending:
        people = _role_holders(status["role_id"]) if status["role_id"] else [status["person"]]
        people = [p for p in people if p is not None]
        if not people:
            continue
        created += notification_send(
            recipients=people,
            kind="sign_off_requested",
            subject=format_lazy(gettext_lazy("Sign-off requested: {title}"), title=use_case.title),
            body=sign_off_sentence(
                "request",
                status["party"],
                status["label"],
                title=use_case.title,
                definition=use_case.success_definition,
            ),
            use_case=use_case,
            link=f"/use-cases/{use_case.pk}/#sign-off",
        )
        events.append(
            Event(
                type="sign_off_requested",
                title=format_lazy(
                    gettext_lazy("Sign-off requested: {title}"), title=use_case.title
                ),
                summary=sign_off_sentence("asked", status["party"], status["label"]),
                data={
                    "use_case_id": use_case.pk,
                    "party": status["party"],
                    "signer_user_id": people[0].pk,
                },
                path=f"/use-cases/{use_case.pk}/#sign-off",
                department_id=use_case.department_id,
                actor=actor_of(actor),
            )
        )
    events_publish(events)
    return created


def sign_offs_withdraw(*, use_case: UseCase, at=None) -> None:
    """The definition changed: every signature given for the old text is withdrawn (the
    caller saves the use case's own two fields)."""
    use_case.sponsor_signed_off_at = None
    use_case.operator_signed_off_at = None
    SignOff.objects.filter(use_case=use_case, withdrawn_at__isnull=True).update(
        withdrawn_at=at or timezone.now()
    )


def _sign_as_role(*, actor, use_case: UseCase, step: Step) -> None:
    if not actor.groups.filter(organisation_role__id=step.role_id).exists():
        raise PermissionDenied(str(sign_off_sentence("only", step.party, step.label)))
    try:
        with transaction.atomic():
            SignOff.objects.create(
                use_case=use_case, role_id=step.role_id, signed_by=actor, signed_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("The %(role)s has already signed this definition of success.") % {"role": step.label},
            code="already_signed",
        ) from exc


@transaction.atomic
def use_case_sign_off(*, actor, use_case: UseCase, party: str) -> UseCase:
    """The sponsor or the operator lead signs the joint definition of success, in person; a
    role the stage needs is signed by one of its holders."""
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if use_case.state in TERMINAL_STATES:
        raise ConflictError(
            _("The use case is %(state)s; nothing about it changes any more.")
            % {"state": use_case.state},
            code="use_case_closed",
        )
    if not use_case.success_definition.strip():
        raise ValidationError({"success_definition": [_("There is no definition to sign yet.")]})
    roles = {s.party: s for s in steps_of(use_case.state, use_case.state_before_hold) if s.role_id}
    if party not in PERSONAL and party not in roles:
        allowed = ["sponsor", "operator", *roles]
        raise ValidationError(
            {"party": [_("Choose one of %(parties)s.") % {"parties": ", ".join(allowed)}]}
        )
    if party in roles:
        _sign_as_role(actor=actor, use_case=use_case, step=roles[party])
    else:
        signer = {"sponsor": use_case.sponsor_id, "operator": use_case.operator_lead_id}
        if signer[party] is None or signer[party] != actor.pk:
            raise PermissionDenied(str(sign_off_sentence("only", party)))
        setattr(use_case, f"{party}_signed_off_at", timezone.now())
        use_case._history_user = actor
        use_case._change_reason = f"signed off by the {party}"
        use_case.save(update_fields=[f"{party}_signed_off_at", "updated_at"])
    use_case_flags_refresh_on_commit(use_case_id=use_case.pk)
    events_publish(
        [
            Event(
                type="signed_off",
                title=format_lazy(
                    gettext_lazy("Definition of success signed: {title}"), title=use_case.title
                ),
                summary=sign_off_sentence(
                    "signed", party, roles[party].label if party in roles else ""
                ),
                data={"use_case_id": use_case.pk, "party": party},
                path=f"/use-cases/{use_case.pk}/#sign-off",
                department_id=use_case.department_id,
                actor=actor_of(actor),
            )
        ]
    )
    return use_case
