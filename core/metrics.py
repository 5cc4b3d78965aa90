"""/metrics for Prometheus: django-prometheus' request, response and database figures, plus
gauges the apps contribute through ``gauge_source`` (job runs and failures, queue backlog,
pending jobs), read when Prometheus scrapes.

With FLYWHEEL_METRICS_TOKEN set, only ``Authorization: Bearer <token>`` is let in. Without
one, only a direct loopback request (no X-Forwarded-For, no trusted proxies configured): a
request relayed by a proxy on the same host is not taken for a local one.
"""

import hmac
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse
from django_prometheus.exports import ExportToDjangoView
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from core.background import background_counts

logger = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "::1"}
# name -> (help, reader returning a number or None when unknown)
_sources: dict[str, tuple[str, Callable[[], float | None]]] = {}


def gauge_source(name: str, help_text: str, reader: Callable[[], float | None]) -> None:
    """Expose ``reader()`` as the gauge ``flywheel_<name>`` on /metrics."""
    _sources[name] = (help_text, reader)


class FlywheelCollector:
    def collect(self) -> Iterable[GaugeMetricFamily]:
        counts = background_counts()
        yield GaugeMetricFamily(
            "flywheel_embedded_jobs_run",
            "Jobs run by this process's background thread (embedded mode).",
            value=counts["runs"],
        )
        yield GaugeMetricFamily(
            "flywheel_embedded_jobs_failed",
            "Jobs failed on this process's background thread (embedded mode).",
            value=counts["failures"],
        )
        yield GaugeMetricFamily(
            "flywheel_embedded_jobs_waiting",
            "Jobs waiting for this process's background thread (embedded mode).",
            value=counts["waiting"],
        )
        for name, (help_text, reader) in sorted(_sources.items()):
            try:
                value = reader()
            except Exception:  # a scrape must answer even when a source is down
                logger.warning("metrics: %s could not be read", name, exc_info=True)
                value = None
            if value is not None:
                yield GaugeMetricFamily(f"flywheel_{name}", help_text, value=value)

    def describe(self):
        return []


_collector = FlywheelCollector()
REGISTRY.register(_collector)


def metrics(request):
    token = getattr(settings, "FLYWHEEL_METRICS_TOKEN", "")
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token:
        allowed = hmac.compare_digest(supplied.encode(), token.encode())
    else:
        allowed = (
            request.META.get("REMOTE_ADDR") in LOOPBACK
            and "HTTP_X_FORWARDED_FOR" not in request.META
            and not getattr(settings, "FLYWHEEL_TRUSTED_PROXIES", 0)
        )
    if not allowed:
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return ExportToDjangoView(request)
