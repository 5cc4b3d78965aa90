"""Strict lists: every list endpoint of the URL resolver accepts exactly its documented query
parameters. Each documented filter filters (on the demo portfolio, a value that keeps some
rows and leaves others out), the OpenAPI schema lists the same parameters, and an unknown
parameter answers 400 naming it and the accepted ones."""

from datetime import timedelta
from io import StringIO

import django_filters
import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.models import Obligation
from core.api.filtering import FilterBackend, accepted_parameters
from governance.models import Board
from integrations.models import DeliveryStatus, EndpointKind, WebhookDelivery, WebhookEndpoint
from portfolio.models import Department, Flag, Notification, UseCase
from signin.models import ApiToken, GroupMapping

NOT_FILTERS = {"page", "format", "ordering"}
# Filters the demo portfolio (with the rows ``_vary`` adds) cannot show filtering: the list
# is empty there, or every row holds the same value. Each is still accepted (200) and listed
# in the schema. Pinned, so that a change in the data or the filters shows here.
UNEXERCISED = {
    # empty in the demo: attachments, exemption claims, delegations, rebaseline requests
    "/api/compliance/attachments/?current",
    "/api/compliance/attachments/?kind",
    "/api/compliance/attachments/?obligation_id",
    "/api/compliance/attachments/?use_case_id",
    "/api/compliance/exemption-claims/?outcome",
    "/api/compliance/exemption-claims/?use_case_id",
    "/api/delegations/?delegate_id",
    "/api/delegations/?delegator_id",
    "/api/rebaseline-requests/?kind",
    "/api/rebaseline-requests/?metric_id",
    "/api/rebaseline-requests/?requested_from",
    "/api/rebaseline-requests/?requested_to",
    "/api/rebaseline-requests/?use_case_id",
    # empty in the demo: it loads no components, links, incidents or vendor assessments
    # yet, so nothing tells their values apart here
    "/api/component-links/?component_id",
    "/api/component-links/?kind",
    "/api/component-links/?role",
    "/api/component-links/?use_case_id",
    "/api/components/?assessment_status",
    "/api/components/?kind",
    "/api/components/?owner_id",
    "/api/components/?personal_data",
    "/api/components/?q",
    "/api/components/?use_case_id",
    "/api/components/?vendor_id",
    "/api/incidents/?reported_by_id",
    # empty in the demo: it defines no questionnaire yet
    "/api/questionnaire-answers/?questionnaire",
    "/api/questionnaire-answers/?questionnaire_id",
    "/api/questionnaire-answers/?use_case_id",
    "/api/questionnaires/?key",
    "/api/questionnaires/?retired",
    "/api/questionnaires/?stage",
    "/api/incidents/?serious",
    "/api/incidents/?use_case_id",
    "/api/vendor-assessments/?passed",
    "/api/vendor-assessments/?vendor_id",
    # one value across the rows: one board, every seat active and voting, every recusal
    # automatic and of one member, every reading current (readings are append-only), one
    # period, the administrator sees their own tokens only, inactive people are not listed
    "/api/auth/tokens/?user_id",
    "/api/board-members/?active",
    "/api/board-members/?board_id",
    "/api/board-members/?is_voting",
    "/api/decisions/?board_id",
    "/api/people/?is_active",
    "/api/readings/?current",
    "/api/recusals/?automatic",
    "/api/recusals/?member_id",
    "/api/velocity/?period",
}


def list_endpoints() -> list[tuple[str, type]]:
    """(path, viewset class) of every list route the URL resolver serves under /api/."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                actions = getattr(pattern.callback, "actions", None) or {}
                if actions.get("get") == "list":
                    found.append((route, pattern.callback.cls))

    walk(get_resolver().url_patterns, "/")
    return sorted(
        (path.replace("^", "").replace("$", ""), cls)
        for path, cls in found
        if path.startswith("/api/") and "<" not in path and "(?P" not in path
    )


def _view(cls):
    view = cls()
    view.action = "list"
    view.format_kwarg = None
    return view


def _candidates(name: str, flt, model) -> list[str]:
    """Query values to try for a filter: its choices, both booleans, or values in the rows."""
    if isinstance(flt, django_filters.BooleanFilter):
        return ["true", "false"]
    choices = flt.extra.get("choices")
    if choices:
        return [str(value) for value, _ in choices]
    fields = [flt.field_name]
    if name == "q" and getattr(flt, "method", None):
        fields = list(getattr(flt.parent, "search_fields", ()))
    model_fields = {f.name for f in model._meta.get_fields()} | {
        f.attname for f in model._meta.concrete_fields
    }
    # A filter by method over a relation (a component's use_case_id, through its links) has
    # no column on the list's model to read values from.
    if isinstance(flt, django_filters.DateFilter) and flt.field_name.split("__")[0] in model_fields:
        # Every distinct day, in order, in the current time zone (as the filter reads them):
        # a sample of raw timestamps may miss the one row dated apart from the others.
        field = model._meta.get_field(flt.field_name.split("__")[0])
        rows = model._default_manager.order_by()
        if isinstance(field, models.DateTimeField):
            days = [d.date() for d in rows.datetimes(field.name, "day")]
        else:
            days = list(rows.dates(field.name, "day"))
        days = [d.isoformat() for d in days]
        return days[1:] + days[:1]
    # In the column's order: the database's own order of an unordered sample can leave out
    # the few rows the person sees (the administrator's two notifications among everyone's).
    rows = model._default_manager
    values = [
        v
        for field in fields
        if field and field.split("__")[0] in model_fields
        for v in rows.order_by(field).values_list(field, flat=True).distinct()[:50]
        if v not in (None, "")
    ]
    if name == "q":
        return [str(v)[:60] for v in values[:10]] + sorted({str(v)[:4] for v in values})[:10]
    return [str(v) for v in values]


@pytest.fixture
def demo(db, admin_user, department, other_department):
    call_command("load_demo", "--no-progress", stdout=StringIO())
    departments = list(Department.objects.order_by("id")[:2])
    hooks = [
        WebhookEndpoint.objects.create(
            name=f"Hook {n}",
            url=f"https://hooks.example.com/{n}",
            secret="s" * 32,
            event_types=["decision_made"],
            kind=kind,
            active=active,
            department=dept,
        )
        for n, (kind, active, dept) in enumerate(
            [(EndpointKind.SLACK, True, departments[0]), (EndpointKind.TEAMS, False, None)]
        )
    ]
    for n, (hook, status, event_type) in enumerate(
        [
            (hooks[0], DeliveryStatus.DELIVERED, "decision_made"),
            (hooks[1], DeliveryStatus.FAILED, "vote_cast"),
        ]
    ):
        WebhookDelivery.objects.create(
            endpoint=hook, event_id=f"e{n}", event_type=event_type, payload={}, status=status
        )
    hooks[1].board = Board.objects.first()
    hooks[1].save()
    _vary(admin_user, departments)
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def _vary(admin_user, departments) -> None:
    """Rows the demo holds with one value only, given a second one so their filters can
    show a row out."""
    now = timezone.now()
    earlier = now - timedelta(days=400)
    User = get_user_model()
    User.objects.filter(pk=User.objects.exclude(pk=admin_user.pk).order_by("id")[0].pk).update(
        is_active=False
    )
    UseCase.objects.filter(pk=UseCase.objects.order_by("id")[0].pk).update(created_at=earlier)
    first_flag = Flag.objects.order_by("id")[0]
    Flag.objects.filter(pk=first_flag.pk).update(raised_at=earlier, cleared_at=now)
    met, overdue = Obligation.objects.order_by("id")[:2]
    Obligation.objects.filter(pk=met.pk).update(status="met")
    Obligation.objects.filter(pk=overdue.pk).update(due_date=earlier.date())
    use_cases = list(UseCase.objects.order_by("id")[:2])
    for n, (kind, use_case, read_at) in enumerate(
        [("decision_made", use_cases[0], None), ("flag_raised", use_cases[1], now)]
    ):
        Notification.objects.create(
            recipient=admin_user, kind=kind, subject=f"n{n}", use_case=use_case, read_at=read_at
        )
    board = Board.objects.first()
    for n, (role, place) in enumerate(
        [("department_head", {"department": departments[0]}), ("board_member", {"board": board})]
    ):
        GroupMapping.objects.create(group=f"grp-{n}-staff", role=role, **place)
    for n, (user, revoked_at) in enumerate([(admin_user, None), (User.objects.first(), now)]):
        ApiToken.objects.create(
            user=user,
            name=f"t{n}",
            prefix=f"p{n}",
            digest=f"{n}" * 64,
            expires_at=now + timedelta(days=30),
            revoked_at=revoked_at,
        )


def test_every_list_accepts_exactly_its_documented_parameters(demo):
    schema = yaml.safe_load(demo.get("/api/schema/").content)
    endpoints = list_endpoints()
    assert len(endpoints) >= 30
    walked, unexercised = [], set()
    for path, cls in endpoints:
        view = _view(cls)
        accepted = accepted_parameters(view, cls.queryset)
        documented = {
            p["name"]
            for p in schema["paths"][path]["get"].get("parameters", [])
            if p["in"] == "query"
        }
        assert documented == set(accepted), path

        unknown = demo.get(path, {"departmnet_id": "1"})
        assert unknown.status_code == 400, path
        assert unknown.json() == {
            "code": "unknown_parameter",
            "message": "Unknown query parameter: departmnet_id.",
            "fields": {
                "departmnet_id": [f"Not a parameter of this list; accepted: {', '.join(accepted)}."]
            },
            "accepted": accepted,
        }

        total = demo.get(path).json()["count"]
        filterset = FilterBackend().get_filterset_class(view, cls.queryset)
        filters = filterset.base_filters if filterset else {}
        for name, flt in filters.items():
            flt.parent = filterset
            counts = []
            for value in _candidates(name, flt, filterset._meta.model):
                response = demo.get(path, {name: value})
                assert response.status_code == 200, (path, name, value, response.json())
                counts.append(response.json()["count"])
                if 0 < counts[-1] < total:
                    walked.append((path, name, value, counts[-1], total))
                    break
            else:
                unexercised.add(f"{path}?{name}")
    print("\n".join(f"{p}?{n}={v}: {c} of {t}" for p, n, v, c, t in walked))
    assert sorted(unexercised) == sorted(UNEXERCISED)
