"""One set of bounds for every interface (core.bounds): the API, the web forms and the admin
refuse the same values, one unit beyond each bound, with a message on the field, and accept
the bound itself. Money 0 to ten billion, measures a trillion either way, percentages 0-100,
text TEXT_MAX_LENGTH characters, digits 0-9 only; a 1 MB text is a 400, never a 500."""

from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.urls import get_resolver, reverse

from core.bounds import MEASURE_MAX, MONEY_MAX, TEXT_MAX_LENGTH, BoundedFormMixin
from portfolio.models import Metric, MetricReading, UseCase
from tests.support.clients import client_for
from tests.support.console import change_form_data

CENT = Decimal("0.01")
MEASURE_UNIT = Decimal("0.0001")
ARABIC_INDIC_123 = "\u0661\u0662\u0663"
NON_ASCII = "Write numbers with the digits 0-9."
MONEY_CASES = [
    (str(-CENT), False),
    ("0", True),
    (str(MONEY_MAX), True),
    (str(MONEY_MAX + CENT), False),
    (ARABIC_INDIC_123, False),
]
MEASURE_CASES = [
    (str(-MEASURE_MAX - MEASURE_UNIT), False),
    (str(-MEASURE_MAX), True),
    (str(MEASURE_MAX), True),
    (str(MEASURE_MAX + MEASURE_UNIT), False),
    ("\uff14", False),  # a full-width 4
]
TEXT_CASES = [(TEXT_MAX_LENGTH, True), (TEXT_MAX_LENGTH + 1, False)]
ONE_MEGABYTE = "x" * 1_048_576


# --- the web intake form --------------------------------------------------------------------


def draft_post(department, **fields) -> dict:
    return {
        "title": "Bounded idea",
        "department": department.pk,
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "gaps-TOTAL_FORMS": "0",
        "gaps-INITIAL_FORMS": "0",
        "save": "1",
        **fields,
    }


def web_intake(client, head, department, field, value):
    client.force_login(head)
    return client.post(reverse("use-case-new"), draft_post(department, **{field: value}))


def assert_web_outcome(response, field, accepted):
    stored = UseCase.objects.filter(title="Bounded idea").exists()
    if accepted:
        assert response.status_code == 302, response.context["form"].errors
        assert stored
    else:
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
        assert not stored


@pytest.mark.parametrize(("value", "accepted"), MONEY_CASES)
def test_web_intake_bounds_money(client, head, department, value, accepted):
    response = web_intake(client, head, department, "build_cost", value)
    assert_web_outcome(response, "build_cost", accepted)
    if value == ARABIC_INDIC_123:
        assert response.context["form"].errors["build_cost"] == [NON_ASCII]


@pytest.mark.parametrize(("value", "accepted"), [("100", True), ("100.01", False), ("-1", False)])
def test_web_intake_bounds_percentages(client, head, department, value, accepted):
    response = web_intake(client, head, department, "autonomy_share", value)
    assert_web_outcome(response, "autonomy_share", accepted)


@pytest.mark.parametrize(("length", "accepted"), TEXT_CASES)
def test_web_intake_bounds_free_text(client, head, department, length, accepted):
    response = web_intake(client, head, department, "problem_statement", "x" * length)
    assert_web_outcome(response, "problem_statement", accepted)
    if not accepted:
        assert response.context["form"].errors["problem_statement"] == [
            f"Ensure this field has no more than {TEXT_MAX_LENGTH} characters."
        ]


def test_web_intake_metric_rows_bound_measures(client, head, department):
    client.force_login(head)
    row = {
        "metrics-TOTAL_FORMS": "1",
        "metrics-0-kind": "business",
        "metrics-0-name": "Triage time",
        "metrics-0-unit": "days",
        "metrics-0-direction": "lower",
        "metrics-0-baseline": str(MEASURE_MAX + MEASURE_UNIT),
        "metrics-0-target": "\u0661",
        "metrics-0-cadence": "weekly",
    }
    response = client.post(reverse("use-case-new"), draft_post(department, **row))

    errors = response.context["metrics"].forms[0].errors
    assert errors == {
        "baseline": [f"Ensure this value is less than or equal to {MEASURE_MAX}."],
        "target": [NON_ASCII],
    }


def test_a_megabyte_of_text_through_a_web_form_is_a_400(client, head, department):
    response = web_intake(client, head, department, "problem_statement", ONE_MEGABYTE)
    assert response.status_code == 400
    assert not UseCase.objects.filter(title="Bounded idea").exists()


# --- the web reading form -------------------------------------------------------------------


@pytest.mark.parametrize(("value", "accepted"), MEASURE_CASES)
def test_web_reading_bounds_measures(client, head, use_case, value, accepted):
    metric = use_case.metrics.get(kind="business")
    client.force_login(head)
    response = client.post(
        reverse("reading-add", args=[use_case.pk]),
        {"metric": metric.pk, "value": value},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert MetricReading.objects.filter(metric=metric).exists() is accepted, shown
    if not accepted:
        assert shown.startswith("Value: ")


# --- the admin ------------------------------------------------------------------------------


def admin_change(client, admin_user, url, **fields):
    client.force_login(admin_user)
    data = change_form_data(client.get(url))
    data.update(fields)
    return client.post(url, data)


def assert_admin_outcome(response, field, accepted):
    if accepted:
        assert response.status_code == 302, response.context["adminform"].form.errors
    else:
        assert response.status_code == 200
        assert list(response.context["adminform"].form.errors) == [field]


def the_use_case(use_case):
    return use_case


def its_business_metric(use_case):
    return use_case.metrics.get(kind="business")


ADMIN_NUMBERS = [
    ("portfolio_usecase", the_use_case, "build_cost", MONEY_CASES),
    ("portfolio_metric", its_business_metric, "baseline", MEASURE_CASES),
]


@pytest.mark.parametrize(
    ("admin_name", "row_of", "field", "value", "accepted"),
    [
        (name, row_of, field, value, accepted)
        for name, row_of, field, cases in ADMIN_NUMBERS
        for value, accepted in cases
    ],
)
def test_admin_bounds_money_and_measures(
    client, admin_user, use_case, admin_name, row_of, field, value, accepted
):
    row = row_of(use_case)
    before = getattr(row, field)
    url = reverse(f"admin:{admin_name}_change", args=[row.pk])
    response = admin_change(client, admin_user, url, **{field: value})

    assert_admin_outcome(response, field, accepted)
    row.refresh_from_db()
    assert getattr(row, field) == (Decimal(value) if accepted else before)
    if not accepted and not value.isascii():
        assert response.context["adminform"].form.errors[field] == [NON_ASCII]


@pytest.mark.parametrize(("length", "accepted"), TEXT_CASES)
def test_admin_bounds_free_text(client, admin_user, use_case, length, accepted):
    url = reverse("admin:portfolio_usecase_change", args=[use_case.pk])
    response = admin_change(client, admin_user, url, problem_statement="x" * length)

    assert_admin_outcome(response, "problem_statement", accepted)
    use_case.refresh_from_db()
    assert (len(use_case.problem_statement) == length) is accepted


def test_a_megabyte_of_text_through_the_admin_is_a_400(client, admin_user, use_case):
    url = reverse("admin:portfolio_usecase_change", args=[use_case.pk])
    response = admin_change(client, admin_user, url, problem_statement=ONE_MEGABYTE)
    assert response.status_code == 400
    use_case.refresh_from_db()
    assert len(use_case.problem_statement) < TEXT_MAX_LENGTH


# --- the API (money, percentages, text, re-baselining: tests/core/test_strict_input.py) ------


@pytest.mark.parametrize(("value", "accepted"), MEASURE_CASES)
def test_api_bounds_measures(head, use_case, value, accepted):
    metric = use_case.metrics.get(kind="business")
    response = client_for(head).post("/api/readings/", {"metric": metric.pk, "value": value})
    assert (response.status_code == 201) is accepted, response.content
    if not accepted:
        assert list(response.json()["fields"]) == ["value"]


@pytest.mark.parametrize(("value", "accepted"), MEASURE_CASES[2:4])
def test_api_bounds_a_metrics_target(head, use_case, value, accepted):
    metric = use_case.metrics.get(kind="business")
    response = client_for(head).patch(f"/api/metrics/{metric.pk}/", {"target": value})
    assert (response.status_code == 200) is accepted, response.content
    if not accepted:
        assert list(response.json()["fields"]) == ["target"]
    assert (Metric.objects.get(pk=metric.pk).target == Decimal(value)) is accepted


def test_a_megabyte_of_text_through_the_api_is_a_400(head, use_case):
    response = client_for(head).patch(
        f"/api/use-cases/{use_case.pk}/", {"problem_statement": ONE_MEGABYTE}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"


# --- every form takes the bounds ------------------------------------------------------------

OUR_APPS = (
    "console",
    "compliance",
    "core",
    "gates",
    "governance",
    "integrations",
    "inventory",
    "portfolio",
    "reports",
    "signin",
)


def test_every_form_of_the_project_is_bounded():
    assert get_resolver().url_patterns  # imports every view, and so every form
    found, pending = [], list(forms.BaseForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in OUR_APPS:
            found.append(form)
    assert len(found) > 15
    assert [f.__qualname__ for f in found if not issubclass(f, BoundedFormMixin)] == []


def test_every_admin_change_form_is_bounded():
    admins = [a for a in admin.site._registry.values() if a.opts.app_label in OUR_APPS]
    assert len(admins) > 20
    assert [type(a).__name__ for a in admins if not issubclass(a.form, BoundedFormMixin)] == []


# --- ids written with other digits ("١٢" would find record 12) -----------------------------


def arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


@pytest.mark.parametrize("written", ["ascii", "arabic-indic"])
def test_api_refuses_an_id_written_with_other_digits(head, use_case, written):
    metric = use_case.metrics.get(kind="business")
    pk = str(metric.pk) if written == "ascii" else arabic_indic(metric.pk)
    response = client_for(head).post("/api/readings/", {"metric": pk, "value": "5"})
    assert response.status_code == (201 if written == "ascii" else 400), response.content
    if written != "ascii":
        assert response.json()["fields"] == {"metric": [NON_ASCII]}


@pytest.mark.parametrize("written", ["ascii", "arabic-indic"])
def test_web_form_refuses_an_id_written_with_other_digits(client, head, department, written):
    pk = str(department.pk) if written == "ascii" else arabic_indic(department.pk)
    client.force_login(head)
    response = client.post(reverse("use-case-new"), {**draft_post(department), "department": pk})
    assert_web_outcome(response, "department", accepted=written == "ascii")
    if written != "ascii":
        assert response.context["form"].errors["department"] == [NON_ASCII]
