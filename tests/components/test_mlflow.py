"""MLflow evidence at the gate against a real tracking server (`mlflow server` on a loopback
port, SQLite backend), with runs and a registered model created through MLflow's own client:
link, fetch, the criterion's verdict with the value, run and fetch time frozen into the
review's evidence; the server stopped: no data with the reason; garbage and a non-http URL:
an error on the link and nothing saved."""

from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from django.core.exceptions import ValidationError

from components import mlflow_client, services
from components.models import MlflowLink
from gates import services as gate_services
from gates.models import Criterion
from gates.selectors import criteria_set_current
from tests.support.components import api_as
from tests.support.gates import T0, in_pilot
from tests.support.ports import free_port

LABEL = "Accuracy of the linked model version at least 0.92"


@pytest.fixture
def model(admin_user):
    return services.component_create(actor=admin_user, kind="model", name="credit-risk-gbm")


@pytest.fixture
def pilot(department, head, default_criteria, model, admin_user):
    use_case = in_pilot(department, head)
    services.component_link(
        actor=admin_user, use_case=use_case, component=model, role="production_model"
    )
    g1 = criteria_set_current(gate="G1", playbook=use_case.playbook)
    Criterion.objects.create(
        criteria_set=g1,
        label=LABEL,
        measurable="mlflow_metric",
        metric_name="accuracy",
        comparator="at_least",
        threshold=Decimal("0.92"),
        kind="must",
    )
    return use_case


def mlflow_row(use_case, at=T0):
    review = gate_services.review_open(use_case=use_case, at=at)
    snapshot = review.snapshots.get()
    return review, next(row for row in snapshot.rows if row["label"] == LABEL)


def test_the_fetched_metric_decides_and_is_frozen_into_the_evidence(
    mlflow_server, registered, model, pilot, admin_user
):
    answer = api_as(admin_user).post(
        f"/api/components/{model.pk}/mlflow/",
        {
            "tracking_url": mlflow_server.url,
            "model_name": "credit-risk-gbm",
            "alias": "champion",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    link = answer.json()
    assert (link["resolved_version"], link["run_id"]) == (
        registered["version"],
        registered["run_id"],
    )
    assert link["metrics"] == {"accuracy": 0.934, "f1": 0.88}

    review, row = mlflow_row(pilot)

    # 0.934 >= 0.92: the must-meet criterion passes.
    assert (row["value"], row["outcome"]) == (0.934, "pass")
    source = row["sources"][0]
    assert (source["run_id"], source["metric"], source["value"]) == (
        registered["run_id"],
        "accuracy",
        "0.934",
    )
    assert source["fetched_at"] == MlflowLink.objects.get().fetched_at.isoformat()
    # Frozen: a later fetch of other figures does not change the review's evidence.
    MlflowLink.objects.filter(pk=MlflowLink.objects.get().pk).update(metrics={"accuracy": 0.5})
    assert review.snapshots.get().rows == review.snapshots.get().rows
    frozen = next(r for r in review.snapshots.get().rows if r["label"] == LABEL)
    assert frozen["value"] == 0.934


def test_a_threshold_above_the_metric_fails(mlflow_server, registered, model, pilot):
    mlflow_client.mlflow_link_set(
        component=model,
        actor=None,
        tracking_url=mlflow_server.url,
        model_name="credit-risk-gbm",
        version=registered["version"],
    )
    Criterion.objects.filter(label=LABEL).update(metric_name="f1")
    _, row = mlflow_row(pilot)
    # f1 = 0.88 < 0.92: fails.
    assert (row["value"], row["outcome"]) == (0.88, "fail")


def test_a_server_that_does_not_answer_is_no_data_with_the_reason(model, pilot):
    port = free_port()  # nothing listens there
    link = mlflow_client.mlflow_link_set(
        component=model,
        actor=None,
        tracking_url=f"http://127.0.0.1:{port}",
        model_name="credit-risk-gbm",
        version="1",
    )
    assert link.pk and link.metrics == {}
    assert "did not answer" in link.fetch_error
    _, row = mlflow_row(pilot)
    assert row["value"] is None
    assert "did not answer" in row["sources"][0]["reason"]


def test_the_stopped_server_turns_a_fetch_into_no_data(mlflow_server, registered, model, pilot):
    """The module's server is stopped here (the last test that needs it)."""
    link = mlflow_client.mlflow_link_set(
        component=model,
        actor=None,
        tracking_url=mlflow_server.url,
        model_name="credit-risk-gbm",
        version=registered["version"],
    )
    assert link.metrics == {"accuracy": 0.934, "f1": 0.88}
    mlflow_server.stop()

    link = mlflow_client.mlflow_fetch(link=link)

    assert (link.metrics, link.run_id) == ({}, "")
    assert "did not answer" in link.fetch_error
    _, row = mlflow_row(pilot)
    assert row["value"] is None
    assert "did not answer" in row["sources"][0]["reason"]


class Garbage(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>not MLflow</html>")

    def log_message(self, *args):
        pass


def test_garbage_or_a_non_http_url_is_an_error_on_the_link_and_nothing_is_saved(model):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ValidationError) as garbage:
            mlflow_client.mlflow_link_set(
                component=model,
                actor=None,
                tracking_url=f"http://127.0.0.1:{server.server_address[1]}",
                model_name="m",
                version="1",
            )
    finally:
        server.shutdown()
    assert "not JSON" in garbage.value.message_dict["tracking_url"][0]
    with pytest.raises(ValidationError) as scheme:
        mlflow_client.mlflow_link_set(
            component=model,
            actor=None,
            tracking_url="file:///etc/passwd",
            model_name="m",
            version="1",
        )
    assert list(scheme.value.message_dict) == ["tracking_url"]
    assert not MlflowLink.objects.exists()


def test_the_api_answers_400_on_the_field_for_a_bad_url(model, admin_user):
    answer = api_as(admin_user).post(
        f"/api/components/{model.pk}/mlflow/",
        {"tracking_url": "ftp://models.example", "model_name": "m", "version": "1"},
        format="json",
    )
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["tracking_url"]
