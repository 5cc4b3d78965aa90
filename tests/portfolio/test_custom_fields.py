"""The rules of an organisation's own intake fields, through the services every surface calls:
answers checked by kind, conditions, required from a stage on (one stage either side),
retiring and renaming."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import ConflictError
from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from portfolio.choices import State
from portfolio.custom_fields import AnswerError, answer_parse
from portfolio.models import UseCase
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def define(admin_user):
    def define(key, kind=Kind.TEXT, **values):
        return services.custom_field_create(
            actor=admin_user, key=key, label=values.pop("label", key.title()), kind=kind, **values
        )

    return define


@pytest.fixture
def grant():
    """A saved row answering the gate-authorisation protocol (the real decisions are tested in
    tests/governance): enough to move a use case forward here."""
    row = factories.DepartmentFactory()
    row.authorises_forward_move = lambda *, use_case: True
    return row


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (Kind.TEXT, "Payroll data", "Payroll data"),
        (Kind.NUMBER, 12.5, "12.5"),
        (Kind.NUMBER, "1200", "1200"),
        (Kind.MONEY, "1250.5", "1250.50"),
        (Kind.DATE, "2026-03-31", "2026-03-31"),
        (Kind.CHOICE, "High", "High"),
        (Kind.CHOICES, ["Low", "High"], ["High", "Low"]),  # kept in the field's order
        (Kind.YES_NO, True, True),
        (Kind.PERSON, 7, 7),
        (Kind.TEXT, "", None),
    ],
)
def test_an_answer_of_the_field_kind_is_stored_in_its_form(kind, raw, stored):
    field = type("F", (), {"kind": kind, "choices": ["High", "Low"]})()
    assert answer_parse(field, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (Kind.TEXT, 12),
        (Kind.NUMBER, "twelve"),
        (Kind.NUMBER, True),
        (Kind.MONEY, "-1"),
        (Kind.MONEY, "10.005"),
        (Kind.DATE, "31/03/2026"),
        (Kind.CHOICE, "Medium"),
        (Kind.CHOICES, "High"),
        (Kind.YES_NO, "yes"),  # the API is strict: a boolean
        (Kind.PERSON, "7"),
    ],
)
def test_an_answer_of_another_kind_is_refused(kind, raw):
    field = type("F", (), {"kind": kind, "choices": ["High", "Low"]})()
    with pytest.raises(AnswerError):
        answer_parse(field, raw)


def test_a_wrong_answer_is_refused_naming_the_field_by_label_and_key(define, use_case, head):
    define("data_volume", Kind.NUMBER, label="Data volume (GB)")

    with pytest.raises(ValidationError) as refused:
        services.use_case_update(actor=head, use_case=use_case, custom={"data_volume": "lots"})

    assert refused.value.message_dict == {
        "custom.data_volume": ["Data volume (GB) (data_volume): Expected a number."]
    }


def test_a_field_for_some_departments_is_refused_in_another(define, use_case, head):
    field = define("payroll", Kind.YES_NO)
    field.departments.set([factories.DepartmentFactory()])

    with pytest.raises(ValidationError) as refused:
        services.use_case_update(actor=head, use_case=use_case, custom={"payroll": True})

    assert "not asked in this department" in refused.value.message_dict["custom.payroll"][0]


def test_a_conditional_field_is_answered_only_when_its_condition_holds(define, use_case, head):
    personal = define("personal_data", Kind.YES_NO)
    define("dpia_ref", shown_when=personal, shown_when_values=["yes"])

    with pytest.raises(ValidationError):
        services.use_case_update(actor=head, use_case=use_case, custom={"dpia_ref": "D-1"})
    saved = services.use_case_update(
        actor=head, use_case=use_case, custom={"personal_data": True, "dpia_ref": "D-1"}
    )

    assert saved.custom == {"personal_data": True, "dpia_ref": "D-1"}


def test_required_from_pilot_is_not_required_one_stage_before(define, use_case, head):
    define("privacy_review", required_from=State.PILOT)

    assert services.use_case_submit(use_case=use_case, actor=head).state == State.SUBMITTED


def test_required_from_pilot_is_required_to_enter_pilot(define, use_case, head, grant):
    define("privacy_review", required_from=State.PILOT)
    use_case = services.use_case_submit(use_case=use_case, actor=head)

    def advance():
        return services.use_case_advance(use_case=use_case, authorisation=grant, actor=head)

    with pytest.raises(ValidationError) as refused:
        advance()
    assert list(refused.value.message_dict) == ["custom.privacy_review"]
    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED
    services.use_case_update(actor=head, use_case=use_case, custom={"privacy_review": "Done"})
    assert advance().state == State.PILOT


def test_required_at_submission_only_when_its_condition_shows_it(define, head, department):
    personal = define("personal_data", Kind.YES_NO)
    define("dpia_ref", shown_when=personal, shown_when_values=["yes"], required_from="submitted")
    hidden = factories.UseCaseFactory(department=department, custom={"personal_data": False})
    shown = factories.UseCaseFactory(department=department, custom={"personal_data": True})

    assert services.use_case_submit(use_case=hidden, actor=head).state == State.SUBMITTED
    with pytest.raises(ValidationError) as refused:
        services.use_case_submit(use_case=shown, actor=head)
    assert list(refused.value.message_dict) == ["custom.dpia_ref"]


def test_a_condition_on_a_retired_field_is_refused_when_saved(define, admin_user):
    old = define("old_question", Kind.YES_NO)
    services.custom_field_retire(actor=admin_user, field=old)

    with pytest.raises(ValidationError) as refused:
        define("follow_up", shown_when=old, shown_when_values=["yes"])

    assert "retired" in refused.value.message_dict["shown_when"][0]


def test_a_field_shown_by_another_is_retired_first(define, admin_user):
    personal = define("personal_data", Kind.YES_NO)
    define("dpia_ref", shown_when=personal, shown_when_values=["yes"])

    with pytest.raises(ConflictError):
        services.custom_field_retire(actor=admin_user, field=personal)


def test_renaming_keeps_answers_and_retiring_keeps_them_read_only(
    define, admin_user, use_case, head
):
    field = define("vendor", label="Vendor")
    services.use_case_update(actor=head, use_case=use_case, custom={"vendor": "Acme"})

    services.custom_field_update(actor=admin_user, field=field, label="Supplier")
    with pytest.raises(ValidationError):
        services.custom_field_update(actor=admin_user, field=field, key="supplier")
    services.custom_field_retire(actor=admin_user, field=field)

    use_case.refresh_from_db()
    assert use_case.custom == {"vendor": "Acme"}
    with pytest.raises(ValidationError):
        services.use_case_update(actor=head, use_case=use_case, custom={"vendor": "Other"})


def test_only_administrators_define_fields(head):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.custom_field_create(actor=head, key="x", label="X", kind=Kind.TEXT)
