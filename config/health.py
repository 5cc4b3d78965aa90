"""/health/: is the database answering, is the broker reachable. No authentication, no data.

200 when all is well; 503 naming what is down. In eager mode (no broker configured) the
broker is reported as "eager" and does not count as down.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database check failed")
        return "down"
    return "ok"


def broker_status() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or url.startswith("memory://"):
        return "eager"
    try:
        with Connection(url, connect_timeout=1, transport_options={"socket_timeout": 1}) as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
    except Exception:
        # Never the URL or the exception text in the answer: it may hold credentials.
        logger.warning("health: broker check failed", exc_info=True)
        return "down"
    return "ok"


@never_cache
@require_GET
def health(request):
    checks = {"database": database_status(), "broker": broker_status()}
    down = sorted(name for name, state in checks.items() if state == "down")
    body = {"status": "down" if down else "ok", "checks": checks, "down": down}
    return JsonResponse(body, status=503 if down else 200)
