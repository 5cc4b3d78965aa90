"""Every write of components and incidents: components and their links to use cases, the
incident register (append-only, corrected by superseding rows), vendor assessments.
The CycloneDX import is in components.bom, the MLflow link and fetch in components.mlflow."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from components.choices import AssessmentStatus, ComponentKind
from components.clocks import clocks_of
from components.models import (
    AssessmentQuestion,
    Component,
    ComponentLink,
    Incident,
    VendorAssessment,
)
from core.errors import ConflictError
from core.events import Event, actor_of, events_publish
from gates.registry import re_review_request
from portfolio.models import UseCase
from portfolio.tasks import use_case_flags_refresh_on_commit

# Fields that belong to one kind only; refused (400 naming them) on a component of another kind.
KIND_FIELDS = {
    "vendor": {ComponentKind.MODEL, ComponentKind.DATASET, ComponentKind.AGENT},
    "model_card": {ComponentKind.MODEL},
    "model_card_url": {ComponentKind.MODEL},
    "source": {ComponentKind.DATASET},
    "personal_data": {ComponentKind.DATASET},
    "country": {ComponentKind.VENDOR},
    "contract": {ComponentKind.VENDOR},
    "dpa_signed": {ComponentKind.VENDOR},
    "tools": {ComponentKind.AGENT},
    "autonomy": {ComponentKind.AGENT},
}
EDITABLE = (
    "name",
    "version",
    "description",
    "owner",
    "licence",
    *KIND_FIELDS,
)


def _require(actor, perm: str, obj, message: str) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(message)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_kind_fields(kind: str, fields: dict) -> None:
    wrong = {
        name: f"Only a {' or '.join(sorted(k.label.lower() for k in kinds))} has this field."
        for name, kinds in KIND_FIELDS.items()
        if name in fields and fields[name] not in (None, "", [], {}) and kind not in kinds
    }
    if wrong:
        raise ValidationError(wrong)
    vendor = fields.get("vendor")
    if vendor is not None and vendor.kind != ComponentKind.VENDOR:
        raise ValidationError({"vendor": _("The vendor must be a component of kind vendor.")})


@transaction.atomic
def component_create(*, actor, kind: str, name: str, **fields) -> Component:
    """Register a model, dataset, vendor or agent (administrators and department heads)."""
    _require(
        actor,
        "components.add_component",
        None,
        "Only administrators and department heads register components.",
    )
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    _check_kind_fields(kind, fields)
    component = Component(kind=kind, name=name, **fields)
    if component.owner_id is None and _user(actor):
        component.owner = actor
    component.full_clean()
    component._change_reason = "created"
    component.save()
    return component


@transaction.atomic
def component_update(*, component: Component, actor, **fields) -> Component:
    """Change a component's fields (its owner or an administrator); the history keeps the old."""
    _require(
        actor,
        "components.change_component",
        component,
        "Only the component's owner or an administrator changes it.",
    )
    component = Component.objects.select_for_update().get(pk=component.pk)
    _check_kind_fields(component.kind, fields)
    for name, value in fields.items():
        setattr(component, name, value)
    component.full_clean()
    component._history_user = _user(actor)
    component.save()
    return component


@transaction.atomic
def component_link(
    *, actor, use_case: UseCase, component: Component, role: str, note: str = ""
) -> ComponentLink:
    """Link a component to a use case in a role (who manages the use case); 409 when that
    link exists already."""
    _require(
        actor,
        "components.link_use_case",
        use_case,
        "Only those who manage the use case link components to it.",
    )
    if ComponentLink.objects.filter(use_case=use_case, component=component, role=role).exists():
        raise ConflictError(
            _("'%(component)s' is already linked to this use case in the role '%(role)s'.")
            % {"component": component, "role": role},
            code="already_linked",
        )
    link = ComponentLink(
        use_case=use_case, component=component, role=role, note=note, created_by=_user(actor)
    )
    link.full_clean()
    link._history_user = _user(actor)
    link.save()
    return link


@transaction.atomic
def component_unlink(*, link: ComponentLink, actor) -> None:
    """Remove a link (the history keeps it)."""
    _require(
        actor,
        "components.link_use_case",
        link.use_case,
        "Only those who manage the use case unlink its components.",
    )
    link._history_user = _user(actor)
    link.delete()


# --- incidents -----------------------------------------------------------------------------

INCIDENT_FIELDS = (
    "title",
    "description",
    "occurred_at",
    "aware_at",
    "serious",
    "death",
    "widespread",
    "organisation_role",
    "authority_reported_at",
    "provider_informed_at",
)


def _check_incident_moments(values: dict, at: datetime) -> None:
    """Moments in the future, or awareness before the occurrence: 400 naming the field."""
    errors = {}
    for name in ("occurred_at", "aware_at", "authority_reported_at", "provider_informed_at"):
        moment = values.get(name)
        if moment is not None and moment > at:
            errors[name] = "This moment is in the future."
    occurred, aware = values.get("occurred_at"), values.get("aware_at")
    if "aware_at" not in errors and occurred and aware and aware < occurred:
        errors["aware_at"] = "Awareness cannot come before the incident occurred."
    for name in ("authority_reported_at", "provider_informed_at"):
        moment = values.get(name)
        if name not in errors and moment is not None and aware and moment < aware:
            errors[name] = "This cannot come before the organisation became aware."
    if errors:
        raise ValidationError(errors)


def _incident_event(
    incident: Incident, *, kind: str, title: str, summary: str, at, actor=None
) -> Event:
    return Event(
        type=kind,
        actor=actor_of(actor),
        title=title,
        summary=summary,
        data={
            "incident_number": incident.number,
            "incident_id": incident.pk,
            "use_case_id": incident.use_case_id,
            "serious": incident.serious,
            "aware_at": incident.aware_at.isoformat(),
            "clocks": [
                {
                    "duty": c.duty,
                    "article": c.article,
                    "due_at": c.due_at.isoformat(),
                    "status": c.status(at),
                }
                for c in clocks_of(incident)
            ],
        },
        path=f"/use-cases/{incident.use_case_id}/#incidents",
        department_id=incident.use_case.department_id,
        occurred_at=at,
    )


@transaction.atomic
def incident_report(*, actor, use_case: UseCase, at: datetime | None = None, **fields) -> Incident:
    """Report an incident on a use case (anyone who sees it).

    A serious one starts the Art. 73 clocks (components.clocks), is announced to webhook
    subscribers, and puts the use case up for re-review.
    """
    at = at or timezone.now()
    _require(actor, "components.report_incident", use_case, "You may not see this use case.")
    fields.setdefault("aware_at", at)
    _check_incident_moments(fields, at)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    number = (Incident.objects.filter(use_case=use_case).aggregate(n=Max("number"))["n"] or 0) + 1
    incident = Incident(
        use_case=use_case, number=number, reported_by=_user(actor), recorded_at=at, **fields
    )
    incident.full_clean()
    incident.save()
    events_publish(
        [
            _incident_event(
                incident,
                kind="incident_reported",
                title=f"{'Serious incident' if incident.serious else 'Incident'} on "
                f"{use_case.title}",
                summary=incident.title,
                at=at,
                actor=actor,
            )
        ]
    )
    if incident.serious:
        re_review_request(
            use_case=use_case,
            reason=f"serious incident {incident.number} ('{incident.title[:80]}')",
            at=at,
        )
    use_case_flags_refresh_on_commit(use_case_id=use_case.pk)
    return incident


@transaction.atomic
def incident_correct(
    *, incident: Incident, actor, reason: str, at: datetime | None = None, **changes
) -> Incident:
    """Correct an incident: a new row superseding the current one, with the reason; 409 when
    the row given was already corrected (correct the latest)."""
    at = at or timezone.now()
    _require(
        actor,
        "components.correct_incident",
        incident,
        "Only the reporter, those who manage the use case and administrators correct an incident.",
    )
    if not reason.strip():
        raise ValidationError({"reason": _("A correction says why.")})
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    if Incident.objects.filter(supersedes=current).exists():
        raise ConflictError(
            _("This row was already corrected; correct the latest row of the incident."),
            code="already_corrected",
            extra={
                "latest": Incident.objects.current()
                .get(number=current.number, use_case=current.use_case)
                .pk
            },
        )
    values = {name: getattr(current, name) for name in INCIDENT_FIELDS}
    values.update(changes)
    _check_incident_moments(values, at)
    corrected = Incident(
        use_case=current.use_case,
        number=current.number,
        reported_by=_user(actor),
        recorded_at=at,
        supersedes=current,
        correction_reason=reason,
        **values,
    )
    corrected.full_clean()
    corrected.save()
    if corrected.serious and not current.serious:
        re_review_request(
            use_case=current.use_case,
            reason=f"serious incident {corrected.number} ('{corrected.title[:80]}')",
            at=at,
        )
    use_case_flags_refresh_on_commit(use_case_id=current.use_case_id)
    return corrected


# --- vendor assessments --------------------------------------------------------------------


def assessment_score(*, answers: dict[int, bool], questions) -> Decimal:
    """The weighted share of questions answered yes, in percent, to two decimals."""
    total = sum(q.weight for q in questions)
    if not total:
        return Decimal("0")
    yes = sum(q.weight for q in questions if answers.get(q.pk))
    return (Decimal(100) * yes / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def vendor_assessment_record(
    *, vendor: Component, actor, answers: dict, note: str = "", at: datetime | None = None
) -> VendorAssessment:
    """Record a vendor's assessment (its owner or an administrator): every active question
    answered; passed when the score reaches FLYWHEEL_VENDOR_ASSESSMENT_PASS_SCORE."""
    at = at or timezone.now()
    if vendor.kind != ComponentKind.VENDOR:
        raise ValidationError({"vendor": _("Only a vendor is assessed.")})
    _require(
        actor,
        "components.assess_vendor",
        vendor,
        "Only the vendor's owner or an administrator assesses it.",
    )
    questions = list(AssessmentQuestion.objects.filter(active=True))
    if not questions:
        raise ConflictError(_("No assessment question is defined yet."), code="no_questions")
    try:
        answers = {int(k): bool(v) for k, v in answers.items()}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"answers": _("Answers are question id -> true or false.")}) from exc
    missing = [q.pk for q in questions if q.pk not in answers]
    unknown = sorted(set(answers) - {q.pk for q in questions})
    if missing or unknown:
        parts = []
        if missing:
            parts.append(
                _("Unanswered questions: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        if unknown:
            parts.append(_("Unknown questions: %(ids)s.") % {"ids": ", ".join(map(str, unknown))})
        raise ValidationError({"answers": " ".join(parts)})
    score = assessment_score(answers=answers, questions=questions)
    passed = score >= Decimal(str(settings.FLYWHEEL_VENDOR_ASSESSMENT_PASS_SCORE))
    assessment = VendorAssessment.objects.create(
        vendor=vendor,
        answers={str(k): v for k, v in answers.items()},
        score=score,
        passed=passed,
        assessed_by=_user(actor),
        assessed_at=at,
        note=note,
    )
    Component.objects.filter(pk=vendor.pk).noting(user=_user(actor), reason="assessed").update(
        assessment_status=AssessmentStatus.PASSED if passed else AssessmentStatus.FAILED
    )
    return assessment
