"""Sign-off steps: a data protection officer's step configured for the submitted stage is
required by the sign-off workflow, My actions, the diagnostic's alignment line, the review a
head may request and the gate's sign-off criterion; the role is held through its group,
named in person or mapped from the identity provider. Without steps, the sponsor and the
operator lead sign, as before (the existing sign-off tests pin that)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.actions import actions_for
from core.errors import ConflictError
from core.roles import forget_roles
from gates import services as gate_services
from governance.actions import reviews_to_request
from portfolio import services
from portfolio.models import Notification, SignOff
from portfolio.selectors_diagnostic import use_case_diagnostic
from portfolio.selectors_sign_offs import sign_off_status
from portfolio.services.sign_off_config import sign_off_step_add
from signin.services import group_mapping_create
from signin.services.people import person_roles_apply
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(dpo_role):
    for position, party in enumerate(["sponsor", "operator", "role"]):
        sign_off_step_add(
            stage="submitted",
            party=party,
            role=dpo_role if party == "role" else None,
            position=position,
        )


@pytest.fixture
def case(department, head, steps, dpo):
    sponsor = factories.executive(username="sara")
    lead = factories.UserFactory(username="olu")
    return factories.submitted(department, head, sponsor=sponsor, operator_lead=lead)


def sign_both(case):
    services.use_case_sign_off(actor=case.sponsor, use_case=case, party="sponsor")
    services.use_case_sign_off(actor=case.operator_lead, use_case=case, party="operator")
    case.refresh_from_db()


def alignment(case):
    line = next(x for x in use_case_diagnostic(use_case_id=case.pk).lines if x.key == "alignment")
    return line.colour, line.reason


def test_a_dpo_step_is_required_after_sponsor_and_operator(case, head, dpo):
    asked = Notification.objects.filter(kind="sign_off_requested", recipient=dpo)
    assert [n.subject for n in asked] == [f"Sign-off requested: {case.title}"]
    sign_both(case)

    assert [(s["label"], s["pending"]) for s in sign_off_status(use_case=case)] == [
        ("Sponsor", False),
        ("Operator lead", False),
        ("Data protection officer", True),
    ]
    assert alignment(case) == (
        "yellow",
        "Only the sponsor and operator signed off the definition of success.",
    )
    assert not reviews_to_request(department_ids=[case.department_id])
    assert [a.title for a in actions_for(dpo)] == [
        f"Sign off '{case.title}' as Data protection officer"
    ]

    services.use_case_sign_off(actor=dpo, use_case=case, party="dpo")
    dpo = type(dpo).objects.get(pk=dpo.pk)

    assert alignment(case) == (
        "green",
        "Sponsor, operator and Data protection officer all signed off the definition of success.",
    )
    assert [a.kind for a in reviews_to_request(department_ids=[case.department_id])] == [
        "request_review"
    ]
    assert not actions_for(dpo)


def test_only_a_holder_of_the_role_signs_for_it_and_once(case, head, dpo):
    with pytest.raises(PermissionDenied):
        services.use_case_sign_off(actor=head, use_case=case, party="dpo")
    services.use_case_sign_off(actor=dpo, use_case=case, party="dpo")
    with pytest.raises(ConflictError) as twice:
        services.use_case_sign_off(actor=dpo, use_case=case, party="dpo")

    assert twice.value.code == "already_signed"


def test_a_party_the_stage_does_not_need_is_refused_naming_those_it_does(case, dpo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.use_case_sign_off(actor=dpo, use_case=case, party="works_council")

    assert refused.value.message_dict["party"] == ["Choose one of sponsor, operator, dpo."]


def test_a_new_definition_withdraws_the_dpo_signature(case, head, dpo):
    services.use_case_sign_off(actor=dpo, use_case=case, party="dpo")

    services.use_case_update(actor=head, use_case=case, success_definition="Halve it.")

    assert SignOff.objects.get().withdrawn_at is not None
    assert sign_off_status(use_case=case)[2]["pending"]


def test_the_gate_criterion_follows_the_steps(case, head, dpo, default_criteria):
    gate_services.criteria_set_create(
        gate="G0",
        criteria=[
            {
                "label": "Signed by everyone the stage needs",
                "measurable": "sign_offs_given",
                "comparator": "at_least",
                "threshold": Decimal(1),
                "kind": "must",
            }
        ],
    )
    sign_both(case)
    review = gate_services.review_open(use_case=case, actor=head)
    services.use_case_sign_off(actor=dpo, use_case=case, party="dpo")
    later = gate_services.review_evaluate(
        review=review, at=review.requested_at + dt.timedelta(minutes=1)
    )

    before = review.snapshots.order_by("taken_at", "id")[0].rows[0]
    assert (before["value"], before["outcome"]) == (0, "fail")
    assert [s["signed"] for s in before["sources"]] == [True, True, False]
    assert (later.rows[0]["value"], later.rows[0]["outcome"]) == (1, "pass")
    assert later.rows[0]["sources"][2]["signed_by"] == "Dora Privacy"


def test_the_sign_off_card_shows_the_dpo_step_and_the_button(client, case, dpo):
    client.force_login(dpo)

    page = client.get(reverse("use-case-detail", args=[case.pk])).content.decode()

    assert "<strong>Data protection officer</strong>: any holder of the role" in page
    assert 'name="party" value="dpo"' in page


def test_the_identity_provider_group_grants_and_removes_the_role(dpo_role):
    person = factories.UserFactory(username="ida")
    group_mapping_create(
        group="privacy-office", role="organisation_role", organisation_role=dpo_role
    )

    granted = person_roles_apply(user=person, groups=["privacy-office"])
    held = set(person.groups.values_list("pk", flat=True))
    removed = person_roles_apply(user=person, groups=[], previously_granted=granted.held)
    forget_roles(person)

    assert granted.granted == [f"organisation_role:{dpo_role.pk}"]
    assert dpo_role.group_id in held
    assert removed.removed == [f"organisation_role:{dpo_role.pk}"]
    assert not person.groups.exists()
