"""A model's registered version in an MLflow tracking server, read over MLflow's documented
REST API (plain HTTP, no MLflow client): the version (by number or alias), then its run's
metrics.

- GET /api/2.0/mlflow/model-versions/get?name=&version=  -> {"model_version": {"run_id", ...}}
- GET /api/2.0/mlflow/registered-models/alias?name=&alias= -> {"model_version": {...}}
- GET /api/2.0/mlflow/runs/get?run_id=                    -> {"run": {"data": {"metrics": [...]}}}

A server that does not answer is "no data" with the reason, kept on the link; an answer that
is not what MLflow sends is a clear error on the link, and nothing of the fetch is saved.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from components.choices import ComponentKind
from components.models import Component, MlflowLink

# What a link shows (API, admin): where it points and what the last fetch brought.
LINK_FIELDS = (
    "tracking_url",
    "model_name",
    "version",
    "alias",
    "resolved_version",
    "run_id",
    "metrics",
    "fetched_at",
    "fetch_error",
)


class Unreachable(Exception):
    """The server did not answer (refused, timed out, 5xx): no data, with the reason."""


class Garbage(Exception):
    """The server answered something that is not MLflow's answer."""


@dataclass(frozen=True)
class Fetched:
    version: str
    run_id: str
    metrics: dict


def tracking_url_check(url: str) -> str:
    """An http(s) URL with a host, without a trailing slash; 400 on ``tracking_url`` otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            {"tracking_url": _("The tracking server's URL must be http(s)://host.")}
        )
    return url.strip().rstrip("/")


def _get(base: str, path: str, params: dict) -> dict:
    try:
        response = requests.get(
            f"{base}{path}", params=params, timeout=settings.FLYWHEEL_MLFLOW_TIMEOUT
        )
    except requests.RequestException as exc:
        raise Unreachable(f"the tracking server did not answer ({type(exc).__name__})") from exc
    if response.status_code >= 500:
        raise Unreachable(f"the tracking server answered {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise Garbage(
            f"{path} answered {response.status_code} with something that is not JSON"
        ) from exc
    if not isinstance(body, dict):
        raise Garbage(f"{path} answered JSON that is not an object")
    if response.status_code >= 400:
        message = body.get("message") or body.get("error_code") or response.reason
        raise Garbage(f"{path} answered {response.status_code}: {message}")
    return body


def version_fetch(
    *, tracking_url: str, model_name: str, version: str = "", alias: str = ""
) -> Fetched:
    """The registered model version (by number or alias) and its run's latest metrics."""
    if alias:
        body = _get(
            tracking_url,
            "/api/2.0/mlflow/registered-models/alias",
            {"name": model_name, "alias": alias},
        )
    else:
        body = _get(
            tracking_url,
            "/api/2.0/mlflow/model-versions/get",
            {"name": model_name, "version": version},
        )
    model_version = body.get("model_version")
    if not isinstance(model_version, dict) or "version" not in model_version:
        raise Garbage("the answer has no model_version")
    run_id = model_version.get("run_id") or ""
    metrics = {}
    if run_id:
        run = _get(tracking_url, "/api/2.0/mlflow/runs/get", {"run_id": run_id}).get("run")
        if not isinstance(run, dict):
            raise Garbage("the run's answer has no run")
        for metric in (run.get("data") or {}).get("metrics") or ():
            if not isinstance(metric, dict) or "key" not in metric or "value" not in metric:
                raise Garbage("a metric of the run has no key or value")
            metrics[str(metric["key"])] = metric["value"]
    return Fetched(version=str(model_version["version"]), run_id=str(run_id), metrics=metrics)


def mlflow_link_set(
    *,
    component: Component,
    actor,
    tracking_url: str,
    model_name: str,
    version: str = "",
    alias: str = "",
    at: datetime | None = None,
) -> MlflowLink:
    """Link a model to a registered version (number or alias, one of them) and fetch it.

    A URL that is not http(s), or a server that answers garbage: 400 on the field, nothing
    saved. A server that does not answer: the link is saved with the reason (no data yet).
    """
    if actor is not None and not rules.has_perm("components.change_component", actor, component):
        raise PermissionDenied(_("Only the model's owner or an administrator links it to MLflow."))
    if component.kind != ComponentKind.MODEL:
        raise ValidationError({"component": _("Only a model is linked to an MLflow version.")})
    if bool(version) == bool(alias):
        raise ValidationError({"version": _("Give a version or an alias (one of them).")})
    tracking_url = tracking_url_check(tracking_url)
    fetched, error = None, ""
    try:
        fetched = version_fetch(
            tracking_url=tracking_url, model_name=model_name, version=version, alias=alias
        )
    except Unreachable as exc:
        error = str(exc)
    except Garbage as exc:
        raise ValidationError(
            {"tracking_url": _("Not an MLflow answer: %(exc)s.") % {"exc": exc}}
        ) from exc
    with transaction.atomic():
        link = MlflowLink.objects.filter(component=component).first() or MlflowLink(
            component=component
        )
        link.tracking_url, link.model_name, link.version, link.alias = (
            tracking_url,
            model_name,
            version,
            alias,
        )
        _apply(link, fetched, error, at or timezone.now())
        link.full_clean()
        link.save()
    return link


def _apply(link: MlflowLink, fetched: Fetched | None, error: str, at: datetime) -> None:
    link.fetched_at = at
    link.fetch_error = error
    link.resolved_version = fetched.version if fetched else ""
    link.run_id = fetched.run_id if fetched else ""
    link.metrics = fetched.metrics if fetched else {}


def mlflow_fetch(*, link: MlflowLink, at: datetime | None = None) -> MlflowLink:
    """Fetch the linked version's run metrics again (the job); any failure is kept as the
    reason and the metrics are cleared: stale figures are not evidence."""
    try:
        fetched, error = (
            version_fetch(
                tracking_url=link.tracking_url,
                model_name=link.model_name,
                version=link.version,
                alias=link.alias,
            ),
            "",
        )
    except (Unreachable, Garbage) as exc:
        fetched, error = None, str(exc)
    with transaction.atomic():
        _apply(link, fetched, error, at or timezone.now())
        link.save(
            update_fields=[
                "fetched_at",
                "fetch_error",
                "resolved_version",
                "run_id",
                "metrics",
                "updated_at",
            ]
        )
    return link
