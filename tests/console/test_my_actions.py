"""My actions (page, API, the count in every page's navigation) and the sign-off workflow:
submission asks the sponsor and the operator lead, the head sees who signed and who is
pending, the sponsor must be an executive."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import actions_for
from governance import services as governance_services
from portfolio import services
from portfolio.actions import readings_due
from portfolio.choices import Cadence
from portfolio.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor(db):
    return factories.executive(username="sponsor", first_name="Sara", last_name="Sponsor")


@pytest.fixture
def lead(db):
    return factories.UserFactory(username="lead", first_name="Olu", last_name="Lead")


def titles(user) -> list[str]:
    return [action.title for action in actions_for(user)]


def submit(department, head, sponsor, lead, **fields):
    use_case = factories.UseCaseFactory(
        department=department, sponsor=sponsor, operator_lead=lead, **fields
    )
    return services.use_case_submit(use_case=use_case, actor=head)


def test_submission_asks_the_sponsor_and_the_operator_lead_with_a_link(
    department, head, sponsor, lead, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        use_case = submit(department, head, sponsor, lead, title="Claims triage")

    asked = Notification.objects.filter(kind="sign_off_requested")
    assert {(n.recipient.username, n.link) for n in asked} == {
        ("sponsor", f"/use-cases/{use_case.pk}/#sign-off"),
        ("lead", f"/use-cases/{use_case.pk}/#sign-off"),
    }
    asks = [m for m in mailoutbox if m.subject == "[Flywheel] Sign-off requested: Claims triage"]
    assert sorted(m.to[0] for m in asks) == sorted([sponsor.email, lead.email])
    assert f"http://127.0.0.1:8000/use-cases/{use_case.pk}/#sign-off" in asks[0].body
    assert titles(sponsor) == ["Sign off 'Claims triage' as sponsor"]
    assert titles(lead) == ["Sign off 'Claims triage' as operator lead"]


def test_the_head_sees_who_signed_and_who_is_pending(client, department, head, sponsor, lead):
    use_case = submit(department, head, sponsor, lead, title="Claims triage")
    services.use_case_sign_off(actor=sponsor, use_case=use_case, party="sponsor")
    client.force_login(head)

    page = client.get(reverse("use-case-detail", args=[use_case.pk])).content.decode()

    assert 'Sara Sponsor · <span class="signed">signed' in page
    assert 'Olu Lead · <span class="pending">pending</span>' in page
    assert titles(sponsor) == []
    assert titles(lead) == ["Sign off 'Claims triage' as operator lead"]


def test_a_new_definition_of_success_asks_both_again(department, head, sponsor, lead):
    use_case = submit(department, head, sponsor, lead, title="Claims triage")
    services.use_case_sign_off(actor=sponsor, use_case=use_case, party="sponsor")
    services.use_case_sign_off(actor=lead, use_case=use_case, party="operator")
    Notification.objects.all().delete()

    services.use_case_update(actor=head, use_case=use_case, success_definition="Within a day.")

    assert set(
        Notification.objects.filter(kind="sign_off_requested").values_list(
            "recipient__username", flat=True
        )
    ) == {"sponsor", "lead"}
    assert titles(sponsor) == ["Sign off 'Claims triage' as sponsor"]


def test_the_sponsor_must_be_an_executive(department, head, lead):
    api = APIClient()
    api.force_authenticate(head)
    draft = factories.UseCaseFactory(department=department, sponsor=None)

    refused = api.patch(f"/api/use-cases/{draft.pk}/", {"sponsor": lead.pk}, format="json")

    assert refused.status_code == 400
    assert refused.json()["fields"] == {"sponsor": ["The sponsor must be an executive."]}


def test_the_intake_form_offers_only_executives_as_sponsor(client, department, head, sponsor, lead):
    client.force_login(head)

    form = client.get(reverse("use-case-new")).context["form"]

    assert list(form.fields["sponsor"].queryset) == [sponsor]
    assert lead in form.fields["operator_lead"].queryset


def test_board_members_vote_and_the_chair_closes(
    department, head, sponsor, lead, board, chair, members
):
    use_case = submit(department, head, sponsor, lead, title="Claims triage")
    review = governance_services.review_request(use_case=use_case, actor=head)

    assert titles(members[0]) == ["Vote on the G0 review of 'Claims triage'"]
    assert sorted(titles(chair)) == [
        "Close the G0 review of 'Claims triage'",
        "Vote on the G0 review of 'Claims triage'",
    ]
    governance_services.vote_cast(review=review, actor=members[0], choice="go", comment="Yes.")
    assert titles(members[0]) == []
    assert [a.detail for a in actions_for(chair) if a.kind == "close_review"] == [
        "1 votes cast so far."
    ]


def test_the_head_may_request_a_review_once_both_signed(department, head, sponsor, lead, board):
    use_case = submit(department, head, sponsor, lead, title="Claims triage")
    assert titles(head) == []
    services.use_case_sign_off(actor=sponsor, use_case=use_case, party="sponsor")
    services.use_case_sign_off(actor=lead, use_case=use_case, party="operator")

    assert titles(head) == ["Request the G0 review of 'Claims triage'"]
    governance_services.review_request(use_case=use_case, actor=head)
    assert titles(head) == []


def test_a_condition_coming_due_waits_for_the_head(
    department, head, sponsor, lead, board, chair, members, settings
):
    use_case = submit(department, head, sponsor, lead, title="Claims triage")
    review = governance_services.review_request(use_case=use_case, actor=head)
    for user in (chair, *members):
        governance_services.vote_cast(
            review=review, actor=user, choice="conditional_go", comment="With a condition."
        )
    window = settings.FLYWHEEL_CONDITION_DUE_SOON_DAYS
    today = timezone.now().date()
    governance_services.review_close(
        review=review,
        actor=chair,
        rationale="Go once labelled.",
        conditions=[
            {"text": "Label the claims.", "due_date": today + dt.timedelta(days=window)},
            {"text": "Later work.", "due_date": today + dt.timedelta(days=window + 1)},
        ],
    )

    due = [a for a in actions_for(head) if a.kind == "condition_due"]
    assert [a.detail for a in due] == [
        f"Label the claims. (due {today + dt.timedelta(days=window):%Y-%m-%d})."
    ]


def test_a_reading_is_due_one_cadence_after_the_last(department, head):
    owner = factories.UserFactory()
    use_case = factories.UseCaseFactory(department=department, outcome_owner=owner)
    services.use_case_submit(use_case=use_case, actor=head)
    metric = use_case.metrics.get(kind="business")
    assert metric.cadence == Cadence.WEEKLY
    read_at = timezone.now() - dt.timedelta(days=30)
    factories.ReadingFactory(metric=metric, measured_at=read_at)
    technical = use_case.metrics.exclude(pk=metric.pk).get()
    factories.ReadingFactory(metric=technical, measured_at=read_at + dt.timedelta(days=2))
    technical.cadence = Cadence.MONTHLY
    technical.save()

    day_before = readings_due(owner, at=read_at + dt.timedelta(days=7, seconds=-1))
    on_the_day = readings_due(owner, at=read_at + dt.timedelta(days=7))

    assert day_before == []
    assert [a.title for a in on_the_day] == [f"Record {metric.name} for '{use_case.title}'"]


def test_the_count_shows_in_the_navigation_of_every_page(client, department, head, sponsor, lead):
    submit(department, head, sponsor, lead, title="One")
    submit(department, head, sponsor, lead, title="Two")
    client.force_login(lead)

    for name in ("home", "my-actions", "notification-preferences"):
        page = client.get(reverse(name)).content.decode()
        assert 'aria-label="2 waiting">2</span>' in page, name


def test_the_inbox_page_and_api_list_the_same_actions(client, department, head, sponsor, lead):
    submit(department, head, sponsor, lead, title="One")
    client.force_login(sponsor)
    api = APIClient()
    api.force_authenticate(sponsor)

    page = client.get(reverse("my-actions")).content.decode()
    body = api.get("/api/my-actions/").json()

    assert "Sign off &#x27;One&#x27; as sponsor" in page
    assert body["count"] == 1
    assert body["results"][0]["kind"] == "sign_off"
    assert body["results"][0]["kind_label"] == "Sign-offs to give"


def _busy_person(department, head, board, chair, members, sponsor, size):
    """The chair of the board, sponsor and owner of ``size`` use cases each waiting on them."""
    for n in range(size):
        use_case = factories.UseCaseFactory(
            department=department,
            sponsor=chair,
            operator_lead=chair,
            outcome_owner=chair,
            title=f"Use case {n}",
        )
        use_case = services.use_case_submit(
            use_case=use_case, actor=head, at=timezone.now() - dt.timedelta(days=10)
        )
        if n % 2:
            governance_services.review_request(use_case=use_case, actor=head)
    return chair


@pytest.mark.parametrize("size", [2, 12])
def test_my_actions_take_a_fixed_number_of_queries(
    size, department, head, board, chair, members, sponsor, django_assert_max_num_queries
):
    person = _busy_person(department, head, board, chair, members, sponsor, size)
    person = type(person).objects.get(pk=person.pk)
    api = APIClient()
    api.force_authenticate(person)

    # 9 before components, whose action source (incident reports and vendor assessments
    # due) adds one query, whatever the number of use cases; the sign-off steps one more
    # (the configuration), the questionnaires one (those in use).
    with django_assert_max_num_queries(12):
        body = api.get("/api/my-actions/").json()

    kinds = {result["kind"] for result in body["results"]}
    assert kinds == {"sign_off", "vote", "close_review", "reading_due"}
    assert body["count"] >= 3 * size


@pytest.mark.parametrize("size", [2, 12])
def test_the_inbox_page_takes_a_fixed_number_of_queries(
    size, client, department, head, board, chair, members, sponsor, django_assert_max_num_queries
):
    person = _busy_person(department, head, board, chair, members, sponsor, size)
    client.force_login(person)

    # 18 before the sign-off steps and the questionnaires (one query each, see above).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("my-actions"))

    assert response.status_code == 200


def test_an_executive_sponsor_sees_the_count_on_the_dashboard(
    client, department, head, sponsor, lead
):
    submit(department, head, sponsor, lead, title="One")
    client.force_login(sponsor)

    body = client.get(reverse("admin:index")).content.decode()

    assert "My actions: 1 waiting for you" in body


def test_the_api_filters_by_kind_and_refuses_an_unknown_one(department, head, sponsor, lead):
    submit(department, head, sponsor, lead, title="One")
    api = APIClient()
    api.force_authenticate(sponsor)

    assert api.get("/api/my-actions/?kind=sign_off").json()["count"] == 1
    assert api.get("/api/my-actions/?kind=vote").json()["count"] == 0
    refused = api.get("/api/my-actions/?kind=nonsense")
    assert refused.status_code == 400
    assert refused.json()["fields"].keys() == {"kind"}
