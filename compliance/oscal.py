"""A use case's obligations as OSCAL assessment results (OSCAL 1.x, JSON), built with the
models of compliance-trestle so that what we write is what the standard's tooling reads.

One result for the use case; one finding per applicable obligation (its target the duty's
code, satisfied when met, not satisfied otherwise); one observation per met obligation with
the evidence itself as relevant evidence (the link, or the document's name, version and
SHA-256). Identifiers of findings and observations are stable (UUID v5 of the records), so
two exports of the same state differ only in the document's own uuid and time.
"""

import uuid
from datetime import datetime

from django.utils import timezone
from trestle.oscal import OSCAL_VERSION, common
from trestle.oscal import assessment_results as ar

from compliance import evidence_pack
from compliance.choices import ObligationStatus
from compliance.services import catalogue_current

NAMESPACE = uuid.UUID("6f0b4c3e-9a0d-5d1e-8f5a-2c1b7d4e9a10")
PROP_NS = "urn:flywheel:compliance"
CATALOGUE_HREF = "#obligations-catalogue"


def _uuid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _evidence(o, attachments) -> list[common.RelevantEvidence]:
    found = []
    if o.evidence_link:
        found.append(common.RelevantEvidence(href=o.evidence_link, description="Evidence link"))
    found += [
        common.RelevantEvidence(
            description=evidence_pack.document_evidence(a),
            props=[
                common.Property(name="sha256", ns=PROP_NS, value=a.sha256),
                common.Property(name="version", ns=PROP_NS, value=str(a.version)),
            ],
        )
        for a in attachments
        if a.obligation_id == o.pk
    ]
    return found


def assessment_results(*, use_case_id: int, at: datetime | None = None) -> ar.AssessmentResults:
    """The OSCAL assessment results of one use case's obligations (a fixed number of queries:
    the evidence pack's records)."""
    at = at or timezone.now()
    records = evidence_pack.load_records(use_case_id=use_case_id)
    use_case = records.use_case
    catalogue = catalogue_current()
    observations, findings = [], []
    for o in sorted(records.obligations, key=lambda o: o.obligation_type.code):
        duty = o.obligation_type
        related = None
        if o.status == ObligationStatus.MET:
            observation_uuid = _uuid("observation", o.pk, o.met_at)
            observations.append(
                common.Observation(
                    uuid=observation_uuid,
                    title=f"{duty.article} met",
                    description=f"{duty.article} ({duty.title}) recorded as met.",
                    methods=[common.Methods.EXAMINE],
                    collected=o.met_at or at,
                    relevant_evidence=_evidence(o, records.attachments) or None,
                )
            )
            related = [common.RelatedObservation(observation_uuid=observation_uuid)]
        findings.append(
            common.Finding(
                uuid=_uuid("finding", o.pk),
                title=f"{duty.article}: {duty.title}",
                description=(
                    f"{duty.legal_act}, {duty.article}. Due {o.due_date.isoformat()} "
                    f"({duty.get_due_when_display().lower()}); status {o.get_status_display()}."
                ),
                props=[
                    common.Property(name="article", ns=PROP_NS, value=duty.article),
                    common.Property(name="due-date", ns=PROP_NS, value=o.due_date.isoformat()),
                    common.Property(name="status", ns=PROP_NS, value=o.status),
                ],
                target=common.FindingTarget(
                    type=common.FindingTargetTypeValidValues.objective_id,
                    target_id=duty.code,
                    title=duty.article,
                    status=common.ObjectiveStatus(
                        state=common.ObjectiveStatusStateValidValues.satisfied
                        if o.status == ObligationStatus.MET
                        else common.ObjectiveStatusStateValidValues.not_satisfied
                    ),
                ),
                related_observations=related,
            )
        )
    version = catalogue.version if catalogue else "unknown"
    return ar.AssessmentResults(
        uuid=str(uuid.uuid4()),
        metadata=common.Metadata(
            title=f"EU AI Act obligations of '{use_case.title}' (use case {use_case.pk})",
            last_modified=at,
            version=f"catalogue-{version}",
            oscal_version=OSCAL_VERSION,
            remarks=(
                f"Obligations catalogue version {version}"
                + (f", law last reviewed {catalogue.reviewed_on.isoformat()}" if catalogue else "")
                + "."
            ),
        ),
        import_ap=ar.ImportAp(href=CATALOGUE_HREF),
        results=[
            ar.Result(
                uuid=_uuid("result", use_case.pk),
                title=f"Obligations of {use_case.title}",
                description="Regulation (EU) 2024/1689 (AI Act) obligations, as amended.",
                start=use_case.submitted_at or use_case.created_at,
                end=at,
                reviewed_controls=common.ReviewedControls(
                    control_selections=[common.ControlSelection(include_all=common.IncludeAll())]
                ),
                observations=observations or None,
                findings=findings or None,
            )
        ],
    )


def assessment_results_json(*, use_case_id: int, at: datetime | None = None) -> str:
    """The document as OSCAL JSON (wrapped in its "assessment-results" root)."""
    return assessment_results(use_case_id=use_case_id, at=at).oscal_serialize_json(pretty=True)


def filename(use_case_id: int) -> str:
    return f"oscal-assessment-results-use-case-{use_case_id}.json"
