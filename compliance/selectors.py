"""Reads of the compliance app: role-scoped querysets, the use case's compliance block (for
the use case page), an owner's open duties (for the inbox) and the posture per department
(for the dashboard)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from compliance import applicability
from compliance.choices import OPEN_STATUSES, ClaimOutcome, ObligationStatus
from compliance.models import (
    Attachment,
    CrosswalkEntry,
    ExemptionClaim,
    Obligation,
    RegulatoryProfile,
)
from portfolio.choices import RiskTier
from portfolio.models import Department
from portfolio.selectors import use_case_visible_to


def obligation_visible_to(*, user) -> QuerySet:
    return Obligation.objects.filter(use_case__in=use_case_visible_to(user=user)).select_related(
        "use_case", "obligation_type", "obligation_type__application_date", "owner"
    )


def attachment_visible_to(*, user) -> QuerySet:
    return Attachment.objects.filter(use_case__in=use_case_visible_to(user=user)).select_related(
        "uploaded_by", "superseded_by"
    )


def profile_visible_to(*, user) -> QuerySet:
    return (
        RegulatoryProfile.objects.filter(use_case__in=use_case_visible_to(user=user))
        .select_related("use_case")
        .order_by("use_case_id")
    )


def claim_visible_to(*, user) -> QuerySet:
    return ExemptionClaim.objects.filter(
        use_case__in=use_case_visible_to(user=user)
    ).select_related("claimed_by")


def obligations_for_owner(*, user) -> QuerySet:
    """The open duties a person owns, soonest due first (for the inbox)."""
    return (
        Obligation.objects.filter(owner=user, status__in=OPEN_STATUSES)
        .select_related("use_case", "obligation_type")
        .order_by("due_date", "id")
    )


def crosswalk(*, framework: str | None = None) -> QuerySet:
    lines = CrosswalkEntry.objects.all()
    return lines.filter(framework=framework) if framework else lines


@dataclass(frozen=True)
class UseCaseCompliance:
    """What the use case page shows about compliance (see the template include
    ``compliance/_use_case_compliance.html``)."""

    use_case: object
    profile: RegulatoryProfile | None
    effective_tier: str
    claims: list
    exemption_stands: bool
    obligations: list
    attachments: list
    today: date

    @property
    def tier_label(self) -> str:
        return RiskTier(self.use_case.risk_tier).label

    @property
    def effective_tier_label(self) -> str:
        return RiskTier(self.effective_tier).label

    @property
    def overdue(self) -> list:
        return [
            o for o in self.obligations if o.status in OPEN_STATUSES and o.due_date < self.today
        ]


def use_case_compliance(*, use_case, today: date) -> UseCaseCompliance:
    """The compliance block of one (visible) use case, in five queries."""
    profile = RegulatoryProfile.objects.filter(use_case=use_case).first()
    claims = list(ExemptionClaim.objects.filter(use_case=use_case).select_related("claimed_by"))
    stands = bool(claims) and claims[-1].outcome == ClaimOutcome.ACCEPTED
    tier = use_case.risk_tier
    if profile is not None:
        tier = applicability.effective_tier(
            applicability.Facts(
                tier=use_case.risk_tier,
                annex_iii=bool(use_case.risk_annex_iii_area),
                safety_component=bool(use_case.risk_safety_component),
                transparency=bool(use_case.risk_transparency_duty),
                role=profile.act_role,
                exemption=stands,
            )
        )
    obligations = list(
        Obligation.objects.filter(use_case=use_case)
        .exclude(status=ObligationStatus.NOT_APPLICABLE)
        .select_related("obligation_type", "obligation_type__application_date", "owner")
        .order_by("due_date", "id")
    )
    attachments = list(
        Attachment.objects.filter(use_case=use_case).select_related("superseded_by", "uploaded_by")
    )
    return UseCaseCompliance(
        use_case=use_case,
        profile=profile,
        effective_tier=tier,
        claims=claims,
        exemption_stands=stands,
        obligations=obligations,
        attachments=attachments,
        today=today,
    )


def posture_by_department(*, today: date, department_ids=None) -> list[dict]:
    """Per department: applicable obligations, met, open, overdue and the posture (share
    met, percent; None with no obligations). One query."""
    applicable = ~Q(use_cases__obligations__status=ObligationStatus.NOT_APPLICABLE) & Q(
        use_cases__obligations__isnull=False
    )
    departments = Department.objects.all()
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
    rows = departments.annotate(
        total=Count("use_cases__obligations", filter=applicable),
        met=Count(
            "use_cases__obligations",
            filter=Q(use_cases__obligations__status=ObligationStatus.MET),
        ),
        still_open=Count(
            "use_cases__obligations",
            filter=Q(use_cases__obligations__status__in=OPEN_STATUSES),
        ),
        overdue=Count(
            "use_cases__obligations",
            filter=Q(
                use_cases__obligations__status__in=OPEN_STATUSES,
                use_cases__obligations__due_date__lt=today,
            ),
        ),
    ).order_by("name")
    return [
        {
            "department_id": d.pk,
            "department": d.name,
            "obligations": d.total,
            "met": d.met,
            "open": d.still_open,
            "overdue": d.overdue,
            "posture": round(100 * d.met / d.total, 1) if d.total else None,
        }
        for d in rows
    ]
