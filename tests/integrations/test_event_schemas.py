"""Every event is documented and versioned: a JSON Schema per type in the repository and in
the served OpenAPI 3.1 ``webhooks``; every payload names its version and who acted.

The payloads are checked by a receiver written from docs/webhooks.md alone
(tests/webhook_receiver.py, its own process on a loopback port, no import of Flywheel): it
verifies each signature, validates each payload against the published schema of its type
and version, fails each delivery's first attempt on purpose (503, so Flywheel retries) and
de-duplicates on the delivery id. Driven through real decisions, flags, obligations and a
webhook that stopped."""

import datetime as dt
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.utils import timezone

from compliance import services as compliance_services
from compliance.models import ApplicationDate, Obligation
from compliance.watch import obligations_sweep
from components.services import incident_report
from core.events import event_types
from governance.services import review_request
from governance.services.board_flags import board_flags_refresh
from integrations import services as integration_services
from integrations import signing
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.schemas import event_schema, schema_path
from portfolio.services import flags, use_case_sign_off
from tests.support.compliance import use_case_with
from tests.support.receiver import retries_until_settled

ROOT = Path(__file__).parents[2]
SECRET = "process-receiver-secret-0123456789"
RATIONALE = "Accepted <!channel> & <http://x|y>"


class ProcessReceiver:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.url = process, f"http://127.0.0.1:{port}/hooks"

    def seen(self) -> dict:
        with urllib.request.urlopen(self.url.replace("/hooks", "/received"), timeout=5) as r:
            return json.load(r)

    def post(self, body: bytes, *, secret: str = SECRET, event_type: str = "decision_made"):
        timestamp = int(time.time())
        headers = {
            signing.SIGNATURE_HEADER: signing.signature(
                secret=secret, timestamp=timestamp, body=body
            ),
            signing.TIMESTAMP_HEADER: str(timestamp),
            "X-Flywheel-Event": event_type,
            "X-Flywheel-Delivery": "hand-made",
        }
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)


@pytest.fixture
def process_receiver():
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "webhook_receiver.py"),
            "--secret",
            SECRET,
            "--schemas",
            str(ROOT / "integrations" / "schemas"),
            "--fail-first",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("listening "), line
    yield ProcessReceiver(process, int(line.split()[1]))
    process.terminate()
    process.wait(timeout=10)


def test_every_registered_event_type_has_a_valid_published_schema():
    missing = [t.code for t in event_types() if not schema_path(t.code).exists()]
    assert missing == []
    for event_type in event_types():
        schema = event_schema(event_type.code)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["properties"]["type"] == {
            "const": event_type.code,
            **{"description": "The event type."},
        }
        assert {"version", "actor", "data"} <= set(schema["required"])


def test_the_served_schema_is_openapi_3_1_with_a_webhook_per_event(db, client):
    served = yaml.safe_load(client.get("/api/schema/").content)
    assert served["openapi"] == "3.1.0"
    assert set(served["webhooks"]) == {t.code for t in event_types()}
    operation = served["webhooks"]["decision_made"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = served["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["properties"]["data"] == event_schema("decision_made")["properties"]["data"]
    assert {p["name"] for p in operation["parameters"]} == {
        "X-Flywheel-Event",
        "X-Flywheel-Delivery",
        "X-Flywheel-Timestamp",
        "X-Flywheel-Signature",
    }


def test_the_receiver_refuses_a_bad_signature_and_a_payload_off_its_schema(process_receiver):
    good = {
        "id": "7c1d0a9e-0000-4000-8000-000000000001",
        "type": "decision_made",
        "version": 1,
        "actor": None,
        "occurred_at": "2026-12-07T17:00:00+00:00",
        "title": "t",
        "summary": "s",
        "link": "http://127.0.0.1:8240/reviews/9/",
        "department_id": 1,
        "board_id": 1,
        "data": {
            "decision_id": 1,
            "review_id": 1,
            "use_case_id": 1,
            "gate": "G0",
            "verdict": "go",
            "is_override": False,
        },
    }
    status, _ = process_receiver.post(json.dumps(good).encode(), secret="not the secret")
    assert status == 401
    without_actor = {k: v for k, v in good.items() if k != "actor"}
    status, answer = process_receiver.post(json.dumps(without_actor).encode())
    assert status == 422
    assert answer["errors"] == ["[]: 'actor' is a required property"]
    wrong_verdict = {**good, "data": {**good["data"], "verdict": "maybe"}}
    status, answer = process_receiver.post(json.dumps(wrong_verdict).encode())
    assert (status, len(answer["errors"])) == (422, 1)


@pytest.mark.django_db
def test_real_events_reach_a_receiver_written_from_the_docs(
    process_receiver,
    fast_webhooks,
    django_capture_on_commit_callbacks,
    board_flow,
    use_case,
    head,
    chair,
    members,
    department,
):
    WebhookEndpoint.objects.create(
        name="receiver process",
        url=process_receiver.url,
        secret=SECRET,
        event_types=[t.code for t in event_types()],
    )
    with django_capture_on_commit_callbacks(execute=True):
        review = board_flow(RATIONALE)
        use_case.refresh_from_db()
        use_case_sign_off(actor=use_case.sponsor, use_case=use_case, party="sponsor")
        decided_at = timezone.now()
        # A pilot untouched for 200 days raises flags; swept at its first day they clear.
        flags.flags_sweep(department_id=department.pk, at=decided_at + dt.timedelta(days=200))
        flags.flags_sweep(department_id=department.pk, at=decided_at + dt.timedelta(days=1))
        # A review open past the board's 48 h target flags the board; an hour in, it did not.
        waiting = review_request(use_case=use_case_with(department, head), actor=head)
        board_flags_refresh(at=waiting.requested_at + dt.timedelta(hours=49))
        board_flags_refresh(at=waiting.requested_at + dt.timedelta(hours=1))
        obligated = use_case_with(department, head, tier="limited")
        compliance_services.regulatory_profile_record(
            use_case=obligated, actor=head, act_role="deployer"
        )
        obligation = Obligation.objects.filter(use_case=obligated).first()
        compliance_services.obligation_update(
            obligation=obligation, actor=head, due_date=dt.date(2026, 9, 15)
        )
        obligations_sweep(at=dt.datetime(2026, 9, 17, 12, tzinfo=dt.UTC))
        # A date of application corrected: a high-risk deployer's open duties follow it.
        high = use_case_with(department, head, tier="high")
        compliance_services.regulatory_profile_record(
            use_case=high,
            actor=head,
            act_role="deployer",
            at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        )
        compliance_services.application_date_update(
            application_date=ApplicationDate.objects.get(key="annex_iii_high_risk"),
            actor=chair,
            applies_from=dt.date(2028, 1, 3),
        )
        # A deployer's serious incident: the Art. 73 report and informing the provider.
        aware = timezone.now() - dt.timedelta(hours=1)
        incident_report(
            actor=head,
            use_case=use_case,
            title="Wrong <!here> decisions & outage",
            occurred_at=aware,
            aware_at=aware,
            serious=True,
            organisation_role="deployer",
        )
    stopping = WebhookEndpoint.objects.create(
        name="stops", url="http://127.0.0.1:9/", secret=SECRET, event_types=["vote_cast"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(fast_webhooks.FLYWHEEL_WEBHOOK_DISABLE_AFTER):
            integration_services.endpoint_failed(endpoint_id=stopping.pk)
    retries_until_settled(rounds=20)

    seen = process_receiver.seen()
    assert [a for a in seen["attempts"] if a["verdict"] in {"bad signature", "invalid"}] == []
    accepted = {p["id"]: p for p in seen["accepted"]}
    sent = WebhookDelivery.objects.filter(endpoint__name="receiver process")
    assert set(accepted) == set(sent.values_list("event_id", flat=True))
    # Every delivery failed once on purpose (503) and was retried: two attempts each, one
    # payload accepted each.
    attempts = Counter(a["delivery"] for a in seen["attempts"])
    assert set(attempts.values()) == {2}
    assert set(sent.values_list("status", "attempts")) == {("delivered", 2)}
    kinds = Counter(p["type"] for p in accepted.values())
    assert set(kinds) == {t.code for t in event_types()}, kinds
    assert kinds["vote_cast"] == 1 + len(members)
    by_type = {p["type"]: p for p in accepted.values()}
    decided = by_type["decision_made"]
    assert decided["version"] == 1
    assert decided["summary"] == RATIONALE
    assert decided["actor"] == {
        "id": chair.pk,
        "username": chair.get_username(),
        "name": chair.get_full_name() or chair.get_username(),
    }
    assert decided["data"]["review_id"] == review.pk
    voters = {p["actor"]["id"] for p in accepted.values() if p["type"] == "vote_cast"}
    assert voters == {chair.pk, *(m.pk for m in members)}
    requested = [p for p in accepted.values() if p["type"] == "review_requested"]
    # The head asked for G0; the serious incident asked for a re-review (the system).
    assert {(p["data"]["purpose"], (p["actor"] or {}).get("id")) for p in requested} >= {
        ("advance", head.pk)
    }
    assert by_type["sign_off_requested"]["actor"]["id"] == head.pk
    assert by_type["signed_off"]["actor"]["id"] == use_case.sponsor_id
    assert by_type["flag_raised"]["actor"] is None
    assert by_type["obligation_due"]["actor"] is None
    assert by_type["webhook_disabled"]["data"]["endpoint_id"] == stopping.pk
    moved = by_type["obligation_date_moved"]
    assert moved["actor"]["id"] == chair.pk
    assert (moved["data"]["old_due_date"], moved["data"]["due_date"]) == (
        "2027-12-02",
        "2028-01-03",
    )
    reported = by_type["incident_reported"]
    assert reported["actor"]["id"] == head.pk
    assert reported["summary"] == "Wrong <!here> decisions & outage"
    assert reported["data"]["serious"] is True
    assert {c["article"] for c in reported["data"]["clocks"]} >= {"Art. 26(5)"}
