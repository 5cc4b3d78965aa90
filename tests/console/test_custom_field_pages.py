"""A custom intake field defined once appears on the intake page (shown as its condition
says, decided on the server so the page works without a script) and in the admin."""

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from portfolio.choices import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy(admin_user):
    personal = services.custom_field_create(
        actor=admin_user, key="personal_data", label="Personal data processed?", kind=Kind.YES_NO
    )
    services.custom_field_create(
        actor=admin_user, key="dpia_ref", label="DPIA reference", kind=Kind.TEXT,
        shown_when=personal, shown_when_values=["yes"], required_from=State.SUBMITTED,
    )  # fmt: skip


def draft_post(department, **fields) -> dict:
    return {
        "department": department.pk,
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "gaps-TOTAL_FORMS": "0",
        "gaps-INITIAL_FORMS": "0",
        "save": "1",
        **fields,
    }


def test_the_intake_page_asks_a_conditional_field_once_its_answer_is_posted(
    client, head, department, privacy
):
    client.force_login(head)

    first = client.get(reverse("use-case-new"))
    # Posted without a title (refused), the answer shows the field that depends on it.
    refused = client.post(
        reverse("use-case-new"), draft_post(department, **{"custom.personal_data": "true"})
    )
    saved = client.post(
        reverse("use-case-new"),
        draft_post(
            department,
            title="Payroll assistant",
            **{"custom.personal_data": "true", "custom.dpia_ref": "DPIA-7"},
        ),
    )

    page = first.content.decode()
    assert "Personal data processed?" in page
    # Rendered for the script, hidden and disabled (posts nothing) until the answer is yes.
    guard = 'data-shown-when="custom.personal_data" data-shown-values="[&quot;true&quot;]" hidden'
    assert f"<div {guard}>" in page
    assert first.context["form"].fields["custom.dpia_ref"].disabled
    assert "flywheel/conditions.js" in page
    assert refused.status_code == 200
    assert not refused.context["form"].fields["custom.dpia_ref"].disabled
    assert saved.status_code == 302
    use_case = head.memberships.get().department.use_cases.get(title="Payroll assistant")
    assert use_case.custom == {"personal_data": True, "dpia_ref": "DPIA-7"}


def test_a_hidden_question_posted_anyway_is_not_read(client, head, department, privacy):
    client.force_login(head)

    saved = client.post(
        reverse("use-case-new"),
        draft_post(
            department,
            title="Payroll assistant",
            **{"custom.personal_data": "false", "custom.dpia_ref": "DPIA-7"},
        ),
    )

    assert saved.status_code == 302
    use_case = head.memberships.get().department.use_cases.get(title="Payroll assistant")
    assert use_case.custom == {"personal_data": False}


def test_the_admin_change_form_shows_and_saves_an_answer(
    client, admin_user, use_case, privacy, admin_form_data
):
    client.force_login(admin_user)
    url = reverse("admin:portfolio_usecase_change", args=[use_case.pk])
    data = admin_form_data(client.get(url))
    data["custom.personal_data"] = "false"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    use_case.refresh_from_db()
    assert use_case.custom == {"personal_data": False}
    assert "DPIA reference" not in client.get(url).content.decode()


def test_the_admin_refuses_a_condition_on_a_retired_field(client, admin_user):
    old = services.custom_field_create(actor=admin_user, key="old", label="Old", kind=Kind.YES_NO)
    services.custom_field_retire(actor=admin_user, field=old)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:portfolio_customfield_add"),
        {"key": "new", "label": "New", "kind": "text", "position": "0",
         "shown_when": old.pk, "shown_when_values": "yes"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "retired" in str(response.context["adminform"].form.errors)
