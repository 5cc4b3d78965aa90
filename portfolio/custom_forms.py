"""The organisation's own intake fields as form fields, for the intake page and the admin.

A form field is named ``custom.<key>``, the name the services file their refusals under, so
a refusal lands next to its field. Which fields a form shows is decided on the server from
the answers (those posted, else those stored): a field whose condition is not met is not on
the form, and appears once the answer it depends on is posted (no script needed).

The intake page (``hidden=True``) also renders the fields whose condition is not met, hidden
and disabled (a disabled field posts nothing and is never read), each with the answer it
depends on and the values that show it (``shown_when``), so its script
(``flywheel/conditions.js``) shows and hides them as the answer changes, without a save.
"""

import json

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portfolio.choices import CustomFieldKind as Kind
from portfolio.choices import State
from portfolio.custom_fields import AnswerError, answer_parse, is_shown, required_at
from portfolio.services.custom_fields import custom_key

YES_NO = [("", _("— choose —")), ("true", _("Yes")), ("false", _("No"))]


def yes_no(value):
    """A yes/no select's value as a boolean (None: not answered)."""
    return {"true": True, "false": False}.get(value)


class PersonField(forms.ModelChoiceField):
    """A person, named as the pages name people: full name and user name."""

    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


def _form_field(field, *, people, required: bool) -> forms.Field:
    common = {"label": field.label, "help_text": field.help_text, "required": required}
    kind = field.kind
    if kind == Kind.TEXT:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **common)
    if kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=4, **common)
    if kind == Kind.MONEY:
        return forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, **common)
    if kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == Kind.CHOICE:
        choices = [("", _("— choose —")), *((c, c) for c in field.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if kind == Kind.CHOICES:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in field.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=yes_no,
            empty_value=None,
            **common,
        )
    return PersonField(queryset=people, **common)


def _initial(field, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _posted(form, field):
    """The answer the form was posted with, as stored (None when absent or not of the kind)."""
    name = form.add_prefix(custom_key(field.key))
    raw = (
        form.data.getlist(name)
        if field.kind == Kind.CHOICES and hasattr(form.data, "getlist")
        else form.data.get(name)
    )
    if field.kind == Kind.PERSON and raw:
        raw = int(raw) if str(raw).isdigit() else None
    try:
        return answer_parse(field, raw, from_text=True)
    except AnswerError:
        return None


def _shown_when(form, definition, kinds: dict) -> dict | None:
    """What shows a conditional field, as the page's form posts it: the name of the field
    it depends on and its values (a yes/no as its select's "true" or "false")."""
    if not definition.shown_when_key:
        return None
    values = list(definition.shown_when_values)
    if kinds.get(definition.shown_when_key) == Kind.YES_NO:
        values = [{"yes": "true", "no": "false"}.get(str(v).lower(), v) for v in values]
    name = form.add_prefix(custom_key(definition.shown_when_key))
    return {"name": name, "values": values, "values_json": json.dumps(values)}


def custom_fields_add(
    form,
    definitions,
    *,
    answers: dict,
    submitting: bool = False,
    posted: bool = True,
    hidden: bool = False,
) -> list:
    """Add the fields of ``definitions`` that are shown to ``form`` (initial: ``answers``);
    returns the names added. Shown as the answers posted say (``posted``), else as stored.
    A field required at submission is required when submitting. With ``hidden``, those not
    shown are added too, disabled and marked ``hidden_by_condition`` (never read)."""
    people = get_user_model().objects.filter(is_active=True).order_by("last_name", "username")
    current = dict(answers or {})
    if form.is_bound and posted:
        current.update({d.key: _posted(form, d) for d in definitions})
    kinds = {d.key: d.kind for d in definitions}
    added = []
    for definition in definitions:
        shown = is_shown(definition, current)
        if not shown and not hidden:
            continue
        name = custom_key(definition.key)
        required = shown and submitting and required_at(definition, State.SUBMITTED)
        field = form.fields[name] = _form_field(definition, people=people, required=required)
        field.shown_when = _shown_when(form, definition, kinds)
        field.hidden_by_condition = field.disabled = not shown
        if definition.key in (answers or {}):
            form.initial[name] = _initial(definition, answers[definition.key])
        added.append(name)
    return added


def custom_answers(form, names) -> dict:
    """The cleaned answers of the custom fields on the form, by key (None clears one); a
    field hidden by its condition is not read."""
    return {
        name.removeprefix("custom."): form.cleaned_data.get(name)
        for name in names
        if name in form.cleaned_data and not form.fields[name].disabled
    }
