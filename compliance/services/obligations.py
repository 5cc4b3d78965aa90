"""The regulatory profile, Art. 6(3) claims and obligations (generated from tier and role,
then worked on by their owners)."""

from dataclasses import dataclass
from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import applicability
from compliance.choices import OPEN_STATUSES, ClaimOutcome, ObligationStatus
from compliance.models import (
    ApplicationDate,
    ExemptionClaim,
    Obligation,
    ObligationType,
    RegulatoryProfile,
)
from core.errors import ConflictError, ProhibitedPractice
from portfolio.choices import RiskTier
from portfolio.models import UseCase

PROHIBITED = (
    "An AI practice prohibited by Art. 5 of Regulation (EU) 2024/1689 cannot be made lawful "
    "by obligations: it is refused at submission and no gate, override or import moves it."
)
# The Art. 50 facts of the profile, asked one by one (each drives only its own duty).
TRANSPARENCY_FACTS = (
    "interacts_with_people",
    "generates_synthetic_content",
    "emotion_or_biometric",
    "deep_fake_or_public_text",
)
# Every fact of the profile besides the role and the Art. 27 scope.
PROFILE_FACTS = (*TRANSPARENCY_FACTS, "decides_about_people", "public_authority")


def _require(actor, perm: str, obj, message: str) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(message)


def _refuse_prohibited(use_case: UseCase) -> None:
    if use_case.risk_tier == RiskTier.UNACCEPTABLE:
        raise ProhibitedPractice(PROHIBITED)


def exemption_current(*, use_case_id: int) -> ExemptionClaim | None:
    """The latest Art. 6(3) claim of the use case (the one that decides)."""
    return (
        ExemptionClaim.objects.filter(use_case_id=use_case_id)
        .order_by("-claimed_at", "-id")
        .first()
    )


def facts_of(*, use_case: UseCase, profile: RegulatoryProfile) -> applicability.Facts:
    claim = exemption_current(use_case_id=use_case.pk)
    return applicability.Facts(
        tier=use_case.risk_tier,
        annex_iii=bool(use_case.risk_annex_iii_area),
        safety_component=bool(use_case.risk_safety_component),
        transparency=bool(use_case.risk_transparency_duty),
        role=profile.act_role,
        fria_scope=profile.fria_scope,
        exemption=claim is not None and claim.outcome == ClaimOutcome.ACCEPTED,
        interacts=profile.interacts_with_people,
        synthetic=profile.generates_synthetic_content,
        emotion_biometric=profile.emotion_or_biometric,
        deep_fake=profile.deep_fake_or_public_text,
        decides=profile.decides_about_people,
        public_authority=profile.public_authority,
    )


def regulatory_profile_check(*, use_case: UseCase, actor) -> None:
    """Refuse what ``regulatory_profile_record`` would refuse, without writing: someone who
    may not manage the use case (403), an Art. 5 prohibited practice (409)."""
    _require(actor, "compliance.manage_use_case", use_case, "You may not change this use case.")
    _refuse_prohibited(use_case)


@transaction.atomic
def regulatory_profile_record(
    *,
    use_case: UseCase,
    actor,
    act_role: str,
    fria_scope: bool = False,
    at: datetime | None = None,
    **facts,
) -> RegulatoryProfile:
    """Record (or change) the organisation's role under the Act and the facts that trigger
    duties (``PROFILE_FACTS``, the Art. 50 ones each asked on its own; one left out keeps its
    recorded answer), then the obligations.

    Refused for an Art. 5 prohibited practice (409 ``prohibited_practice``); an unknown fact
    is a 400 naming it.
    """
    unknown = set(facts) - set(PROFILE_FACTS)
    if unknown:
        raise ValidationError(
            {
                name: [f"Not a fact of the profile; the facts are {', '.join(PROFILE_FACTS)}."]
                for name in sorted(unknown)
            }
        )
    regulatory_profile_check(use_case=use_case, actor=actor)
    profile = RegulatoryProfile.objects.filter(use_case=use_case).first() or RegulatoryProfile(
        use_case=use_case
    )
    profile.act_role, profile.fria_scope = act_role, fria_scope
    for name, value in facts.items():
        setattr(profile, name, bool(value))
    profile.updated_by = actor if getattr(actor, "pk", None) else None
    profile.full_clean(exclude=["use_case"])
    profile.save()
    obligations_sync(use_case=use_case, at=at)
    return profile


@transaction.atomic
def exemption_claim(
    *,
    use_case: UseCase,
    actor,
    reasoning: str,
    profiles_people: bool,
    condition: str = "",
    at: datetime | None = None,
) -> ExemptionClaim:
    """Record a claim that an Annex III use case is not high risk (Art. 6(3)).

    The claim is kept whatever its outcome; one that cannot stand (profiling, not Annex III,
    a safety component, a prohibited practice) is recorded as refused with the reason, and
    the caller reports the refusal by its code. An accepted claim regenerates the obligations.
    """
    _require(actor, "compliance.manage_use_case", use_case, "You may not change this use case.")
    problems = {}
    if not (reasoning or "").strip():
        problems["reasoning"] = [_("Explain why the system poses no significant risk.")]
    if not condition:
        problems["condition"] = [
            _("Name the Art. 6(3) condition, (a) to (d), that the system meets.")
        ]
    if problems:
        raise ValidationError(problems)
    profile = RegulatoryProfile.objects.filter(use_case=use_case).first()
    refusal = applicability.exemption_refusal(
        tier=use_case.risk_tier,
        annex_iii=bool(use_case.risk_annex_iii_area),
        safety_component=bool(use_case.risk_safety_component),
        profiles_people=profiles_people,
        role=profile.act_role if profile is not None else None,
    )
    claim = ExemptionClaim(
        use_case=use_case,
        condition=condition,
        reasoning=reasoning.strip(),
        profiles_people=profiles_people,
        outcome=ClaimOutcome.ACCEPTED if refusal is None else ClaimOutcome.REFUSED,
        outcome_reason="" if refusal is None else f"{refusal.code}: {refusal.message}",
        claimed_by=actor if getattr(actor, "pk", None) else None,
        claimed_at=at or timezone.now(),
    )
    claim.full_clean(exclude=["use_case", "claimed_by"])
    claim.save()
    if refusal is None:
        obligations_sync(use_case=use_case, at=at)
    return claim


@transaction.atomic
def exemption_withdraw(
    *, use_case: UseCase, actor, reason: str, at: datetime | None = None
) -> ExemptionClaim:
    """Withdraw a standing exemption (a new row; the claim stays), then the obligations."""
    _require(actor, "compliance.manage_use_case", use_case, "You may not change this use case.")
    current = exemption_current(use_case_id=use_case.pk)
    if current is None or current.outcome != ClaimOutcome.ACCEPTED:
        raise ConflictError(_("No accepted Art. 6(3) claim stands."), code="no_exemption")
    claim = ExemptionClaim.objects.create(
        use_case=use_case,
        condition=current.condition,
        reasoning=current.reasoning,
        profiles_people=current.profiles_people,
        outcome=ClaimOutcome.WITHDRAWN,
        outcome_reason=reason,
        claimed_by=actor if getattr(actor, "pk", None) else None,
        claimed_at=at or timezone.now(),
    )
    obligations_sync(use_case=use_case, at=at)
    return claim


@dataclass(frozen=True)
class SyncResult:
    created: int
    reopened: int
    withdrawn: int


@transaction.atomic
def obligations_sync(*, use_case: UseCase, at: datetime | None = None) -> SyncResult:
    """Make the use case's obligations match the catalogue for its tier and role (idempotent).

    A duty that applies and is missing is created (owned by the outcome owner, due per
    ``due_date_for``); one that applies again is reopened; an open one that no longer applies
    is marked not applicable (never deleted). Met duties stay met. Without a profile, or for
    a prohibited practice, nothing applies.
    """
    at = at or timezone.now()
    # Locked: two syncs of the same use case run one after the other, never interleaved.
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    profile = RegulatoryProfile.objects.filter(use_case=use_case).first()
    wanted: dict[int, ObligationType] = {}
    facts = None
    if profile is not None and use_case.risk_tier != RiskTier.UNACCEPTABLE:
        facts = facts_of(use_case=use_case, profile=profile)
        for entry in ObligationType.objects.filter(active=True).select_related("application_date"):
            if applicability.applies(
                {"tiers": entry.tiers, "roles": entry.roles, "condition": entry.condition}, facts
            ):
                wanted[entry.pk] = entry
    dates = dict(ApplicationDate.objects.values_list("key", "applies_from"))
    existing = {o.obligation_type_id: o for o in Obligation.objects.filter(use_case=use_case)}
    created = reopened = withdrawn = 0
    for type_id, entry in wanted.items():
        current = existing.get(type_id)
        if current is None:
            key = applicability.date_key(entry.application_date.key, facts)
            Obligation.objects.create(
                use_case=use_case,
                obligation_type=entry,
                owner_id=use_case.outcome_owner_id,
                due_date=applicability.due_date_for(
                    applies_from=dates.get(key, entry.application_date.applies_from),
                    lead_days=entry.lead_days,
                    today=at.date(),
                ),
            )
            created += 1
        elif current.status == ObligationStatus.NOT_APPLICABLE:
            current.status = ObligationStatus.OPEN
            current.save(update_fields=["status", "updated_at"])
            reopened += 1
    gone = [
        o.pk
        for type_id, o in existing.items()
        if type_id not in wanted and o.status in OPEN_STATUSES
    ]
    if gone:
        withdrawn = Obligation.objects.filter(pk__in=gone).update(
            status=ObligationStatus.NOT_APPLICABLE, updated_at=at
        )
    return SyncResult(created=created, reopened=reopened, withdrawn=withdrawn)


OBLIGATION_FIELDS = frozenset({"owner", "status", "due_date", "evidence_link", "notes"})
SETTABLE_STATUSES = (ObligationStatus.OPEN, ObligationStatus.IN_PROGRESS, ObligationStatus.MET)


def obligation_check(*, obligation: Obligation, actor, changes: dict) -> None:
    """Refuse what ``obligation_update`` would refuse, without writing (the admin's form
    asks before it saves).

    The use case's managers and the obligation's owner may change it. Met needs evidence: a
    link or an attached document. A duty no longer applicable is the catalogue's to reopen.
    """
    _require(
        actor, "compliance.work_on_obligation", obligation, "You may not work on this obligation."
    )
    unknown = set(changes) - OBLIGATION_FIELDS
    if unknown:
        raise ValidationError(
            {name: [_("Not a field you can change.")] for name in sorted(unknown)}
        )
    if obligation.status == ObligationStatus.NOT_APPLICABLE:
        raise ConflictError(_("This obligation no longer applies."), code="not_applicable")
    status = changes.get("status", obligation.status)
    if status not in SETTABLE_STATUSES:
        raise ValidationError(
            {"status": [_("Choose one of %(values)s.") % {"values": ", ".join(SETTABLE_STATUSES)}]}
        )
    evidence_link = changes.get("evidence_link", obligation.evidence_link)
    if status == ObligationStatus.MET and not evidence_link and not obligation.attachments.exists():
        raise ValidationError(
            {"evidence_link": [_("Met needs evidence: a link or an attached document.")]}
        )


@transaction.atomic
def obligation_update(
    *, obligation: Obligation, actor, at: datetime | None = None, **changes
) -> Obligation:
    """Change an obligation's owner, status, due date, evidence link or notes (the rules are
    ``obligation_check``'s); met records when, any other status clears it."""
    obligation = (
        Obligation.objects.select_for_update().select_related("use_case").get(pk=obligation.pk)
    )
    obligation_check(obligation=obligation, actor=actor, changes=changes)
    if "due_date" in changes and changes["due_date"] != obligation.due_date:
        obligation.due_announced_at = None  # a new date comes due (and is announced) again
    for name, value in changes.items():
        setattr(obligation, name, value)
    if obligation.status == ObligationStatus.MET:
        obligation.met_at = obligation.met_at or at or timezone.now()
    else:
        obligation.met_at = None
    obligation.full_clean(exclude=["use_case", "obligation_type"])
    obligation.save()
    return obligation
