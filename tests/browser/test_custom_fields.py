"""The intake page shows and hides an organisation's conditional question as the answer it
depends on changes, without a save, under the Content-Security-Policy (the script is a static
file), and stays free of serious axe violations either way."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "[name='custom.personal_data']"
DEPENDENT = "[name='custom.dpia_ref']"


@pytest.fixture
def privacy(admin_user, department, head):
    personal = services.custom_field_create(
        actor=admin_user, key="personal_data", label="Personal data processed?", kind=Kind.YES_NO
    )
    services.custom_field_create(
        actor=admin_user, key="dpia_ref", label="DPIA reference", kind=Kind.TEXT,
        shown_when=personal, shown_when_values=["yes"],
    )  # fmt: skip


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_conditional_question_appears_and_disappears_as_the_answer_changes(
    page, shot, privacy, head
):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    log_in(page, head.username)
    page.goto("/use-cases/new/")
    page.wait_for_load_state("load")
    dependent = page.locator(DEPENDENT)

    hidden_first = dependent.is_hidden()
    page.select_option(ANSWER, "true")
    dependent.wait_for(state="visible")
    enabled_when_shown = dependent.is_enabled()
    shown_violations = serious(page)
    shot(page, "custom-field-shown")
    page.select_option(ANSWER, "false")
    dependent.wait_for(state="hidden")

    assert hidden_first
    assert enabled_when_shown
    assert dependent.is_disabled()  # hidden, it posts nothing
    assert page.locator("[data-without-script]").count() == 0  # the no-script note goes
    assert shown_violations == []
    assert serious(page) == []
    assert refused == []


def test_the_answer_typed_into_a_shown_question_is_saved(page, privacy, head):
    log_in(page, head.username)
    page.goto("/use-cases/new/")
    page.fill("#id_title", "Payroll assistant")
    page.select_option(ANSWER, "true")
    page.fill(DEPENDENT, "DPIA-7")
    page.click("button[name=save]")
    page.wait_for_load_state("load")

    use_case = head.memberships.get().department.use_cases.get(title="Payroll assistant")
    assert use_case.custom == {"personal_data": True, "dpia_ref": "DPIA-7"}
