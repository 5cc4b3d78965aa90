"""Department heads: my department, the intake form with per-field errors, readings, reviews."""

import pytest
from django.test import override_settings
from django.urls import reverse

from gates.models import GateReview
from portfolio.choices import State
from portfolio.models import MetricReading, UseCase
from tests import factories
from tests.factories import submitted


def intake_post(department, people, **overrides) -> dict:
    """A complete intake as the form posts it, with one business and one technical metric."""
    owner, sponsor, lead = people
    data = {
        "title": "Claims triage assistant",
        "department": department.pk,
        "problem_statement": "Claims wait nine days for triage.",
        "origin": "bottom_up",
        "outcome_owner": owner.pk,
        "owner_controls_resources": "yes",
        "data_assumed": "Five years of labelled claims.",
        "data_existing": "Three years in the warehouse.",
        "build_cost": "100000",
        "run_cost_yearly": "20000",
        "expected_benefit_yearly": "240000",
        "autonomy_share": "40",
        "execution_budget_share": "30",
        "sponsor": sponsor.pk,
        "operator_team": "Claims operations",
        "operator_lead": lead.pk,
        "success_definition": "Triage within a day, no more complaints.",
        "horizon": "short",
        "knowledge": "facts",
        "risk_prohibited_practice": "false",
        "risk_annex_iii_area": "false",
        "risk_safety_component": "false",
        "risk_transparency_duty": "true",
        "metrics-TOTAL_FORMS": "2",
        "metrics-INITIAL_FORMS": "0",
        "metrics-0-kind": "business",
        "metrics-0-name": "Triage time",
        "metrics-0-unit": "days",
        "metrics-0-direction": "lower",
        "metrics-0-baseline": "9",
        "metrics-0-target": "1",
        "metrics-0-cadence": "weekly",
        "metrics-1-kind": "technical",
        "metrics-1-name": "Routing accuracy",
        "metrics-1-unit": "%",
        "metrics-1-direction": "higher",
        "metrics-1-cadence": "weekly",
        "metrics-1-pairs_with": "Triage time",
        "gaps-TOTAL_FORMS": "1",
        "gaps-INITIAL_FORMS": "0",
        "gaps-0-description": "Two years unlabelled.",
        "gaps-0-closing_work": "Labelling sprint",
        "gaps-0-work_owner": "Data team",
        "gaps-0-owner_committed": "on",
        "submit": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def people(db):
    return factories.UserFactory(), factories.executive(username="sponsor"), factories.UserFactory()


def test_home_explains_each_role_with_the_demo_logins(client, db):
    factories.UserFactory(username="exec")  # the demo is loaded
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    for login in ("exec", "head-claims", "board-chair", "flywheel-demo"):
        assert login in body


def test_home_shows_no_demo_logins_when_the_demo_is_not_loaded(client, db):
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "flywheel-demo" not in body
    assert "head-claims" not in body


@override_settings(PRODUCTION=True)
def test_home_shows_no_demo_logins_in_production(client, db):
    factories.UserFactory(username="exec")
    body = client.get(reverse("home")).content.decode()
    login = client.get(reverse("login")).content.decode()
    assert "flywheel-demo" not in body + login
    assert "head-claims" not in body + login


def test_executive_home_is_the_dashboard(client, executive):
    client.force_login(executive)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_my_department_lists_its_use_cases_only(client, head, department, other_department):
    factories.UseCaseFactory(department=department, title="Ours")
    factories.UseCaseFactory(department=other_department, title="Theirs")
    client.force_login(head)
    body = client.get(reverse("my-department")).content.decode()
    assert "Ours" in body
    assert "Theirs" not in body


def test_my_department_is_refused_to_someone_who_heads_none(client, db):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("my-department")).status_code == 403


def test_submitting_the_full_intake_creates_a_submitted_use_case(client, head, department, people):
    client.force_login(head)
    response = client.post(reverse("use-case-new"), intake_post(department, people))
    use_case = UseCase.objects.get(title="Claims triage assistant")
    assert response.status_code == 302
    assert use_case.state == State.SUBMITTED
    technical = use_case.metrics.get(name="Routing accuracy")
    assert technical.paired_with.name == "Triage time"
    assert use_case.data_gaps.get().owner_committed


def test_missing_intake_fields_are_named_next_to_each_field(client, head, department, people):
    client.force_login(head)
    response = client.post(
        reverse("use-case-new"),
        intake_post(department, people, problem_statement="", sponsor="", build_cost=""),
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["problem_statement"] == ["Describe the problem the use case solves."]
    assert form.errors["sponsor"] == ["Name the sponsor (an executive)."]
    assert "build_cost" in form.errors
    assert 'id="error-problem_statement"' in response.content.decode()
    assert not UseCase.objects.exists()


def test_a_technical_metric_must_name_an_existing_business_metric(client, head, department, people):
    client.force_login(head)
    response = client.post(
        reverse("use-case-new"),
        intake_post(department, people, **{"metrics-1-pairs_with": "Nonexistent"}),
    )
    errors = response.context["metrics"].forms[1].errors
    assert "pairs_with" in errors
    assert not UseCase.objects.exists()


def test_save_draft_needs_only_a_title_and_can_be_edited(client, head, department, people):
    client.force_login(head)
    data = {
        "title": "Half-formed idea",
        "department": department.pk,
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "gaps-TOTAL_FORMS": "0",
        "gaps-INITIAL_FORMS": "0",
        "save": "1",
    }
    client.post(reverse("use-case-new"), data)
    draft = UseCase.objects.get(title="Half-formed idea")
    assert draft.state == State.DRAFT

    edit = client.post(
        reverse("use-case-edit", args=[draft.pk]),
        intake_post(department, people, title="Fully formed idea"),
    )
    draft.refresh_from_db()
    assert edit.status_code == 302
    assert draft.title == "Fully formed idea"
    assert draft.state == State.SUBMITTED


def test_a_submitted_use_case_is_not_edited_through_the_form(client, head, department):
    use_case = submitted(department, head)
    client.force_login(head)
    assert client.get(reverse("use-case-edit", args=[use_case.pk])).status_code == 403


def test_another_departments_head_cannot_edit_a_draft(client, other_head, use_case):
    client.force_login(other_head)
    assert client.get(reverse("use-case-edit", args=[use_case.pk])).status_code in (403, 404)


def test_head_adds_a_reading(client, head, use_case):
    metric = use_case.metrics.get(kind="business")
    client.force_login(head)
    client.post(
        reverse("reading-add", args=[use_case.pk]),
        {"metric": metric.pk, "value": "6.5", "note": "week 3"},
    )
    assert MetricReading.objects.get(metric=metric).note == "week 3"


def test_head_requests_a_review(client, head, department, board):
    use_case = submitted(department, head)
    client.force_login(head)
    response = client.post(reverse("review-request", args=[use_case.pk]), {"reason": "Ready"})
    assert response.status_code == 302
    review = GateReview.objects.get(use_case=use_case)
    assert review.gate == "G0"
    detail = client.get(reverse("use-case-detail", args=[use_case.pk])).content.decode()
    assert "review open since" in detail


def test_use_case_page_shows_the_record(client, head, department):
    use_case = submitted(department, head)
    client.force_login(head)
    body = client.get(reverse("use-case-detail", args=[use_case.pk])).content.decode()
    assert "draft → submitted" in body


def test_department_velocity_page_renders_a_chart(client, head, department):
    client.force_login(head)
    response = client.get(reverse("department-velocity", args=[department.pk]))
    assert response.status_code == 200
    assert 'data-chart="velocity"' in response.content.decode()


def test_login_page_and_logout(client, head):
    assert client.get(reverse("login")).status_code == 200
    client.force_login(head)
    response = client.post(reverse("logout"))
    assert response.status_code == 302


def test_blank_extra_metric_rows_are_ignored(client, head, department, people):
    client.force_login(head)
    data = intake_post(
        department,
        people,
        **{
            "metrics-TOTAL_FORMS": "3",
            "metrics-2-direction": "higher",
            "metrics-2-kind": "business",
        },
    )
    data["metrics-2-cadence"] = "monthly"
    response = client.post(reverse("use-case-new"), data)
    assert response.status_code == 302
    assert UseCase.objects.get().metrics.count() == 2


def test_home_lists_my_notifications(client, head, department, board):
    from governance import services as governance_services

    use_case = submitted(department, head)
    governance_services.review_request(use_case=use_case, actor=head)
    chair = board[1][0].user
    client.force_login(chair)
    body = client.get(reverse("home")).content.decode()
    assert "G0 review requested" in body


def test_use_case_page_shows_the_diagnostic_and_metric_charts(client, head, use_case):
    client.force_login(head)
    body = client.get(reverse("use-case-detail", args=[use_case.pk])).content.decode()
    metric = use_case.metrics.get(kind="business")
    assert 'id="diagnostic"' in body
    assert "Outcome ownership" in body
    assert f'data-chart="metric-{metric.pk}"' in body


def test_use_case_page_query_count_does_not_grow_with_readings(
    client, head, use_case, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(head)
    url = reverse("use-case-detail", args=[use_case.pk])
    metric = use_case.metrics.get(kind="business")
    factories.ReadingFactory(metric=metric)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    factories.ReadingFactory.create_batch(15, metric=metric)
    factories.DataGapFactory.create_batch(3, use_case=use_case)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_head_writes_a_final_scale_memo(client, head, use_case):
    client.force_login(head)
    client.post(
        reverse("artifact-save", args=[use_case.pk]),
        {"kind": "scale_memo", "status": "final", "content": "What made the pilot work."},
    )
    artifact = use_case.artifacts.get()
    assert (artifact.kind, artifact.status) == ("scale_memo", "final")


def test_a_draft_stays_invisible_outside_its_department_even_to_its_sponsor(client, use_case):
    client.force_login(use_case.sponsor)
    assert client.get(reverse("use-case-detail", args=[use_case.pk])).status_code == 404
    response = client.post(reverse("sign-off", args=[use_case.pk]), {"party": "sponsor"})
    assert response.status_code == 404
    use_case.refresh_from_db()
    assert use_case.sponsor_signed_off_at is None


def test_the_sponsor_of_a_submitted_use_case_signs_off(client, head, department):
    from core.roles import EXECUTIVES_GROUP

    use_case = submitted(department, head)
    use_case.sponsor.groups.get_or_create(name=EXECUTIVES_GROUP)
    client.force_login(use_case.sponsor)
    page = client.get(reverse("use-case-detail", args=[use_case.pk]))
    assert page.context["sign_as"] == ["sponsor"]
    client.post(reverse("sign-off", args=[use_case.pk]), {"party": "sponsor"})
    use_case.refresh_from_db()
    assert use_case.sponsor_signed_off_at is not None


def test_another_departments_head_cannot_add_readings_or_request_reviews(
    client, other_head, head, department
):
    use_case = submitted(department, head)
    metric = use_case.metrics.get(kind="business")
    client.force_login(other_head)
    reading = client.post(
        reverse("reading-add", args=[use_case.pk]), {"metric": metric.pk, "value": "1"}
    )
    review = client.post(reverse("review-request", args=[use_case.pk]))
    assert reading.status_code == 403
    assert review.status_code == 403
    assert not MetricReading.objects.exists()
    assert not GateReview.objects.exists()


def test_pages_ask_anonymous_visitors_to_log_in(client, use_case):
    for name, args in (
        ("my-department", []),
        ("use-case-new", []),
        ("use-case-detail", [use_case.pk]),
        ("review-queue", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


def test_editing_a_draft_updates_and_removes_its_metrics(client, head, use_case):
    client.force_login(head)
    form = client.get(reverse("use-case-edit", args=[use_case.pk]))
    business, technical = (
        use_case.metrics.get(kind="business"),
        use_case.metrics.get(kind="technical"),
    )
    initial = {f["id"]: f for f in form.context["metrics"].initial}
    assert set(initial) == {business.pk, technical.pk}
    data = {
        "title": use_case.title,
        "metrics-TOTAL_FORMS": "2",
        "metrics-INITIAL_FORMS": "2",
        "gaps-TOTAL_FORMS": "0",
        "gaps-INITIAL_FORMS": "0",
        "save": "1",
    }
    for i, metric in enumerate((business, technical)):
        row = initial[metric.pk]
        for key in ("id", "kind", "name", "unit", "direction", "baseline", "target", "cadence"):
            if row[key] is not None:
                data[f"metrics-{i}-{key}"] = row[key]
        data[f"metrics-{i}-pairs_with"] = row["pairs_with"]
    data["metrics-0-target"] = "3"
    data["metrics-1-DELETE"] = "on"

    response = client.post(reverse("use-case-edit", args=[use_case.pk]), data)

    assert response.status_code == 302
    assert list(use_case.metrics.values_list("name", "target")) == [(business.name, 3)]
