"""Creating and editing a use case's intake, its data gaps, artifacts and sign-offs."""

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.roles import EXECUTIVES_GROUP
from portfolio.choices import TERMINAL_STATES, ArtifactKind, ArtifactStatus, State
from portfolio.intake import GAP_FIELDS, INTAKE_FIELDS, LIVING_FIELDS
from portfolio.models import Artifact, DataGap, Department, MetricReading, UseCase
from portfolio.services.custom_fields import custom_answers_merge
from portfolio.services.sign_offs import sign_off_request, sign_offs_withdraw
from portfolio.tasks import use_case_flags_refresh_on_commit


def _require(perm: str, user, obj) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(_("You may not change this use case."))


def _require_open(use_case: UseCase) -> None:
    if use_case.state in TERMINAL_STATES:
        raise ConflictError(
            _("The use case is %(state)s; nothing about it changes any more.")
            % {"state": use_case.state},
            code="use_case_closed",
        )


def _flags_follow(use_case: UseCase) -> None:
    """Once the change commits, bring the use case's flags up to date: the intake's living
    fields, its data gaps and its artifacts are lines of the stall diagnostic (a new definition
    of success withdraws the sign-offs, a final scale memo turns the plan green). A draft has
    no flags."""
    if use_case.state != State.DRAFT:
        use_case_flags_refresh_on_commit(use_case_id=use_case.pk)


SPONSOR_NOT_EXECUTIVE = "The sponsor must be an executive."


def executives_among(user_ids) -> set[int]:
    """The ids of the given people who are executives (one query)."""
    return set(
        get_user_model()
        .objects.filter(pk__in=list(user_ids), groups__name=EXECUTIVES_GROUP)
        .values_list("pk", flat=True)
    )


def sponsor_check(*, sponsor, executive_ids: set[int] | None = None) -> None:
    """The sponsor is an executive: the person who answers for the investment. Every way in
    (API, pages, admin, import) checks it here; ``executive_ids`` saves the query when the
    caller (the import) looked the executives up in bulk. A person not yet created has no
    role, so is no executive."""
    if sponsor is None:
        return
    if executive_ids is None:
        executive_ids = executives_among([sponsor.pk]) if sponsor.pk else set()
    if sponsor.pk not in executive_ids:
        raise ValidationError({"sponsor": [SPONSOR_NOT_EXECUTIVE]}, code="sponsor_not_executive")


def _check_sponsor(use_case: UseCase) -> None:
    sponsor_check(sponsor=use_case.sponsor)


def _check_template(use_case: UseCase) -> None:
    template = use_case.template
    if template is None:
        return
    if template.pk == use_case.pk:
        raise ValidationError({"template": [_("A use case cannot be its own template.")]})
    # The state as stored, not as the caller's copy of the template remembers it.
    if UseCase.objects.filter(pk=template.pk, state=State.DRAFT).exists():
        raise ValidationError({"template": [_("A template must be a submitted use case.")]})


@transaction.atomic
def use_case_create(
    *, actor, department: Department, title: str, custom: dict | None = None, **intake
) -> UseCase:
    """Create a draft in a department the actor heads (or any, for administrators), with
    the answers to the organisation's own fields (``custom``, by key)."""
    _require("portfolio.create_use_case_in", actor, department)
    unknown = set(intake) - INTAKE_FIELDS
    if unknown:
        raise ValidationError({name: [_("Not an intake field.")] for name in sorted(unknown)})
    use_case = UseCase(department=department, title=title, created_by=actor, **intake)
    if custom:
        use_case.custom = custom_answers_merge(
            current={}, changes=custom, department_id=department.pk
        )
    use_case.validate()
    _check_sponsor(use_case)
    _check_template(use_case)
    use_case._history_user = actor
    use_case.save()
    return use_case


@transaction.atomic
def use_case_update(*, actor, use_case: UseCase, custom: dict | None = None, **changes) -> UseCase:
    """Edit the intake while draft; after submission only the living fields change. The
    answers to the organisation's own fields (``custom``, by key) change until the use case
    is closed: some are required only from a later stage on.

    Changing the definition of success withdraws every sign-off: they signed a different text.
    """
    _require("portfolio.manage_use_case", actor, use_case)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    _require_open(use_case)
    editable = INTAKE_FIELDS | LIVING_FIELDS if use_case.state == State.DRAFT else LIVING_FIELDS
    refused = set(changes) - editable
    if refused:
        unknown = refused - INTAKE_FIELDS - LIVING_FIELDS
        raise ValidationError(
            {
                name: [
                    "Not an intake field."
                    if name in unknown
                    else "Editable only while the use case is a draft."
                ]
                for name in sorted(refused)
            }
        )
    redefined = "success_definition" in changes and changes["success_definition"] != (
        use_case.success_definition
    )
    if redefined:
        sign_offs_withdraw(use_case=use_case)
    sponsor_before = use_case.sponsor_id
    for name, value in changes.items():
        setattr(use_case, name, value)
    if custom:
        use_case.custom = custom_answers_merge(
            current=use_case.custom or {}, changes=custom, department_id=use_case.department_id
        )
    use_case.validate()
    if use_case.sponsor_id != sponsor_before:
        _check_sponsor(use_case)
    _check_template(use_case)
    use_case._history_user = actor
    use_case.save()
    if redefined and use_case.state != State.DRAFT:
        sign_off_request(use_case=use_case, actor=actor)
    _flags_follow(use_case)
    return use_case


@transaction.atomic
def use_case_delete_draft(*, actor, use_case: UseCase) -> None:
    """Delete a draft; anything submitted stays, with its record."""
    _require("portfolio.manage_use_case", actor, use_case)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if use_case.state != State.DRAFT:
        raise ConflictError(_("Only drafts can be deleted; kill or retire it instead."))
    if MetricReading.objects.filter(metric__use_case=use_case).exists():
        raise ConflictError(
            _("This draft has metric readings; readings are evidence and stay on the record."),
            code="has_readings",
        )
    use_case.delete()


def _check_gap_fields(changes: dict) -> None:
    unknown = set(changes) - set(GAP_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Not a data gap field.")] for name in sorted(unknown)})


@transaction.atomic
def data_gap_create(*, actor, use_case: UseCase, description: str, **fields) -> DataGap:
    """Record a gap between what the plan assumes and what exists."""
    _require("portfolio.manage_use_case", actor, use_case)
    _require_open(use_case)
    _check_gap_fields(fields)
    gap = DataGap(use_case=use_case, description=description, **fields)
    gap.full_clean()
    gap._history_user = actor
    gap.save()
    _flags_follow(gap.use_case)
    return gap


@transaction.atomic
def data_gap_update(*, actor, gap: DataGap, **changes) -> DataGap:
    """Update a gap: its closing work, owner, commitment, whether it blocks production."""
    _require("portfolio.manage_use_case", actor, gap.use_case)
    _require_open(gap.use_case)
    _check_gap_fields(changes)
    for name, value in changes.items():
        setattr(gap, name, value)
    gap.full_clean()
    gap._history_user = actor
    gap.save()
    _flags_follow(gap.use_case)
    return gap


@transaction.atomic
def data_gap_delete(*, actor, gap: DataGap) -> None:
    """Remove a gap that no longer exists (closed gaps are simply deleted)."""
    _require("portfolio.manage_use_case", actor, gap.use_case)
    _require_open(gap.use_case)
    gap._history_user = actor
    gap.delete()
    _flags_follow(gap.use_case)


@transaction.atomic
def artifact_save(
    *,
    actor,
    use_case: UseCase,
    kind: ArtifactKind,
    content: str,
    status: ArtifactStatus = ArtifactStatus.DRAFT,
) -> Artifact:
    """Write the scale memo or integration plan (one of each per use case), draft or final."""
    _require("portfolio.manage_use_case", actor, use_case)
    _require_open(use_case)
    if status == ArtifactStatus.FINAL and not content.strip():
        raise ValidationError({"content": [_("A final artifact cannot be empty.")]})
    artifact = Artifact.objects.filter(use_case=use_case, kind=kind).first() or Artifact(
        use_case=use_case, kind=kind
    )
    artifact.content, artifact.status, artifact.updated_by = content, status, actor
    artifact.full_clean()
    artifact.save()
    _flags_follow(use_case)
    return artifact
