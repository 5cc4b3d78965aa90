"""CycloneDX ML-BOM import against BOMs of our own making that cyclonedx-python-lib's JSON
validator accepts (and one it rejects): tests/corpus/cyclonedx/NOTES.md works out what each
holds by hand."""

from pathlib import Path

import pytest
from django.core.management import call_command

from components import bom
from components.models import Component, ComponentLink
from tests import factories
from tests.support.components import upload_bom

CORPUS = Path(__file__).parents[1] / "corpus" / "cyclonedx"
SERIAL = "urn:uuid:6f3c1d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture
def published(department, head):
    return factories.submitted(department, head, title="Credit scoring")


def upload(user, name, **fields) -> dict:
    """The BOM uploaded through the API (202), its job run at commit; the job as read back."""
    return upload_bom(user, raw(name), name, **fields)


def test_the_library_accepts_our_boms_and_rejects_the_broken_one():
    assert bom.bom_parse(raw("credit-scoring-mlbom.json"))["serialNumber"] == SERIAL
    with pytest.raises(bom.BomError) as refused:
        bom.bom_parse(raw("invalid-data-type.json"))
    assert refused.value.bom_path == "$.components[1].data[0].type"
    assert "'spreadsheet' is not one of" in refused.value.bom_message


@pytest.mark.parametrize(
    "url",
    [
        "s3://bucket/claims/",
        "https://example.org/données/ü",  # an IRI, not a URI: decided by the library's parser
        "http://exa mple/",  # neither
        "http://[::1",  # neither
    ],
)
def test_the_fast_checks_give_the_librarys_own_verdicts(url):
    """components.bom_schema against cyclonedx-python-lib's JsonStrictValidator itself: the
    same errors (message and path) for a repeated component and for each URL."""
    import json

    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    from components.bom_schema import bom_validator

    document = json.loads(raw("credit-scoring-mlbom.json"))
    document["components"].append(document["components"][0])
    data = next(c for c in document["components"] if c["type"] == "data")
    data["data"][0]["contents"]["url"] = url
    library = JsonStrictValidator(SchemaVersion.V1_6).validate_str(
        json.dumps(document), all_errors=True
    )
    expected = sorted((e.data.message, e.data.json_path) for e in library)
    fast = sorted(
        (e.message, e.json_path) for e in bom_validator(SchemaVersion.V1_6).iter_errors(document)
    )
    assert fast == expected
    assert any("non-unique" in message for message, _ in fast)


def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(published, head):
    job = upload(head, "credit-scoring-mlbom.json", use_case=published.pk, dry_run=True)
    assert (job["status"], job["dry_run"], job["error"]) == ("done", True, {})
    report = job["report"]
    # 2 suppliers (Acme Models GmbH, Open Statistics Office), 1 model, 2 datasets; the
    # library component is not ML: skipped. Links: 2 providers + model + 2 datasets = 5.
    assert report["components"] == {"create": 5, "update": 0, "unchanged": 0}
    assert report["skipped_types"] == {"library": 1}
    assert report["links_added"] == 5
    assert not Component.objects.exists()


def test_the_import_creates_links_and_is_idempotent(published, head):
    first = upload(head, "credit-scoring-mlbom.json", use_case=published.pk)
    assert (first["status"], first["report"]["dry_run"]) == ("done", False)
    model = Component.objects.get(bom_ref="model-credit-gbm")
    assert (model.kind, model.version, model.licence, model.vendor.name) == (
        "model",
        "3.2.0",
        "Apache-2.0",
        "Acme Models GmbH",
    )
    assert model.model_card["modelParameters"]["task"] == "classification"
    loans = Component.objects.get(bom_ref="data-loans-2019-2024")
    macro = Component.objects.get(bom_ref="data-macro-indicators")
    assert (loans.personal_data, loans.source) == (True, "s3://acme-data/loans/2019-2024/")
    assert (macro.personal_data, macro.licence) == (False, "CC-BY-4.0")
    roles = dict(
        ComponentLink.objects.filter(use_case=published).values_list("component__bom_ref", "role")
    )
    assert roles == {
        "supplier:Acme Models GmbH": "provider",
        "supplier:Open Statistics Office": "provider",
        "model-credit-gbm": "production_model",
        "data-loans-2019-2024": "training_data",  # the model card's datasets name it
        "data-macro-indicators": "input_data",
    }
    again = upload(head, "credit-scoring-mlbom.json", use_case=published.pk)["report"]
    assert again["components"] == {"create": 0, "update": 0, "unchanged": 5}
    assert again["links_added"] == 0
    assert Component.objects.count() == 5
    # Version 2 of the same BOM moves the model to 3.3.0: one update, nothing new.
    later = upload(head, "credit-scoring-mlbom-v2.json", use_case=published.pk)["report"]
    assert later["components"] == {"create": 0, "update": 1, "unchanged": 4}
    model.refresh_from_db()
    assert model.version == "3.3.0"
    assert [h.history_type for h in model.history.order_by("history_id")] == ["+", "~"]


def test_an_invalid_bom_gets_the_400_body_with_the_validators_message_and_path(published, head):
    job = upload(head, "invalid-data-type.json", use_case=published.pk)
    assert (job["status"], job["report"]) == ("invalid", {})
    error = job["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["file"]
    (message,) = error["fields"]["file"]
    assert "'spreadsheet' is not one of" in message
    assert message.endswith("(at $.components[1].data[0].type)")
    assert error["path"] == "$.components[1].data[0].type"
    assert message == f"{error['validator_message']} (at {error['path']})"
    assert not Component.objects.exists()


def test_not_json_and_an_old_spec_are_refused(head):
    with pytest.raises(bom.BomError) as not_json:
        bom.bom_parse(b"{nope")
    assert not_json.value.bom_path == "$"
    with pytest.raises(bom.BomError) as old:
        bom.bom_parse(b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1}')
    assert old.value.bom_path == "$.specVersion"


def test_the_command_imports_with_a_dry_run(published, capsys):
    call_command(
        "import_mlbom",
        str(CORPUS / "credit-scoring-mlbom.json"),
        "--use-case",
        str(published.pk),
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert '"create": 5' in out
    assert not Component.objects.exists()
