"""Vendor assessments: the administrators' questionnaire and its weighted score, the owner
asked in My actions, the 12-month renewal pinned one day either side, the flag, and
"vendor assessment passed" as a gate measurable."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from components import actions, measurable, services
from components.models import AssessmentQuestion, ComponentLink
from components.selectors import DAYS_PER_MONTH
from components.watch import components_sweep
from core.roles import roles_of
from gates.measurables import Evidence
from portfolio.models import Flag, FlagKind
from tests import factories
from tests.support.components import api_as

ASSESSED = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
# 12 months of 30.4375 days = 365.25 days after the assessment.
EXPIRES = ASSESSED + dt.timedelta(days=12 * DAYS_PER_MONTH)
DAY = dt.timedelta(days=1)


@pytest.fixture
def questions(db):
    return [
        AssessmentQuestion.objects.create(text="ISO/IEC 27001 certified?", weight=3, position=1),
        AssessmentQuestion.objects.create(text="Data kept in the EU?", weight=2, position=2),
        AssessmentQuestion.objects.create(text="Sub-processors listed?", weight=1, position=3),
    ]


@pytest.fixture
def owner(department):
    return factories.member_of(department)


@pytest.fixture
def relied_on(department, admin_user, vendor, owner):
    services.component_update(component=vendor, actor=admin_user, owner=owner)
    model = services.component_create(actor=admin_user, kind="model", name="m", vendor=vendor)
    use_case = factories.UseCaseFactory(department=department)
    ComponentLink.objects.create(use_case=use_case, component=model, role="production_model")
    vendor.refresh_from_db()
    return use_case


def answers(questions, *yes):
    return {str(q.pk): i in yes for i, q in enumerate(questions)}


def test_the_score_is_the_weighted_share_of_yes(questions, vendor, admin_user):
    # Yes to the first two: (3 + 2) / (3 + 2 + 1) = 5/6 = 83.33 % >= 70: passed.
    passed = services.vendor_assessment_record(
        vendor=vendor, actor=admin_user, answers=answers(questions, 0, 1), at=ASSESSED
    )
    assert (passed.score, passed.passed) == (Decimal("83.33"), True)
    # Yes to the last two: 3/6 = 50 % < 70: failed.
    failed = services.vendor_assessment_record(
        vendor=vendor, actor=admin_user, answers=answers(questions, 1, 2), at=ASSESSED
    )
    assert (failed.score, failed.passed) == (Decimal("50.00"), False)
    vendor.refresh_from_db()
    assert vendor.assessment_status == "failed"


def test_every_question_must_be_answered(questions, vendor, admin_user):
    with pytest.raises(ValidationError) as refused:
        services.vendor_assessment_record(
            vendor=vendor, actor=admin_user, answers={str(questions[0].pk): True}
        )
    assert list(refused.value.message_dict) == ["answers"]


def test_the_owner_is_asked_and_the_assessment_expires_after_12_months(
    questions, vendor, owner, relied_on
):
    def asked(at):
        return [a.title for a in actions.component_actions(owner, roles_of(owner), at=at)]

    assert asked(ASSESSED) == ["Assess the vendor Acme Models GmbH"]
    answer = api_as(owner).post(
        "/api/vendor-assessments/",
        {"vendor": vendor.pk, "answers": answers(questions, 0, 1, 2)},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assessed_at = dt.datetime.fromisoformat(answer.json()["assessed_at"])
    expires = assessed_at + dt.timedelta(days=12 * DAYS_PER_MONTH)
    assert asked(expires - DAY) == []
    assert asked(expires + DAY) == ["Assess the vendor Acme Models GmbH"]

    components_sweep(at=expires - DAY)
    assert not Flag.objects.filter(kind=FlagKind.VENDOR_ASSESSMENT_DUE).exists()
    components_sweep(at=expires + DAY)
    flag = Flag.objects.get(kind=FlagKind.VENDOR_ASSESSMENT_DUE, cleared_at__isnull=True)
    assert (flag.use_case_id, flag.reason.startswith("Vendor assessment expired: Acme")) == (
        relied_on.pk,
        True,
    )


def _measure(use_case, at):
    extra = {measurable.VENDOR_KEY: measurable.vendor_load(use_case_id=use_case.pk, at=at)}
    evidence = Evidence(at=at, use_case={}, extra=extra)
    return measurable.vendor_assessment_passed(evidence)


def test_vendor_assessment_passed_as_a_measurable(questions, vendor, admin_user, relied_on):
    assert _measure(relied_on, ASSESSED).value == 0  # never assessed
    services.vendor_assessment_record(
        vendor=vendor, actor=admin_user, answers=answers(questions, 0, 1), at=ASSESSED
    )
    assert _measure(relied_on, EXPIRES - DAY).value == 1
    assert _measure(relied_on, EXPIRES + DAY).value == 0  # expired


def test_a_use_case_with_no_vendor_has_no_data(department, db):
    use_case = factories.UseCaseFactory(department=department)
    assert _measure(use_case, ASSESSED).value is None


def test_only_administrators_write_the_questionnaire(head, admin_user):
    body = {"text": "Pen-tested yearly?", "weight": 2}
    assert api_as(head).post("/api/vendor-questions/", body, format="json").status_code == 403
    assert api_as(admin_user).post("/api/vendor-questions/", body, format="json").status_code == 201
