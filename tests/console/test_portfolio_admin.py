"""The portfolio admin: state never written, record never edited, executives read-only."""

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.choices import State
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.support.console import change_form_data


@pytest.fixture
def submitted(use_case, head):
    return services.use_case_submit(use_case=use_case, actor=head)


def test_posting_a_state_through_the_change_form_leaves_it_unchanged(client, admin_user, use_case):
    client.force_login(admin_user)
    url = reverse("admin:portfolio_usecase_change", args=[use_case.pk])
    data = change_form_data(client.get(url))
    data.update(state=State.PILOT, title="Renamed through the admin")

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    use_case.refresh_from_db()
    assert use_case.title == "Renamed through the admin"
    assert use_case.state == State.DRAFT


def test_state_is_not_a_field_on_add(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:portfolio_usecase_add"))
    assert "state" not in response.context["adminform"].form.fields


def test_transition_record_cannot_be_changed_or_deleted_even_by_a_superuser(client, submitted):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    record = TransitionRecord.objects.get(use_case=submitted)

    change = client.post(
        reverse("admin:portfolio_transitionrecord_change", args=[record.pk]), {"reason": "edited"}
    )
    delete = client.post(
        reverse("admin:portfolio_transitionrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    add = client.get(reverse("admin:portfolio_transitionrecord_add"))

    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    record = TransitionRecord.objects.get(pk=record.pk)
    assert record.reason == ""


def test_executive_reads_every_portfolio_list(client, executive, submitted):
    client.force_login(executive)
    for model in ("usecase", "transitionrecord", "metric", "department", "membership"):
        response = client.get(reverse(f"admin:portfolio_{model}_changelist"))
        assert response.status_code == 200, model


def test_executive_cannot_change_add_or_delete(client, executive, use_case):
    client.force_login(executive)
    change_url = reverse("admin:portfolio_usecase_change", args=[use_case.pk])

    view = client.get(change_url)
    post = client.post(change_url, {"title": "Executive edit"})
    add = client.get(reverse("admin:portfolio_usecase_add"))
    delete = client.post(reverse("admin:portfolio_usecase_delete", args=[use_case.pk]))

    assert view.status_code == 200
    assert not view.context["has_change_permission"]
    assert post.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    use_case.refresh_from_db()
    assert use_case.title != "Executive edit"


def test_executive_cannot_run_lifecycle_actions(client, executive, use_case):
    client.force_login(executive)
    client.post(
        reverse("admin:portfolio_usecase_changelist"),
        {"action": "submit", "_selected_action": [use_case.pk]},
    )
    use_case.refresh_from_db()
    assert use_case.state == State.DRAFT


def test_no_action_moves_a_use_case_forward(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:portfolio_usecase_changelist"))
    actions = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert {"submit", "hold", "resume", "kill", "retire"} <= actions
    assert not any("advance" in name or "pilot" in name for name in actions)


def test_submit_action_calls_the_service_and_records_it(client, admin_user, use_case):
    client.force_login(admin_user)
    client.post(
        reverse("admin:portfolio_usecase_changelist"),
        {"action": "submit", "_selected_action": [use_case.pk]},
    )
    use_case.refresh_from_db()
    assert use_case.state == State.SUBMITTED
    assert TransitionRecord.objects.filter(use_case=use_case, to_state=State.SUBMITTED).exists()


def test_kill_action_asks_for_a_reason_then_kills(client, admin_user, submitted):
    client.force_login(admin_user)
    url = reverse("admin:portfolio_usecase_changelist")

    ask = client.post(url, {"action": "kill", "_selected_action": [submitted.pk]})
    assert ask.status_code == 200
    assert {"reason", "lesson", "cause"} <= set(ask.context["form"].fields)
    assert UseCase.objects.get(pk=submitted.pk).state == State.SUBMITTED

    client.post(
        url,
        {
            "action": "kill",
            "_selected_action": [submitted.pk],
            "apply": "1",
            "reason": "No data.",
            "lesson": "Check the data exists before the pilot.",
            "cause": "data",
        },
    )
    record = TransitionRecord.objects.get(use_case=submitted, to_state=State.KILLED)
    assert record.reason == "No data."
    assert submitted.lesson.cause == "data"


def test_refused_action_reports_why(client, admin_user, use_case):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:portfolio_usecase_changelist"),
        {"action": "resume", "_selected_action": [use_case.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "not allowed" in text
    assert UseCase.objects.get(pk=use_case.pk).state == State.DRAFT


def test_csv_export_follows_the_filters_on_screen(client, executive, department, other_department):
    factories.UseCaseFactory(department=department, title="Claims triage")
    factories.UseCaseFactory(department=other_department, title="Campaign copy")
    client.force_login(executive)

    response = client.get(
        reverse("admin:portfolio_usecase_export") + f"?department__id__exact={department.pk}"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.getvalue().decode()
    assert body.splitlines()[0].startswith("Title,Department,State")
    assert "Claims triage" in body
    assert "Campaign copy" not in body


def test_use_case_list_filters_by_playbook_risk_and_origin(
    client, executive, department, other_department
):
    factories.UseCaseFactory(department=department, title="High risk", risk_annex_iii_area=True)
    factories.UseCaseFactory(department=department, title="Minimal")
    client.force_login(executive)

    response = client.get(reverse("admin:portfolio_usecase_changelist") + "?risk_tier__exact=high")

    titles = [uc.title for uc in response.context["cl"].result_list]
    assert titles == ["High risk"]
    filters = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"department", "state", "playbook", "risk tier", "origin"} <= filters


def test_use_case_changelist_query_count_does_not_grow(
    client, executive, department, django_assert_max_num_queries
):
    client.force_login(executive)
    url = reverse("admin:portfolio_usecase_changelist")
    factories.UseCaseFactory.create_batch(2, department=department)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    factories.UseCaseFactory.create_batch(10, department=department)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_executive_reads_every_registered_admin_list_and_adds_nothing(client, executive):
    from django.contrib import admin

    client.force_login(executive)
    index = client.get(reverse("admin:index"))
    listed = {
        (app["app_label"], model["object_name"].lower())
        for app in index.context["app_list"]
        for model in app["models"]
    }
    flywheel = [
        m for m in admin.site._registry if m._meta.app_label in ("portfolio", "gates", "governance")
    ]
    assert {(m._meta.app_label, m._meta.model_name) for m in flywheel} <= listed
    for model in flywheel:
        label, name = model._meta.app_label, model._meta.model_name
        assert client.get(reverse(f"admin:{label}_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:{label}_{name}_add")).status_code == 403, name
        model_admin = admin.site._registry[model]
        request = index.wsgi_request
        assert not model_admin.has_change_permission(request), name
        assert not model_admin.has_delete_permission(request), name


def test_executive_sees_the_export_link(client, executive, use_case):
    client.force_login(executive)
    body = client.get(reverse("admin:portfolio_usecase_changelist")).content.decode()
    assert "Export CSV" in body


def test_the_admin_shows_money_as_the_pages_do_and_exports_the_numbers(
    client, executive, department, settings
):
    """ "100000.00" reads "EUR 100,000" in the list and on the read-only page (the same
    helper as the web pages, the currency a setting); the CSV keeps the plain numbers."""
    use_case = factories.UseCaseFactory(
        department=department,
        title="Claims triage",
        build_cost="1234567.49",
        run_cost_yearly="20000.00",
        expected_benefit_yearly="240000.00",
        realised_benefit_yearly=None,
    )
    client.force_login(executive)

    listed = client.get(reverse("admin:portfolio_usecase_changelist")).content.decode()
    assert "EUR 1,234,567" in listed and "EUR 240,000" in listed
    assert "1234567.49" not in listed and "240000.00" not in listed
    # The admin's own styles (amounts on one line, right-aligned) and icon reach the page.
    assert "flywheel/admin.css" in listed and "flywheel/favicon.svg" in listed

    settings.FLYWHEEL_CURRENCY = "CHF"
    page = client.get(reverse("admin:portfolio_usecase_change", args=[use_case.pk]))
    body = page.content.decode()
    assert "CHF 1,234,567" in body and "CHF 20,000" in body and "CHF 240,000" in body
    assert "1234567.49" not in body
    # Payback with the two places the use case page shows: 1,234,567.49 x 12 / 220,000.
    assert "67.34" in body

    export = client.get(reverse("admin:portfolio_usecase_export")).getvalue().decode()
    header, row = export.splitlines()[:2]
    assert "Build cost" in header and "Expected benefit yearly" in header
    assert "1234567.49" in row and "240000.00" in row and "CHF" not in row


def test_the_admin_list_sorts_by_the_amount_not_its_text(client, executive, department):
    for title, cost in (("Small", "9000"), ("Large", "100000"), ("Middle", "20000")):
        factories.UseCaseFactory(department=department, title=title, build_cost=cost)
    client.force_login(executive)
    changelist = reverse("admin:portfolio_usecase_changelist")
    column = client.get(changelist).context["cl"].list_display.index("build_cost_shown")

    response = client.get(changelist, {"o": str(column)})

    assert [uc.title for uc in response.context["cl"].result_list] == ["Small", "Middle", "Large"]
