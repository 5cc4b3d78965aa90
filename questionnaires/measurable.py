"""The gate measurables questionnaires contributes, registered with gates from ready():

- "questionnaire score" (``questionnaire_score``): the score of the answer standing at the
  moment judged, of the questionnaire the criterion names by its key (in the criterion's
  metric name field, e.g. ``risk_screening``);
- "questionnaire answer" (``questionnaire_answer``): one answer as a number, the criterion
  naming it ``<questionnaire key>.<question key>``: a number or money as given, yes/no as
  1/0, a choice as its score; text, dates and people have no number (no data, with why).

Both read one load (the standing answers with their questions); the answer and its values
are frozen in the snapshot's sources with the review's evidence.
"""

from decimal import Decimal

from core.typed_values import ValueType, choice_score
from gates.measurables import Measured
from questionnaires.models import Answer

SCORE_KEY = "questionnaire_score"
ANSWER_KEY = "questionnaire_answer"


def answers_load(*, use_case_id: int, at) -> tuple[dict, ...]:
    """Each questionnaire's answer standing at ``at``, with its questions (2 queries)."""
    answers = (
        Answer.objects.filter(use_case_id=use_case_id, answered_at__lte=at)
        .select_related("questionnaire", "answered_by")
        .prefetch_related("questionnaire__questions")
        .order_by("answered_at", "id")
    )
    current: dict[int, Answer] = {}
    for answer in answers:
        current[answer.questionnaire_id] = answer
    return tuple(
        {
            "questionnaire": a.questionnaire.key,
            "name": a.questionnaire.name,
            "answer_id": a.pk,
            "answered_by": a.answered_by.get_full_name() or a.answered_by.username,
            "answered_at": a.answered_at.isoformat(),
            "score": format(a.score.normalize(), "f"),
            "values": dict(a.values),
            "questions": {
                q.key: {"label": q.label, "type": q.value_type, "choices": q.choices}
                for q in a.questionnaire.questions.all()
            },
        }
        for a in current.values()
    )


def _no_loader(**_):
    # The answer measurable reads what the score's loader loaded: no second query.
    return None


def _answer_of(evidence, key: str) -> dict | None:
    return next(
        (row for row in evidence.extra.get(SCORE_KEY, ()) if row["questionnaire"] == key), None
    )


def _frozen(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "questions"}


def questionnaire_score(evidence, *, metric_name: str = "", **_) -> Measured:
    """The score of the named questionnaire's standing answer."""
    row = _answer_of(evidence, metric_name.strip())
    if row is None:
        return Measured(None, ({"questionnaire": metric_name, "reason": "not answered"},))
    return Measured(Decimal(row["score"]), (_frozen(row),))


def questionnaire_answer(evidence, *, metric_name: str = "", **_) -> Measured:
    """One answer of the named questionnaire as a number (see the module)."""
    key, _dot, question = metric_name.strip().partition(".")
    row = _answer_of(evidence, key)
    if row is None:
        return Measured(None, ({"questionnaire": key, "reason": "not answered"},))
    definition = row["questions"].get(question)
    value = row["values"].get(question)
    source = {**_frozen(row), "question": question}
    if definition is None or value is None:
        return Measured(None, ({**source, "reason": "no such answer"},))
    kind = definition["type"]
    if kind in (ValueType.NUMBER, ValueType.MONEY):
        return Measured(Decimal(value), (source,))
    if kind == ValueType.YES_NO:
        return Measured(Decimal(1 if value else 0), (source,))
    if kind in (ValueType.CHOICE, ValueType.CHOICES):
        return Measured(choice_score(kind, value, definition["choices"]), (source,))
    return Measured(None, ({**source, "reason": "the answer is not a number"},))


MEASURABLES = (
    (
        SCORE_KEY,
        "Questionnaire score (metric name: the questionnaire's key)",
        answers_load,
        questionnaire_score,
    ),
    (
        ANSWER_KEY,
        "Questionnaire answer (metric name: questionnaire.question)",
        _no_loader,
        questionnaire_answer,
    ),
)
