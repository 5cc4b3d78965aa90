"""Migration 0006 brings an installation from catalogue version 1 to version 2: run for real,
from the schema of 0004 with version 1's rows, then forward. Nothing recorded is lost: met
obligations keep their dates, a bundle becomes its parts with its evidence, open due dates
follow the Digital Omnibus dates with history and their owners told."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from compliance.migrations import _catalogue_v1 as catalogue_v1
from tests import factories

BEFORE = [("compliance", "0004_obligation_due_announced")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_version_1_rows_are_brought_to_version_2():
    from compliance.models import ObligationType as Current

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("compliance")
    # Version 2's longer conditions do not fit version 1's column (16 characters); the rows
    # are set back to version 1 below anyway.
    Current.objects.filter(condition__regex=r"^.{17,}$").update(condition="")
    old = migrate(BEFORE)
    # Version 1's rows as migration 0002 loads them (get_or_create): an earlier transactional
    # test may have flushed the tables, and the migration must find the rows it moves.
    import_module("compliance.migrations.0002_catalogue").load(old, None)
    try:
        owner = factories.UserFactory(username="owner-v1")
        department = factories.DepartmentFactory(name="Credit", slug="credit")
        UseCase = old.get_model("portfolio", "UseCase")
        ObligationType = old.get_model("compliance", "ObligationType")
        Obligation = old.get_model("compliance", "Obligation")
        Attachment = old.get_model("compliance", "Attachment")
        RegulatoryProfile = old.get_model("compliance", "RegulatoryProfile")
        ApplicationDate = old.get_model("compliance", "ApplicationDate")
        # The rows as version 1 shipped them (migrating back leaves data as it is).
        for key, _, applies_from, *_ in catalogue_v1.APPLICATION_DATES:
            ApplicationDate.objects.filter(key=key).update(
                applies_from=dt.date.fromisoformat(applies_from)
            )
        for spec in catalogue_v1.OBLIGATION_TYPES:
            ObligationType.objects.filter(code=spec["code"]).update(
                application_date=ApplicationDate.objects.get(key=spec["application_date"])
            )
        use_case = UseCase.objects.create(
            department_id=department.pk,
            title="Credit scoring",
            risk_annex_iii_area=True,
            risk_transparency_duty=True,
            outcome_owner_id=owner.pk,
        )
        RegulatoryProfile.objects.create(use_case_id=use_case.pk, act_role="both")
        generated = dt.date(2026, 8, 2)  # version 1's date for every high-risk duty

        def obligation(code, **fields):
            return Obligation.objects.create(
                use_case_id=use_case.pk,
                obligation_type=ObligationType.objects.get(code=code),
                owner_id=owner.pk,
                due_date=fields.pop("due_date", generated),
                **fields,
            )

        open_duty = obligation("art26_1_instructions")
        by_hand = obligation("art26_2_oversight", due_date=dt.date(2026, 9, 30))
        met = obligation(
            "art9_risk_management",
            status="met",
            evidence_link="https://grc.example.com/rm",
            met_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        )
        bundle = obligation(
            "art43_conformity",
            status="met",
            evidence_link="https://grc.example.com/ce",
            met_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC),
        )
        Attachment.objects.create(
            use_case_id=use_case.pk,
            obligation_id=bundle.pk,
            kind="other",
            title="Declaration and certificate",
            file="compliance/x/abc",
            original_name="doc.pdf",
            content_type="application/pdf",
            size=10,
            sha256="a" * 64,
            uploaded_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC),
        )
    finally:
        new = migrate(latest)

    Obligation = new.get_model("compliance", "Obligation")
    Attachment = new.get_model("compliance", "Attachment")
    History = new.get_model("compliance", "HistoricalObligation")
    Notification = new.get_model("portfolio", "Notification")
    due = lambda pk: Obligation.objects.get(pk=pk).due_date  # noqa: E731
    # Open and generated from 2 August 2026: follows Annex III to 2 December 2027.
    assert due(open_duty.pk) == dt.date(2027, 12, 2)
    assert History.objects.filter(
        id=open_duty.pk, history_change_reason__startswith="due 2026-08-02 -> 2027-12-02"
    ).exists()
    # Set by hand, and met: untouched.
    assert due(by_hand.pk) == dt.date(2026, 9, 30)
    assert due(met.pk) == generated
    assert Obligation.objects.get(pk=met.pk).evidence_link == "https://grc.example.com/rm"
    # The bundle is Art. 43 now; Art. 47 and Art. 48 carry its status, link and document.
    parts = Obligation.objects.filter(
        use_case_id=use_case.pk,
        obligation_type__code__in=["art43_conformity", "art47_declaration", "art48_ce_marking"],
    )
    assert sorted(p.obligation_type.article for p in parts) == ["Art. 43", "Art. 47", "Art. 48"]
    assert {(p.status, p.evidence_link) for p in parts} == {("met", "https://grc.example.com/ce")}
    assert (
        sorted(Attachment.objects.filter(obligation__in=parts).values_list("sha256", flat=True))
        == ["a" * 64] * 3
    )
    # The owner is told of each date that moved.
    assert (
        Notification.objects.filter(recipient_id=owner.pk, kind="obligation_date_moved").count()
        == Obligation.objects.filter(use_case_id=use_case.pk, due_date=dt.date(2027, 12, 2)).count()
    )
    # Version 1's transparency answer becomes the Art. 50(1) and 50(2) facts.
    profile = new.get_model("compliance", "RegulatoryProfile").objects.get(use_case_id=use_case.pk)
    assert (profile.interacts_with_people, profile.generates_synthetic_content) == (True, True)
    assert (profile.emotion_or_biometric, profile.deep_fake_or_public_text) == (False, False)
    assert new.get_model("compliance", "CatalogueVersion").objects.get().version == "2"
