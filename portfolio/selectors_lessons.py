"""Reading the lessons, and the use cases and lessons most similar to an intake.

Similarity follows one ranking contract (portfolio.similarity) on both databases. On
PostgreSQL pg_trgm's ``similarity()`` is computed, filtered, ordered and cut in SQL (two
queries per list: the threshold of the indexed ``%`` set, then the list). On SQLite the
candidates' texts are read once and scored by word overlap in Python, then the few kept
are read with what the panel shows (two queries per list).
"""

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet, TextField, Value
from django.db.models.functions import Concat

from core.roles import roles_of
from portfolio.models import Lesson, UseCase
from portfolio.selectors import sees_everything, use_case_visible_to
from portfolio.similarity import LIMIT, MIN_SCORE, ranked, word_overlap


def lessons_visible_to(*, user) -> QuerySet:
    """Every department's lessons, for anyone with a role in Flywheel (failure stories are
    shared); nobody else reads them."""
    if not (sees_everything(user) or roles_of(user).reads_published):
        return Lesson.objects.none()
    return Lesson.objects.select_related("use_case__department", "recorded_by")


def use_case_text():
    """What a use case is compared on: its title and problem statement. On PostgreSQL a
    GIN trigram index is built on this very expression (migration 0020), so the similarity
    filter (``%``) reads the index instead of scoring every row."""
    return Concat(F("title"), Value(" "), F("problem_statement"), output_field=TextField())


def _lesson_text():
    return Concat(
        F("use_case__title"),
        Value(" "),
        F("learned"),
        Value(" "),
        F("reusable"),
        output_field=TextField(),
    )


def _most_similar(queryset: QuerySet, *, text: str, expression) -> list:
    """The rows of ``queryset`` most similar to ``text`` by the contract, each with
    ``score`` (a float in [0, 1]), in ranked order."""
    if not (text or "").strip():
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        with connection.cursor() as cursor:
            # The index answers ``%`` (similarity at least the session's threshold): set
            # to the contract's minimum, it keeps exactly the rows the score filter keeps.
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(MIN_SCORE)]
            )
        similar = Func(
            expression,
            Value(text),
            arg_joiner=" %% ",
            template="%(expressions)s",
            output_field=BooleanField(),
        )
        rows = list(
            queryset.annotate(score=TrigramSimilarity(expression, text))
            .filter(similar, score__gte=MIN_SCORE)
            .order_by("-score", "id")[:LIMIT]
        )
        order = ranked((row.pk, row.score) for row in rows)
        by_pk = {row.pk: row for row in rows}
        return [by_pk[pk] for pk, _ in order]
    scores = ranked(
        (pk, word_overlap(text, candidate))
        for pk, candidate in queryset.annotate(similar_text=expression)
        .values_list("pk", "similar_text")
        .order_by()
        .iterator(chunk_size=2000)
    )
    by_pk = queryset.in_bulk([pk for pk, _ in scores])
    result = []
    for pk, score in scores:
        row = by_pk[pk]
        row.score = score
        result.append(row)
    return result


def similar_use_cases(*, user, text: str, exclude_id: int | None = None) -> list[UseCase]:
    """The existing use cases this person may see that are most similar to ``text`` (the
    title and problem statement being submitted), best first."""
    queryset = use_case_visible_to(user=user).select_related("department")
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return _most_similar(queryset, text=text, expression=use_case_text())


def similar_lessons(*, user, text: str, exclude_id: int | None = None) -> list[Lesson]:
    """The lessons most similar to ``text``, read against the stopped use case's title, what
    was learned and what can be reused, best first."""
    queryset = lessons_visible_to(user=user)
    if exclude_id is not None:
        queryset = queryset.exclude(use_case_id=exclude_id)
    return _most_similar(queryset, text=text, expression=_lesson_text())
