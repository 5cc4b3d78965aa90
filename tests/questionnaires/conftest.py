import pytest

from portfolio.services.sign_off_config import organisation_role_save
from questionnaires.models import Question, Questionnaire
from tests import factories

# Risk screening: three scored choices. Scores: data 0/4/8, autonomy 0/2/5, users 0/1/3 plus
# a yes/no (yes 1, no 0) and an unscored number: the total runs from 0 to 17.
RISK_QUESTIONS = [
    ("data", "Personal data processed", "choice", [("none", 0), ("some", 4), ("special", 8)]),
    ("autonomy", "Decides without a person", "choice", [("never", 0), ("low", 2), ("high", 5)]),
    ("users", "Who is affected", "choices", [("staff", 0), ("customers", 1), ("public", 3)]),
    ("external", "Shared outside the company", "yes_no", [("yes", 1), ("no", 0)]),
    ("volume", "Cases a month", "number", []),
]


@pytest.fixture
def risk_screening(db):
    questionnaire = Questionnaire.objects.create(
        key="risk_screening", name="Risk screening", stage="submitted"
    )
    for position, (key, label, kind, choices) in enumerate(RISK_QUESTIONS):
        Question.objects.create(
            questionnaire=questionnaire,
            key=key,
            label=label,
            value_type=kind,
            choices=[{"value": v, "label": v.title(), "score": s} for v, s in choices],
            required=key != "volume",
            position=position,
        )
    return questionnaire


@pytest.fixture
def dpo_role(db):
    return organisation_role_save(key="dpo", name="Data protection officer")


@pytest.fixture
def dpo(dpo_role):
    person = factories.UserFactory(username="dora", first_name="Dora", last_name="Privacy")
    person.groups.add(dpo_role.group)
    return person
