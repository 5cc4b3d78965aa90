"""The corpus of AI systems from the Regulation's text (tests/corpus/ai_act): for each, the
duties a lawyer lists (by article, written from Regulation (EU) 2024/1689 and the Digital
Omnibus, not from our catalogue) against what Flywheel generates; and every date of
application pinned one day either side with a fixed clock."""

import datetime as dt
import json
from pathlib import Path

import pytest

from compliance import services
from compliance.choices import ObligationStatus
from compliance.models import Obligation
from compliance.selectors import use_case_compliance
from core.errors import ConflictError
from tests import factories
from tests.support.gates import submitted

pytestmark = pytest.mark.usefixtures("catalogue")

CORPUS = json.loads(
    (Path(__file__).parents[1] / "corpus" / "ai_act" / "systems.json").read_text("utf-8")
)["systems"]
# Before every date of application: each duty is then due on its date (lead days end earlier).
GENERATED = dt.datetime(2024, 12, 1, 12, tzinfo=dt.UTC)


def generate(system: dict, department, head) -> tuple[set[str], str | None]:
    """Run one corpus system through Flywheel: the articles of its obligations, and the code
    of a refusal (submission or Art. 6(3) claim) if there was one."""
    refusal = None
    try:
        use_case = submitted(department, head, title=system["name"][:200], **system["intake"])
    except ConflictError as refused:
        return set(), refused.code
    profile = dict(system["profile"])
    services.regulatory_profile_record(use_case=use_case, actor=head, at=GENERATED, **profile)
    if "claim" in system:
        claim = services.exemption_claim(
            use_case=use_case,
            actor=head,
            reasoning="As described in the corpus.",
            at=GENERATED,
            **system["claim"],
        )
        if claim.outcome == "refused":
            refusal = claim.outcome_reason.split(":")[0]
    articles = set(
        Obligation.objects.filter(use_case=use_case)
        .exclude(status=ObligationStatus.NOT_APPLICABLE)
        .values_list("obligation_type__article", flat=True)
    )
    return articles, refusal


def test_the_corpus_has_at_least_twelve_systems():
    assert len(CORPUS) >= 12
    assert len({s["id"] for s in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("system", CORPUS, ids=[s["id"] for s in CORPUS])
def test_flywheel_lists_the_duties_a_lawyer_lists(system, department, head):
    got, refusal = generate(system, department, head)

    expected = set(system["expected"])
    assert got == expected, f"missing {sorted(expected - got)}, extra {sorted(got - expected)}"
    assert refusal == (system.get("refused") or system.get("refused_claim"))


# --- Dates of application, one day either side ------------------------------------------
# Art. 113 of Regulation (EU) 2024/1689 and, for the high-risk rules, as amended by the
# Digital Omnibus on AI (Council adoption 29 June 2026). A duty generated before its date of
# application is due on that date: not overdue on the day, overdue the day after.
DATES = [
    ("credit_scoring_bank", "Art. 4", dt.date(2025, 2, 2)),  # Art. 113(a)
    ("deep_fake_marketing", "Art. 50(4)", dt.date(2026, 8, 2)),  # Art. 113, 2nd paragraph
    ("credit_scoring_bank", "Art. 86", dt.date(2026, 8, 2)),  # Art. 113, 2nd paragraph
    ("credit_scoring_bank", "Art. 26(1)", dt.date(2027, 12, 2)),  # Annex III, as amended
    ("credit_scoring_bank", "Art. 27", dt.date(2027, 12, 2)),  # Annex III, as amended
    ("cv_screening_vendor", "Art. 43", dt.date(2027, 12, 2)),  # Annex III, as amended
    ("annex_i_safety_component", "Art. 9", dt.date(2028, 8, 2)),  # Annex I, as amended
]


@pytest.mark.parametrize(("system_id", "article", "applies"), DATES)
def test_each_date_of_application_one_day_either_side(
    system_id, article, applies, department, head
):
    system = next(s for s in CORPUS if s["id"] == system_id)
    generate(system, department, head)
    use_case = factories.UseCaseFactory._meta.model.objects.get(title=system["name"][:200])

    def overdue(today):
        block = use_case_compliance(use_case=use_case, today=today)
        return article in {o.obligation_type.article for o in block.overdue}

    assert not overdue(applies - dt.timedelta(days=1))
    assert not overdue(applies)  # due on the day: by the end of it
    assert overdue(applies + dt.timedelta(days=1))
