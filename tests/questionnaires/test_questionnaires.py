"""Questionnaires: typed answers, the score a gate criterion reads ("risk screening score at
most 12", pinned at 12 and 13), frozen with the review's evidence, one answer at a time
(409 for the second at the same moment), My actions, the API and the page without
JavaScript."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core.actions import actions_for
from core.errors import ConflictError
from gates import services as gate_services
from questionnaires import services
from questionnaires.models import Answer
from tests import factories
from tests.support.concurrency import run_at_once

pytestmark = pytest.mark.django_db

# 8 (special data) + 2 (low autonomy) + 1 (customers) + 1 (shared outside) = 12
TWELVE = {
    "data": "special",
    "autonomy": "low",
    "users": ["customers"],
    "external": "yes",
    "volume": "250",
}
# 8 (special data) + 5 (high autonomy) + 0 (staff) + 0 (not shared) = 13
THIRTEEN = {"data": "special", "autonomy": "high", "users": ["staff"], "external": "no"}
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def answer(head, use_case, questionnaire, values, *, replaces=None, at=AT):
    return services.questionnaire_answer(
        actor=head,
        questionnaire=questionnaire,
        use_case=use_case,
        values=values,
        replaces=replaces,
        at=at,
    )


@pytest.fixture
def case(department, head):
    return factories.submitted(department, head, at=AT - dt.timedelta(days=1))


@pytest.fixture
def risk_criteria(default_criteria):
    return gate_services.criteria_set_create(
        gate="G0",
        criteria=[
            {
                "label": "Risk screening score at most 12",
                "measurable": "questionnaire_score",
                "metric_name": "risk_screening",
                "comparator": "at_most",
                "threshold": Decimal(12),
                "kind": "must",
            },
            {
                "label": "Fewer than 1000 cases a month",
                "measurable": "questionnaire_answer",
                "metric_name": "risk_screening.volume",
                "comparator": "at_most",
                "threshold": Decimal(999),
                "kind": "should",
            },
        ],
    )


def rows_of(snapshot) -> dict:
    return {row["label"]: row for row in snapshot.rows}


@pytest.mark.parametrize(
    ("values", "score", "outcome"), [(TWELVE, 12, "pass"), (THIRTEEN, 13, "fail")]
)
def test_a_criterion_reads_the_score_at_its_threshold(
    case, head, risk_screening, risk_criteria, values, score, outcome
):
    answer(head, case, risk_screening, values)

    review = gate_services.review_open(use_case=case, actor=head, at=AT + dt.timedelta(hours=1))

    row = rows_of(review.snapshots.get())["Risk screening score at most 12"]
    assert (row["value"], row["outcome"]) == (score, outcome)
    assert row["sources"][0]["values"]["data"] == "special"


def test_one_answer_read_as_a_number_and_a_text_has_none(case, head, risk_screening, risk_criteria):
    answer(head, case, risk_screening, TWELVE)

    review = gate_services.review_open(use_case=case, actor=head, at=AT + dt.timedelta(hours=1))

    row = rows_of(review.snapshots.get())["Fewer than 1000 cases a month"]
    assert (row["value"], row["outcome"]) == (250, "pass")


def test_the_answers_are_frozen_with_the_evidence(case, head, risk_screening, risk_criteria):
    first = answer(head, case, risk_screening, TWELVE)
    review = gate_services.review_open(use_case=case, actor=head, at=AT + dt.timedelta(hours=1))

    answer(head, case, risk_screening, THIRTEEN, replaces=first.pk, at=AT + dt.timedelta(hours=2))
    later = gate_services.review_evaluate(review=review, at=AT + dt.timedelta(hours=3))

    frozen, now = (rows_of(s)["Risk screening score at most 12"] for s in review.snapshots.all())
    assert (frozen["value"], frozen["sources"][0]["values"]["autonomy"]) == (12, "low")
    assert (now["value"], now["sources"][0]["values"]["autonomy"]) == (13, "high")
    assert later.rows == list(review.snapshots.order_by("-taken_at")[0].rows)


def test_not_answered_is_no_data(case, head, risk_screening, risk_criteria):
    review = gate_services.review_open(use_case=case, actor=head, at=AT)

    row = rows_of(review.snapshots.get())["Risk screening score at most 12"]
    assert (row["value"], row["outcome"]) == (None, "no_data")


def test_a_value_of_the_wrong_type_names_the_question(case, head, risk_screening):
    with pytest.raises(ValidationError) as refused:
        answer(head, case, risk_screening, {**TWELVE, "volume": "many", "data": "lots", "x": 1})

    errors = refused.value.message_dict
    assert errors["volume"] == ["Cases a month (volume): Enter a number."]
    assert errors["data"] == ["Personal data processed (data): Choose one of none, some, special."]
    assert errors["x"] == ["Not a question of Risk screening."]
    assert not Answer.objects.exists()


def test_a_required_question_left_empty_is_refused(case, head, risk_screening):
    with pytest.raises(ValidationError) as refused:
        answer(head, case, risk_screening, {**THIRTEEN, "external": ""})

    assert list(refused.value.message_dict) == ["external"]


def test_only_the_department_head_or_the_named_role_answers(
    case, other_head, risk_screening, dpo_role, dpo, head
):
    with pytest.raises(PermissionDenied):
        answer(other_head, case, risk_screening, TWELVE)
    risk_screening.answered_by, risk_screening.role = "role", dpo_role
    risk_screening.save()
    with pytest.raises(PermissionDenied):
        answer(head, case, risk_screening, TWELVE)

    assert answer(dpo, case, risk_screening, TWELVE).score == 12


def test_answering_again_names_the_answer_it_replaces(case, head, risk_screening):
    first = answer(head, case, risk_screening, TWELVE)

    with pytest.raises(ConflictError) as stale:
        answer(head, case, risk_screening, THIRTEEN)
    second = answer(head, case, risk_screening, THIRTEEN, replaces=first.pk)

    assert stale.value.code == "answered_meanwhile"
    assert (second.supersedes_id, second.score) == (first.pk, 13)


@pytest.mark.django_db(transaction=True)
def test_answered_twice_at_once_one_answer_is_stored_the_other_409(risk_screening):
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    use_case = factories.submitted(department, head)

    results, errors = run_at_once(
        2,
        lambda: services.questionnaire_answer(
            actor=head, questionnaire=risk_screening, use_case=use_case, values=TWELVE
        ),
    )

    assert len(results) == 1, errors
    assert [type(e) for e in errors] == [ConflictError], errors
    assert errors[0].status_code == 409
    assert Answer.objects.filter(use_case=use_case).count() == 1


def test_my_actions_show_a_questionnaire_due_until_it_is_answered(case, head, risk_screening):
    due = [a.title for a in actions_for(head) if a.kind == "questionnaire_due"]
    answer(head, case, risk_screening, TWELVE)
    head = type(head).objects.get(pk=head.pk)

    assert due == [f"Answer 'Risk screening' for '{case.title}'"]
    assert not [a for a in actions_for(head) if a.kind == "questionnaire_due"]


def test_the_api_answers_lists_strictly_and_refuses_a_second_first_answer(
    case, head, risk_screening
):
    api = APIClient()
    api.force_authenticate(head)
    body = {"questionnaire": risk_screening.pk, "use_case": case.pk, "values": TWELVE}

    created = api.post("/api/questionnaire-answers/", body, format="json")
    again = api.post("/api/questionnaire-answers/", body, format="json")
    wrong = api.post(
        "/api/questionnaire-answers/",
        {**body, "values": {**TWELVE, "volume": "many"}, "replaces": created.json()["id"]},
        format="json",
    )
    listed = api.get(f"/api/questionnaire-answers/?use_case_id={case.pk}")
    misspelt = api.get(f"/api/questionnaire-answers/?usecase_id={case.pk}")
    questionnaires = api.get("/api/questionnaires/?key=risk_screening")

    assert (created.status_code, created.json()["score"]) == (201, "12.0000")
    assert (again.status_code, again.json()["code"]) == (409, "answered_meanwhile")
    assert wrong.status_code == 400
    assert "Cases a month (volume)" in str(wrong.json())
    assert [a["id"] for a in listed.json()["results"]] == [created.json()["id"]]
    assert misspelt.status_code == 400
    assert [q["key"] for q in questionnaires.json()["results"][0]["questions"]] == [
        "data",
        "autonomy",
        "users",
        "external",
        "volume",
    ]


def test_the_page_answers_without_javascript(client, case, head, risk_screening):
    client.force_login(head)
    form = {**TWELVE, "users": ["customers", "public"]}  # 8 + 2 + (1 + 3) + 1 = 15

    before = client.get(reverse("use-case-detail", args=[case.pk])).content.decode()
    client.post(reverse("questionnaire-answer", args=[case.pk, risk_screening.pk]), form)
    after = client.get(reverse("use-case-detail", args=[case.pk])).content.decode()

    assert 'name="users" value="public"' in before and "not answered" in before
    assert Answer.objects.get().values["users"] == ["customers", "public"]
    assert "score 15" in after


def test_the_lists_take_the_same_queries_for_2_and_12_rows(department, head, risk_screening):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from questionnaires.models import Question, Questionnaire

    def add(n):
        for i in range(n):
            use_case = factories.submitted(department, head)
            answer(head, use_case, risk_screening, TWELVE)
            extra = Questionnaire.objects.create(
                key=f"extra_{Questionnaire.objects.count()}_{i}", name="Extra", stage="pilot"
            )
            Question.objects.create(questionnaire=extra, key="q", label="Q", value_type="text")

    def counts():
        api = APIClient()
        api.force_authenticate(type(head).objects.get(pk=head.pk))
        result = []
        for url in ("/api/questionnaire-answers/", "/api/questionnaires/"):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(url).status_code == 200
            result.append(len(captured))
        return result

    add(2)
    with_2 = counts()
    add(10)

    assert counts() == with_2
