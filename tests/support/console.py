"""Steps the page tests share: a decided review, an open review page, admin form data."""

import datetime as dt

from django.utils import timezone

from governance import services as governance_services
from tests import factories
from tests.factories import submitted


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
        lesson=factories.LESSON if verdict == "no_go" else None,
        at=at + dt.timedelta(hours=20),
    )
    return review


def open_review(department, head, *, hours_ago: float):
    use_case = submitted(department, head)
    return governance_services.review_request(
        use_case=use_case, actor=head, at=timezone.now() - dt.timedelta(hours=hours_ago)
    )


def change_form_data(response) -> dict:
    """Everything the change form would post back as it stands, inlines included."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[sub.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v is not False}
