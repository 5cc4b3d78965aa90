"""Fixtures of the console tests (the board fixtures are shared; decided use cases are in
tests/support/console.py)."""

import pytest


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
