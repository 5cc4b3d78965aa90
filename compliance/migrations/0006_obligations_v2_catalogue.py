"""Brings an installation's obligations catalogue from version 1 to version 2 (see
compliance.catalogue): the AI Act as amended by the Digital Omnibus on AI, one duty per
obligation.

- Dates of application: updated to version 2 (Annex III high-risk duties 2 December 2027,
  Annex I 2 August 2028), with their amending act, sources and what could not be verified.
- Duties: every shipped entry brought to version 2 (article, title, legal act, trigger,
  when due, date); the new ones created; the Art. 50(3)/(4) bundle retired.
- Bundled obligations become their parts (Art. 43 -> 43, 47, 48; Art. 50(3), 50(4) -> each),
  each part carrying the bundle's status, owner, due date, evidence link, notes and
  documents, with a history entry; the bundle itself is kept, as no longer applicable.
- Open obligations whose due date was generated from a date that moved follow it, with a
  history entry and their owner told; met ones are never touched.
- Profiles: version 1's single transparency answer becomes the Art. 50(1) and 50(2) facts.
"""

from datetime import date

from django.db import migrations
from django.utils import timezone

from compliance import applicability, application_dates, catalogue

OPEN = ("open", "in_progress")
SPLIT_REASON = "split from {article} (catalogue 2)"


def _route_v1(key: str, use_case) -> str:
    # Version 1 gave Annex I systems' high-risk duties the Art. 113(c) date.
    if key == "general" and use_case.risk_safety_component and not use_case.risk_annex_iii_area:
        if use_case.risk_tier == "high":
            return "annex_i_products"
    return key


def _route_v2(key: str, use_case) -> str:
    if key == applicability.ANNEX_III_DATE and (
        use_case.risk_safety_component and not use_case.risk_annex_iii_area
    ):
        return applicability.ANNEX_I
    return key


def upgrade(apps, schema_editor):
    ApplicationDate = apps.get_model("compliance", "ApplicationDate")
    ObligationType = apps.get_model("compliance", "ObligationType")
    Obligation = apps.get_model("compliance", "Obligation")
    HistoricalObligation = apps.get_model("compliance", "HistoricalObligation")
    Attachment = apps.get_model("compliance", "Attachment")
    CatalogueVersion = apps.get_model("compliance", "CatalogueVersion")
    Notification = apps.get_model("portfolio", "Notification")
    now = timezone.now()

    def remember(obligation, reason, kind="~"):
        fields = {
            f.attname: getattr(obligation, f.attname)
            for f in Obligation._meta.concrete_fields
            if f.attname not in ("due_announced_at", "updated_at")
        }
        HistoricalObligation.objects.create(
            **fields,
            history_date=now,
            history_type=kind,
            history_change_reason=reason[:100],
        )

    # What version 1 said, before anything changes.
    old_dates = dict(ApplicationDate.objects.values_list("key", "applies_from"))
    old_key_of = dict(ObligationType.objects.values_list("code", "application_date__key"))

    # 0. Version 1 asked one transparency question ("talks to people or generates content
    # they see?"): a yes becomes the two facts it asked about, Art. 50(1) and 50(2). Emotion
    # recognition, biometric categorisation and deep fakes were never asked: their duties
    # (the split Art. 50(3)/(4) bundle) stay until the profile answers them (then a sync
    # withdraws what does not apply).
    RegulatoryProfile = apps.get_model("compliance", "RegulatoryProfile")
    RegulatoryProfile.objects.filter(use_case__risk_transparency_duty=True).update(
        interacts_with_people=True, generates_synthetic_content=True
    )

    # 1. Dates of application.
    for row in application_dates.APPLICATION_DATES:
        fields = application_dates.date_fields(row)
        ApplicationDate.objects.update_or_create(key=fields.pop("key"), defaults=fields)
    dates = {d.key: d for d in ApplicationDate.objects.all()}
    new_dates = {key: d.applies_from for key, d in dates.items()}

    # 2. Duties.
    for spec in catalogue.OBLIGATION_TYPES:
        ObligationType.objects.update_or_create(
            code=spec["code"],
            defaults={**spec, "application_date": dates[spec["application_date"]], "active": True},
        )
    shipped = {spec["code"] for spec in catalogue.OBLIGATION_TYPES}
    ObligationType.objects.filter(code__in=set(catalogue.SPLITS) - shipped).update(active=False)
    types = {t.code: t for t in ObligationType.objects.all()}

    # 3. Bundles become their parts.
    for bundle_code, parts in catalogue.SPLITS.items():
        article = {"art43_conformity": "Art. 43, 47, 48"}.get(bundle_code, "Art. 50(3), 50(4)")
        for bundle in Obligation.objects.filter(obligation_type__code=bundle_code).exclude(
            status="not_applicable"
        ):
            documents = list(Attachment.objects.filter(obligation_id=bundle.pk))
            for code in parts:
                if code == bundle_code:
                    remember(bundle, f"now {types[code].article} only (catalogue 2)")
                    continue
                if Obligation.objects.filter(
                    use_case_id=bundle.use_case_id, obligation_type=types[code]
                ).exists():
                    continue
                part = Obligation.objects.create(
                    use_case_id=bundle.use_case_id,
                    obligation_type=types[code],
                    owner_id=bundle.owner_id,
                    status=bundle.status,
                    due_date=bundle.due_date,
                    evidence_link=bundle.evidence_link,
                    notes=bundle.notes,
                    met_at=bundle.met_at,
                )
                for document in documents:
                    Attachment.objects.create(
                        use_case_id=document.use_case_id,
                        obligation=part,
                        kind=document.kind,
                        title=document.title,
                        file=document.file.name,
                        original_name=document.original_name,
                        content_type=document.content_type,
                        size=document.size,
                        sha256=document.sha256,
                        version=document.version,
                        uploaded_by_id=document.uploaded_by_id,
                        uploaded_at=document.uploaded_at,
                    )
                remember(part, SPLIT_REASON.format(article=article), kind="+")
            if bundle_code not in parts:
                bundle.status = "not_applicable"
                bundle.save(update_fields=["status", "updated_at"])
                remember(bundle, f"split into its parts (catalogue 2): {', '.join(parts)}")

    # 4. Open obligations follow the dates that moved.
    moved = []
    for obligation in (
        Obligation.objects.filter(status__in=OPEN)
        .select_related("use_case", "obligation_type__application_date")
        .order_by("id")
    ):
        code = obligation.obligation_type.code
        if code not in old_key_of:
            continue  # created by this migration: its due date is its bundle's, moved below
        old_key = _route_v1(old_key_of[code], obligation.use_case)
        new_key = _route_v2(obligation.obligation_type.application_date.key, obligation.use_case)
        if old_key not in old_dates or new_key not in new_dates:
            continue
        new_due = applicability.due_date_moved(
            due=obligation.due_date,
            old_applies=old_dates[old_key],
            new_applies=new_dates[new_key],
        )
        if new_due is None:
            continue
        before = obligation.due_date
        obligation.due_date, obligation.due_announced_at = new_due, None
        obligation.save(update_fields=["due_date", "due_announced_at", "updated_at"])
        remember(obligation, f"due {before} -> {new_due}: Digital Omnibus on AI (catalogue 2)")
        moved.append((obligation, before))
    for part in Obligation.objects.filter(status__in=OPEN, created_at__gte=now).exclude(
        obligation_type__code__in=list(old_key_of)
    ):
        key = _route_v2(part.obligation_type.application_date.key, part.use_case)
        for bundle, parts in catalogue.SPLITS.items():
            if part.obligation_type.code in parts and bundle in old_key_of:
                new_due = applicability.due_date_moved(
                    due=part.due_date,
                    old_applies=old_dates[_route_v1(old_key_of[bundle], part.use_case)],
                    new_applies=new_dates[key],
                )
                if new_due is not None:
                    before = part.due_date
                    part.due_date = new_due
                    part.save(update_fields=["due_date", "updated_at"])
                    remember(part, f"due {before} -> {new_due}: Digital Omnibus on AI")
                    moved.append((part, before))
    for obligation, before in moved:
        if obligation.owner_id is None:
            continue
        Notification.objects.create(
            recipient_id=obligation.owner_id,
            kind="obligation_date_moved",
            subject=f"{obligation.obligation_type.article} for {obligation.use_case.title}: "
            f"now due {obligation.due_date:%d %B %Y}"[:200],
            body=f"The due date moved from {before:%d %B %Y} to {obligation.due_date:%d %B %Y}: "
            "the Digital Omnibus on AI changed the date of application (obligations catalogue "
            "version 2).",
            use_case_id=obligation.use_case_id,
            link=f"/use-cases/{obligation.use_case_id}/",
        )

    CatalogueVersion.objects.get_or_create(
        version=catalogue.VERSION,
        defaults={
            "reviewed_on": date.fromisoformat(application_dates.REVIEWED_ON),
            "notes": catalogue.VERSION_NOTES,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0005_obligations_v2_schema"),
        ("portfolio", "0012_money_and_measure_bounds"),
    ]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
