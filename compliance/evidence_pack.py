"""Evidence packs: each clause or subcategory of a framework, what in Flywheel evidences it
for one use case (with links and dates), and the gaps.

The crosswalk rows (data) name a source key; ``SOURCES`` says how each source is read from
the records loaded once per pack (``load_records``: a fixed number of queries).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from compliance.choices import OPEN_STATUSES, AttachmentKind, Framework, ObligationStatus
from compliance.models import Attachment, CrosswalkEntry, ExemptionClaim, Obligation
from gates.choices import ReviewStatus
from gates.models import GateReview
from portfolio.choices import RiskTier
from portfolio.models import DataGap, Flag, Metric, MetricReading, TransitionRecord, UseCase


@dataclass(frozen=True)
class Item:
    label: str
    link: str = ""
    at: date | datetime | None = None
    # The evidence itself, readable without Flywheel: a link, or a document's name, version
    # and SHA-256 digest.
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetObligation:
    """A met obligation and its evidence, for an auditor who holds only the pack."""

    article: str
    title: str
    met_at: datetime | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PackRow:
    reference: str
    title: str
    evidence: str
    evidence_label: str
    explanation: str
    items: tuple[Item, ...]
    gap: str

    @property
    def evidenced(self) -> bool:
        return not self.gap


@dataclass(frozen=True)
class Pack:
    framework: str
    framework_label: str
    use_case_id: int
    use_case_title: str
    generated_at: datetime
    rows: tuple[PackRow, ...] = field(default_factory=tuple)
    met: tuple[MetObligation, ...] = field(default_factory=tuple)

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.gap)


@dataclass
class Records:
    use_case: UseCase
    profile: object | None
    claims: list
    obligations: list
    attachments: list
    metrics: list
    readings: list
    gaps: list
    reviews: list
    transitions: list
    flags: list


def load_records(*, use_case_id: int) -> Records:
    """Everything a pack reads for one use case (eleven queries, whatever the sizes)."""
    use_case = UseCase.objects.select_related("outcome_owner", "sponsor", "operator_lead").get(
        pk=use_case_id
    )
    profile = getattr(use_case, "regulatory_profile", None) if _has_profile(use_case) else None
    return Records(
        use_case=use_case,
        profile=profile,
        claims=list(ExemptionClaim.objects.filter(use_case_id=use_case_id)),
        obligations=list(
            Obligation.objects.filter(use_case_id=use_case_id)
            .exclude(status=ObligationStatus.NOT_APPLICABLE)
            .select_related("obligation_type", "owner")
        ),
        attachments=list(
            Attachment.objects.filter(use_case_id=use_case_id, superseded_by__isnull=True)
        ),
        metrics=list(Metric.objects.filter(use_case_id=use_case_id)),
        readings=list(
            MetricReading.objects.filter(metric__use_case_id=use_case_id)
            .select_related("metric")
            .order_by("-measured_at", "-id")[:20]
        ),
        gaps=list(DataGap.objects.filter(use_case_id=use_case_id)),
        reviews=list(
            GateReview.objects.filter(use_case_id=use_case_id).select_related("criteria_set")
        ),
        transitions=list(TransitionRecord.objects.filter(use_case_id=use_case_id)),
        flags=list(Flag.objects.filter(use_case_id=use_case_id)),
    )


def _has_profile(use_case: UseCase) -> bool:
    try:
        use_case.regulatory_profile  # noqa: B018 (one query, cached on the instance)
    except UseCase.regulatory_profile.RelatedObjectDoesNotExist:
        return False
    return True


def _link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _use_case_link(records: Records) -> str:
    return _link("portfolio-api:use-case-detail", records.use_case.pk)


def _register(r: Records):
    uc = r.use_case
    return [Item(f"{uc.title} ({uc.get_state_display()})", _use_case_link(r), uc.created_at)], (
        "" if uc.problem_statement else "No problem statement recorded."
    )


def _outcome_owner(r: Records):
    owner = r.use_case.outcome_owner
    if owner is None:
        return [], "No named outcome owner."
    return [
        Item(f"Outcome owner: {owner.get_full_name() or owner.username}", _use_case_link(r))
    ], ""


def _risk(r: Records):
    uc = r.use_case
    answers = (
        f"prohibited={uc.risk_prohibited_practice}, annex III={uc.risk_annex_iii_area}, "
        f"safety component={uc.risk_safety_component}, transparency={uc.risk_transparency_duty}"
    )
    missing = None in (
        uc.risk_prohibited_practice,
        uc.risk_annex_iii_area,
        uc.risk_safety_component,
        uc.risk_transparency_duty,
    )
    item = Item(
        f"Tier {RiskTier(uc.risk_tier).label} ({answers})", _use_case_link(r), uc.updated_at
    )
    return [item], "The four EU AI Act questions are not all answered." if missing else ""


def _profile(r: Records):
    if r.profile is None:
        return [], "No role under the AI Act recorded."
    items = [
        Item(
            f"Role: {r.profile.get_act_role_display()}",
            _link("compliance-api:regulatory-profile-detail", r.profile.pk),
            r.profile.updated_at,
        )
    ]
    items += [
        Item(
            f"Art. 6(3) claim {c.get_outcome_display().lower()}: {c.reasoning[:80]}",
            _link("compliance-api:exemption-claim-detail", c.pk),
            c.claimed_at,
        )
        for c in r.claims
    ]
    return items, ""


def document_evidence(a: Attachment) -> str:
    """A document as an auditor can find and check it: name, title, version and digest."""
    return (
        f"Document {a.original_name or a.title} ('{a.title}'), version {a.version}, "
        f"SHA-256 {a.sha256}"
    )


def obligation_evidence(o: Obligation, attachments) -> tuple[str, ...]:
    """The evidence of one obligation itself: its link and its current documents."""
    lines = [f"Link {o.evidence_link}"] if o.evidence_link else []
    lines += [document_evidence(a) for a in attachments if a.obligation_id == o.pk]
    return tuple(lines)


def _obligations(r: Records):
    if not r.obligations:
        return [], "No obligations generated (record the role under the Act)."
    items = [
        Item(
            f"{o.obligation_type.article} {o.get_status_display().lower()}, due {o.due_date}",
            _link("compliance-api:obligation-detail", o.pk),
            o.met_at or o.due_date,
            obligation_evidence(o, r.attachments) if o.status == ObligationStatus.MET else (),
        )
        for o in r.obligations
    ]
    still_open = sum(1 for o in r.obligations if o.status in OPEN_STATUSES)
    return items, f"{still_open} obligation(s) not met." if still_open else ""


def _documents(*kinds: str, what: str):
    def resolve(r: Records):
        items = [
            Item(
                f"{a.title} v{a.version} ({a.get_kind_display()})",
                _link("compliance:attachment-download", a.pk),
                a.uploaded_at,
                (document_evidence(a),),
            )
            for a in r.attachments
            if not kinds or a.kind in kinds
        ]
        return items, "" if items else f"No {what} attached."

    return resolve


def _human_oversight(r: Records):
    text = r.use_case.human_oversight.strip()
    if text:
        return [
            Item(f"Human oversight: {text[:100]}", _use_case_link(r), r.use_case.updated_at)
        ], ""
    if r.use_case.risk_tier == RiskTier.HIGH:
        return [], "High risk and no human oversight documented."
    return [Item("Not high risk: human oversight optional.", _use_case_link(r))], ""


def _business_metrics(r: Records):
    business = [m for m in r.metrics if m.kind == "business"]
    items = [
        Item(f"{m.name}: baseline {m.baseline}, target {m.target} {m.unit}", _use_case_link(r))
        for m in business
    ]
    return items, "" if items else "No business metric."


def _readings(r: Records):
    items = [
        Item(
            f"{reading.metric.name} = {reading.value}",
            _link("portfolio-api:reading-detail", reading.pk),
            reading.measured_at,
        )
        for reading in r.readings[:5]
    ]
    return items, "" if items else "No metric readings yet."


def _data_reality(r: Records):
    uc = r.use_case
    if not (uc.data_assumed and uc.data_existing):
        return [], "Data reality not documented."
    items = [Item("Assumed vs existing data recorded", _use_case_link(r), uc.updated_at)]
    items += [Item(f"Gap: {g.description}", _use_case_link(r)) for g in r.gaps]
    return items, ""


def _decisions(r: Records):
    items = [
        Item(
            f"{review.gate} review {review.get_status_display().lower()}",
            _use_case_link(r),
            review.decided_at or review.requested_at,
        )
        for review in r.reviews
        if review.status == ReviewStatus.DECIDED
    ]
    return items, "" if items else "No gate decision yet."


def _criteria(r: Records):
    items = [
        Item(
            f"{review.gate} judged by criteria {review.criteria_set}",
            _link("gates-api:criteria-set-detail", review.criteria_set_id),
            review.requested_at,
        )
        for review in r.reviews
    ]
    return items, "" if items else "No review has applied the gate criteria yet."


def _transitions(r: Records):
    items = [
        Item(
            f"{t.from_state} -> {t.to_state}",
            _link("portfolio-api:transition-detail", t.pk),
            t.at,
        )
        for t in r.transitions
    ]
    return items, "" if items else "No transition recorded yet."


def _flags(r: Records):
    items = [
        Item(
            f"{f.get_kind_display()} ({'open' if f.cleared_at is None else 'cleared'})",
            _link("portfolio-api:flag-detail", f.pk),
            f.raised_at,
        )
        for f in r.flags
    ]
    # Monitoring that raised nothing is still monitoring: no flags is not a gap.
    return items or [Item("Monitored by the flag jobs; none raised.")], ""


def _economics(r: Records):
    uc = r.use_case
    if None in (uc.build_cost, uc.run_cost_yearly, uc.expected_benefit_yearly):
        return [], "Costs and expected benefit not recorded."
    return [
        Item(
            f"Build {uc.build_cost}, run {uc.run_cost_yearly}/year, benefit "
            f"{uc.expected_benefit_yearly}/year",
            _use_case_link(r),
        )
    ], ""


def _training(r: Records):
    items, gap = _documents(AttachmentKind.TRAINING_RECORD, what="training record")(r)
    literacy = [o for o in r.obligations if o.obligation_type.code == "art4_ai_literacy"]
    items += [
        Item(
            f"Art. 4 AI literacy {o.get_status_display().lower()}",
            _link("compliance-api:obligation-detail", o.pk),
            o.met_at or o.due_date,
            obligation_evidence(o, r.attachments),
        )
        for o in literacy
        if o.status == ObligationStatus.MET
    ]
    return items, "" if items else gap


SOURCES: dict[str, tuple[str, Callable]] = {
    "register": ("Use case register entry", _register),
    "outcome_owner": ("Named outcome owner", _outcome_owner),
    "risk_classification": ("EU AI Act risk tier", _risk),
    "regulatory_profile": ("Role under the Act and Art. 6(3) claims", _profile),
    "obligations": ("Obligations with owners, status and due dates", _obligations),
    "impact_assessment": (
        "Impact assessment documents",
        _documents(AttachmentKind.IMPACT_ASSESSMENT, what="impact assessment"),
    ),
    "model_card": ("Model cards", _documents(AttachmentKind.MODEL_CARD, what="model card")),
    "contracts": ("Contracts", _documents(AttachmentKind.CONTRACT, what="contract")),
    "documents": ("Evidence documents", _documents(what="document")),
    "training_records": ("Training and AI literacy records", _training),
    "human_oversight": ("Human oversight", _human_oversight),
    "business_metrics": ("Business metrics", _business_metrics),
    "metric_readings": ("Metric readings", _readings),
    "data_reality": ("Data and infrastructure reality", _data_reality),
    "gate_decisions": ("Gate decisions", _decisions),
    "gate_criteria": ("Versioned gate criteria", _criteria),
    "transition_record": ("Append-only lifecycle record", _transitions),
    "flags": ("Monitoring flags", _flags),
    "economics": ("Costs and benefits", _economics),
}


def evidence_pack(*, use_case_id: int, framework: str, at: datetime | None = None) -> Pack:
    """The pack of one use case for one framework, from the crosswalk (data) and the records."""
    records = load_records(use_case_id=use_case_id)
    rows = []
    for line in CrosswalkEntry.objects.filter(framework=framework).order_by("position", "id"):
        label, resolve = SOURCES.get(line.evidence, (line.evidence, None))
        if resolve is None:
            items, gap = [], f"Unknown evidence source '{line.evidence}'."
        else:
            items, gap = resolve(records)
        rows.append(
            PackRow(
                reference=line.reference,
                title=line.title,
                evidence=line.evidence,
                evidence_label=label,
                explanation=line.explanation,
                items=tuple(items),
                gap=gap,
            )
        )
    return Pack(
        framework=framework,
        framework_label=Framework(framework).label,
        use_case_id=records.use_case.pk,
        use_case_title=records.use_case.title,
        generated_at=at or timezone.now(),
        rows=tuple(rows),
        met=met_obligations(records),
    )


def met_obligations(records: Records) -> tuple[MetObligation, ...]:
    """Every met obligation of the use case with the evidence itself (no query)."""
    return tuple(
        MetObligation(
            article=o.obligation_type.article,
            title=o.obligation_type.title,
            met_at=o.met_at,
            evidence=obligation_evidence(o, records.attachments),
        )
        for o in sorted(records.obligations, key=lambda o: (o.obligation_type.article, o.pk))
        if o.status == ObligationStatus.MET
    )
