"""/metrics for Prometheus: request figures and Flywheel's own gauges; closed to anybody
who is not the local scraper or does not hold the token."""

import re

import pytest
from django.test import override_settings

from core.jobs import pending_job_record

pytestmark = pytest.mark.django_db


def gauge(body: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", body, re.M)
    assert match, f"{name} missing"
    return float(match.group(1))


def test_the_local_scraper_reads_requests_and_pending_jobs(client):
    pending_job_record(task_name="portfolio.tasks.velocity_recompute_all", kwargs={})
    pending_job_record(task_name="portfolio.tasks.flags_sweep_all", kwargs={})
    client.get("/health/")

    response = client.get("/metrics")

    body = response.content.decode()
    assert response.status_code == 200
    assert "django_http_requests_total_by_method_total" in body
    assert gauge(body, "flywheel_pending_jobs") == 2
    assert gauge(body, "flywheel_embedded_jobs_failed") >= 0


def test_eager_mode_has_no_broker_backlog_to_report(client):
    body = client.get("/metrics").content.decode()
    assert "flywheel_queue_backlog" not in body


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.5"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"},
        {"REMOTE_ADDR": ""},
    ],
)
def test_anybody_else_is_refused(client, meta):
    assert client.get("/metrics", **meta).status_code == 403


@override_settings(FLYWHEEL_METRICS_TOKEN="s3cret-scrape-token")
def test_with_a_token_only_its_holder_reads(client):
    holder = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token"
    )
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    local = client.get("/metrics")

    assert holder.status_code == 200
    assert (wrong.status_code, local.status_code) == (403, 403)
