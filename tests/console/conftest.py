"""Helpers of the console tests: decided use cases (the board fixtures are shared)."""

import datetime as dt

import pytest
from django.utils import timezone

from governance import services as governance_services
from tests import factories


def decided(department, head, chair, members, *, verdict="go", at=None):
    """A use case submitted, reviewed at G0 and decided by the whole board."""
    at = at or timezone.now() - dt.timedelta(days=3)
    use_case = factories.submitted(department, head, at=at - dt.timedelta(days=2))
    factories.ReadingFactory(metric=use_case.metrics.first(), measured_at=at)
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    for user in (chair, *members):
        governance_services.vote_cast(
            review=review, actor=user, choice=verdict, comment="Evidence holds.", at=at
        )
    governance_services.review_close(
        review=review,
        actor=chair,
        rationale="The board weighed the evidence.",
        at=at + dt.timedelta(hours=20),
    )
    return review


@pytest.fixture
def admin_form_data():
    """Everything an admin change form would post back as it stands, inlines included."""

    def data_of(response) -> dict:
        data = {}
        forms = [response.context["adminform"].form]
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            for name, value in formset.management_form.initial.items():
                data[f"{formset.prefix}-{name}"] = value
            forms += formset.forms
        for form in forms:
            for name in form.fields:
                value = form[name].value()
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = (
                    [str(v) for v in value] if isinstance(value, list | tuple) else value
                )
        return data

    return data_of
