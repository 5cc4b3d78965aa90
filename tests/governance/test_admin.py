"""The admin of gates and governance: versions visible, scorecards as tables, audit read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gates.models import CriteriaSet
from governance import services
from governance.models import Decision, Vote
from portfolio import services as portfolio_services
from tests import factories
from tests.support.governance import SUBMITTED_AT, T0
from tests.support.voting import vote_all


@pytest.fixture
def decided(submitted_use_case, head, board, chair):
    review = services.review_request(use_case=submitted_use_case, actor=head, at=T0)
    vote_all(review, board[1])
    return services.review_close(review=review, actor=chair, at=T0)


def test_the_review_page_shows_the_scorecard_as_a_table(admin_client, decided):
    response = admin_client.get(reverse("admin:gates_gatereview_change", args=[decided.review_id]))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<table class="scorecard">' in page
    assert "A named outcome owner" in page
    assert "✔ pass" in page


def test_the_criteria_sets_list_shows_versions_and_use(admin_client, decided):
    response = admin_client.get(reverse("admin:gates_criteriaset_changelist"))

    assert response.status_code == 200
    assert "G0 · all playbooks · v1" in response.content.decode()


def test_a_used_version_is_read_only_and_revise_makes_the_next(admin_client, decided):
    used = decided.review.criteria_set
    url = reverse("admin:gates_criteriaset_change", args=[used.pk])

    response = admin_client.post(url, {"name": "Edited", "pass_mark": "10"})
    assert response.status_code == 403
    admin_client.post(
        reverse("admin:gates_criteriaset_changelist"),
        {"action": "revise", "_selected_action": [used.pk]},
    )

    current = CriteriaSet.objects.get(gate=used.gate, playbook=used.playbook, is_current=True)
    assert current.version == used.version + 1
    assert current.criteria.count() == used.criteria.count()
    assert CriteriaSet.objects.get(pk=used.pk).name == used.name


@pytest.mark.parametrize("model", ["vote", "decision", "recusal", "delegation"])
def test_the_audit_record_offers_no_add_change_or_delete(admin_client, decided, model):
    assert admin_client.get(reverse(f"admin:governance_{model}_add")).status_code == 403
    row = {"vote": Vote, "decision": Decision}.get(model)
    if row is not None:
        pk = row.objects.first().pk
        change = admin_client.post(reverse(f"admin:governance_{model}_change", args=[pk]), {})
        assert change.status_code == 403
        delete = admin_client.post(reverse(f"admin:governance_{model}_delete", args=[pk]), {})
        assert delete.status_code == 403
        assert (
            admin_client.get(reverse(f"admin:governance_{model}_change", args=[pk])).status_code
            == 200
        )


def test_decisions_list_by_month_for_the_dashboard_links(admin_client, decided):
    url = reverse("admin:governance_decision_changelist")

    response = admin_client.get(url, {"decided_at__year": T0.year, "decided_at__month": T0.month})

    assert response.status_code == 200
    assert str(decided.review.use_case) in response.content.decode()


def test_adding_a_set_in_the_admin_makes_the_next_version(admin_client, default_criteria):
    data = {
        "gate": "G2",
        "playbook": "",
        "name": "Stricter G2",
        "pass_mark": "80",
        "notes": "Board asked for it.",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-position": "0",
        "criteria-0-label": "Realised ROI at least 3",
        "criteria-0-measurable": "realised_roi",
        "criteria-0-comparator": "at_least",
        "criteria-0-threshold": "3",
        "criteria-0-kind": "must",
        "criteria-0-weight": "1",
    }

    response = admin_client.post(reverse("admin:gates_criteriaset_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    current = CriteriaSet.objects.get(gate="G2", playbook="", is_current=True)
    assert (current.version, current.pass_mark, current.supersedes.version) == (2, 80, 1)
    assert list(current.criteria.values_list("label", flat=True)) == ["Realised ROI at least 3"]


def test_the_reviews_list_costs_the_same_queries_for_many_reviews(
    admin_client, decided, department, head, django_assert_max_num_queries
):
    url = reverse("admin:gates_gatereview_changelist")
    with CaptureQueriesContext(connection) as one_review:
        admin_client.get(url)
    for _ in range(5):
        use_case = portfolio_services.use_case_submit(
            use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
        )
        services.review_request(use_case=use_case, actor=head, at=T0)

    with django_assert_max_num_queries(len(one_review)):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('<td class="field-recommendation">GO</td>') == 6
