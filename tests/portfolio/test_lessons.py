"""Failure stories shared (PRODUCT.md): a stop records a lesson on every way in, the lessons
are read by every department, and intake shows the most similar use cases and lessons on
PostgreSQL (pg_trgm) and SQLite (word overlap) under one ranking contract."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio import services
from portfolio.choices import State
from portfolio.models import Lesson, UseCase
from portfolio.selectors_lessons import similar_lessons, similar_use_cases
from portfolio.similarity import LIMIT, MIN_SCORE, ranked, word_overlap, words
from tests import factories
from tests.factories import LESSON


def test_words_are_lower_cased_runs_of_letters_and_digits():
    assert words("Claims-triage, GPT4 & claims!") == {"claims", "triage", "gpt4"}


def test_word_overlap_is_shared_words_over_all_words():
    # {invoice, matching, for, claims} and {claims, invoice, triage}: 2 shared of 5 words.
    assert word_overlap("Invoice matching for claims", "claims invoice triage") == 2 / 5
    assert word_overlap("", "claims") == 0.0


def test_the_ranking_contract_cuts_below_the_minimum_orders_by_score_then_id_and_keeps_five():
    scored = [(9, 0.5), (3, 0.5), (4, MIN_SCORE), (5, MIN_SCORE - 0.001), (1, 0.9)]
    scored += [(20 + n, 0.2) for n in range(5)]

    result = ranked(scored)

    assert len(result) == LIMIT == 5
    # 0.9 first; the tie at 0.5 by id (3 before 9); then the 0.2s by id; 0.1 and 0.099 cut.
    assert result == [(1, 0.9), (3, 0.5), (9, 0.5), (20, 0.2), (21, 0.2)]


def test_a_kill_without_a_lesson_is_refused_naming_the_fields(use_case, head):
    use_case = factories.submitted(use_case.department, head)

    with pytest.raises(ValidationError) as refused:
        services.use_case_kill(use_case=use_case, actor=head, reason="No data.")

    assert set(refused.value.message_dict) == {"lesson", "cause"}
    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED
    assert not Lesson.objects.exists()


def test_a_retirement_with_an_unknown_cause_is_refused(department, head):
    lesson = services.LessonInput("Learned.", "budget")

    with pytest.raises(ValidationError) as refused:
        services.use_case_retire(use_case=factories.UseCaseFactory(), actor=head, lesson=lesson)

    assert set(refused.value.message_dict) == {"cause"}
    assert "data, ownership, value, adoption, technology, regulation, other" in str(refused.value)


def test_a_kill_records_its_lesson_with_who_and_when(department, head):
    use_case = factories.submitted(department, head)

    services.use_case_kill(use_case=use_case, actor=head, reason="No data.", lesson=LESSON)

    lesson = Lesson.objects.get(use_case=use_case)
    assert (lesson.transition, lesson.learned, lesson.cause, lesson.reusable) == (
        "kill",
        "The data was not there.",
        "data",
        "The labelled sample.",
    )
    assert lesson.recorded_by == head


# --- similarity, hand-worked, on the database the suite runs on ----------------------------
#
# The text being submitted: "invoice". Candidates (title; problem statement left empty):
#   A "invoice matching", B "invoice", C "claims triage", D "invoicing" (created in this order).
# PostgreSQL, pg_trgm: a word is padded "  w " and cut in threes.
#   "invoice": {"  i"," in","inv","nvo","voi","oic","ice","ce "} = 8 trigrams.
#   A adds "matching": {"  m"," ma","mat","atc","tch","chi","hin","ing","ng "} = 9 more;
#     similarity = 8 shared / 17 = 0.470588...
#   B: 8 / 8 = 1.0.
#   C: no trigram shared: 0, cut.
#   D "invoicing": {"  i"," in","inv","nvo","voi","oic","ici","cin","ing","ng "} = 10;
#     shared with "invoice": "  i"," in","inv","nvo","voi","oic" = 6; union 8 + 10 - 6 = 12;
#     similarity = 6 / 12 = 0.5.
#   Ranked: B 1.0, D 0.5, A 0.4706.
# SQLite, word overlap: {"invoice"} against A {invoice, matching}: 1/2; B: 1/1; C: 0;
#   D {invoicing}: 0 (a different word), cut. Ranked: B 1.0, A 0.5.
# The problem statement is part of the compared text; the candidates' is blank here, which
# the concatenation "title problem" turns into one trailing space (no word, no trigram).

EXPECTED = {
    "postgresql": [("B", 1.0), ("D", 0.5), ("A", 8 / 17)],
    "sqlite": [("B", 1.0), ("A", 0.5)],
}


def bare(department, head, title: str) -> UseCase:
    """A submitted use case whose compared text is its title alone (problem statement
    blanked after submission, which requires one)."""
    use_case = factories.submitted(department, head, title=title)
    UseCase.objects.filter(pk=use_case.pk).update(problem_statement="")
    return use_case


@pytest.fixture
def candidates(department, head):
    titles = ("invoice matching", "invoice", "claims triage", "invoicing")
    return {
        bare(department, head, title).title: name
        for title, name in zip(titles, "ABCD", strict=True)
    }


def test_similar_use_cases_rank_as_worked_out_by_hand(candidates, head):
    found = similar_use_cases(user=head, text="invoice")

    got = [(candidates[uc.title], round(uc.score, 6)) for uc in found]
    assert got == [(name, round(score, 6)) for name, score in EXPECTED[connection.vendor]]


def test_similar_lessons_read_the_title_and_what_was_learned(department, head, other_head):
    stopped = bare(department, head, "Invoice matching")
    services.use_case_kill(
        use_case=stopped,
        actor=head,
        reason="Duplicate.",
        lesson=services.LessonInput("Suppliers send invoices as photos", "data", ""),
    )
    bare(department, head, "Unrelated work")

    # Another department's head reads the lesson; the stopped use case itself ranks too.
    lessons = similar_lessons(user=other_head, text="invoice photos")
    use_cases = similar_use_cases(user=other_head, text="invoice photos")

    assert [lesson.use_case_id for lesson in lessons] == [stopped.pk]
    assert [uc.pk for uc in use_cases] == [stopped.pk]


def test_similar_queries_are_constant_in_the_number_of_use_cases(department, head):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            similar_use_cases(user=head, text="invoice")
            similar_lessons(user=head, text="invoice")
        return len(captured.captured_queries)

    for n in range(3):
        bare(department, head, f"invoice {n}")
    few = queries()
    for n in range(20):
        bare(department, head, f"invoice more {n}")

    assert queries() == few <= 6  # roles, then one (PostgreSQL) or two (SQLite) per list
    assert len(similar_use_cases(user=head, text="invoice")) == LIMIT


def test_the_intake_shows_similar_use_cases_and_lessons_with_a_link_to_start_from_each(
    client, department, head
):
    stopped = factories.submitted(department, head, title="Invoice matching")
    services.use_case_kill(
        use_case=stopped,
        actor=head,
        reason="Duplicate.",
        lesson=services.LessonInput("Invoice matching needs supplier ids", "data", "The ids"),
    )
    draft = factories.UseCaseFactory(department=department, title="Invoice matching again")
    client.force_login(head)

    page = client.get(reverse("use-case-edit", args=[draft.pk])).content.decode()

    assert 'id="similar"' in page
    assert "Invoice matching needs supplier ids" in page
    assert f"?template={stopped.pk}" in page


def test_the_lessons_page_filters_by_cause(client, department, head, other_head):
    for title, cause in (("Alpha", "data"), ("Beta", "adoption")):
        services.use_case_kill(
            use_case=factories.submitted(department, head, title=title),
            actor=head,
            reason="Stop.",
            lesson=services.LessonInput(f"{title} lesson", cause),
        )
    client.force_login(other_head)  # another department reads them

    every = client.get(reverse("lessons")).content.decode()
    adoption = client.get(reverse("lessons"), {"cause": "adoption"}).content.decode()

    assert "Alpha lesson" in every and "Beta lesson" in every
    assert "Beta lesson" in adoption and "Alpha lesson" not in adoption
