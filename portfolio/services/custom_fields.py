"""The organisation's own intake fields: defining them, and checking the answers every
interface hands in (the intake services call ``custom_answers_merge``; the lifecycle calls
``custom_required_check`` on each move forward)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.roles import roles_of
from portfolio.choices import CustomFieldKind
from portfolio.custom_fields import (
    AnswerError,
    answer_parse,
    error_message,
    is_empty,
    is_shown,
    required_at,
)
from portfolio.models import CustomField
from portfolio.selectors_custom import custom_fields

# What a definition holds, in the order the admin asks it.
DEFINITION_FIELDS = (
    "key",
    "label",
    "help_text",
    "kind",
    "choices",
    "required_from",
    "shown_when",
    "shown_when_values",
    "departments",
    "position",
)
CHOICE_KINDS = (CustomFieldKind.CHOICE, CustomFieldKind.CHOICES)


def custom_key(key: str) -> str:
    """The name an answer is filed under in errors, filters and exports."""
    return f"custom.{key}"


def _require_admin(actor) -> None:
    if not roles_of(actor).is_admin:
        raise PermissionDenied(_("Only administrators define intake fields."))


def _definition_check(field: CustomField) -> None:
    """A field's definition holds together: choices for a choice, none otherwise; a condition
    on another active field, naming answers that field can have."""
    field.choices = [str(c).strip() for c in field.choices or [] if str(c).strip()]
    field.shown_when_values = [str(v).strip() for v in field.shown_when_values or []]
    errors = {}
    if field.kind in CHOICE_KINDS and not field.choices:
        errors["choices"] = [_("A choice needs its answers.")]
    if field.kind not in CHOICE_KINDS and field.choices:
        errors["choices"] = [_("Only a choice has answers to choose from.")]
    if len(set(field.choices)) != len(field.choices):
        errors["choices"] = [_("Each answer once.")]
    # As stored, not as the caller's copy of the other field remembers it.
    other = CustomField.objects.filter(pk=field.shown_when_id).first()
    if other is not None:
        if other.pk == field.pk:
            errors["shown_when"] = [_("A field cannot depend on itself.")]
        elif other.retired_at is not None:
            errors["shown_when"] = [
                _("%(field)s is retired: a condition cannot refer to it.") % {"field": other}
            ]
        if not field.shown_when_values:
            errors["shown_when_values"] = [_("Name the answers that show this field.")]
        possible = (
            other.choices
            if other.kind in CHOICE_KINDS
            else ["yes", "no"]
            if other.kind == CustomFieldKind.YES_NO
            else None
        )
        wrong = [v for v in field.shown_when_values if possible is not None and v not in possible]
        if wrong:
            errors["shown_when_values"] = [
                _("%(field)s has no answer %(values)s; its answers: %(possible)s.")
                % {"field": other, "values": ", ".join(wrong), "possible": ", ".join(possible)}
            ]
    elif field.shown_when_values:
        errors["shown_when_values"] = [_("Values without a field to look at.")]
    if errors:
        raise ValidationError(errors)
    field.full_clean(exclude=["departments"])


def _write(field: CustomField, values: dict) -> CustomField:
    unknown = set(values) - set(DEFINITION_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Not a field of a definition.")] for name in unknown})
    departments = values.pop("departments", None)
    for name, value in values.items():
        setattr(field, name, value)
    _definition_check(field)
    field.save()
    if departments is not None:
        field.departments.set(departments)
    return field


@transaction.atomic
def custom_field_create(*, actor, **values) -> CustomField:
    """Define a new intake field (administrators)."""
    _require_admin(actor)
    return _write(CustomField(), values)


@transaction.atomic
def custom_field_update(*, actor, field: CustomField, **changes) -> CustomField:
    """Change a field's definition; its key stays (the answers are filed under it), so a new
    label keeps every answer. A retired field is not changed."""
    _require_admin(actor)
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    if field.retired_at is not None:
        raise ConflictError(_("%s is retired; it does not change.") % field, code="retired")
    if "key" in changes and changes["key"] != field.key:
        raise ValidationError({"key": [_("The key stays: the answers are filed under it.")]})
    if "kind" in changes and changes["kind"] != field.kind:
        raise ValidationError({"kind": [_("The kind stays: the answers were given as it.")]})
    return _write(field, changes)


@transaction.atomic
def custom_field_retire(*, actor, field: CustomField) -> CustomField:
    """Stop asking a field; its answers stay on every use case and in the history. A field
    that another active field's condition looks at is retired only after that one."""
    _require_admin(actor)
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    dependants = list(field.shows.filter(retired_at__isnull=True))
    if dependants:
        raise ConflictError(
            _("%(field)s shows %(others)s: retire or change those first.")
            % {"field": field, "others": ", ".join(str(d) for d in dependants)},
            code="field_in_condition",
        )
    if field.retired_at is None:
        field.retired_at = timezone.now()
        field.save(update_fields=["retired_at"])
    return field


def custom_answers_merge(
    *, current: dict, changes: dict, department_id: int | None, fields: dict | None = None
) -> dict:
    """The answers after ``changes`` (key to raw answer; an empty answer removes one),
    checked by kind. Refused (400, by field, naming it by label and key): an unknown or
    retired field, one not asked in the department, one whose condition is not met, an
    answer of the wrong kind, a person who does not exist. ``fields``: the definitions by
    key, when the caller read them once for many use cases (the import)."""
    if not isinstance(changes, dict):
        raise ValidationError({"custom": [_("Expected an object of answers by key.")]})
    if fields is None:
        fields = {f.key: f for f in custom_fields(retired=True)}
    errors, parsed = {}, {}
    for key, raw in changes.items():
        field = fields.get(key)
        if field is None:
            errors[custom_key(key)] = [_("Not an intake field of this organisation.")]
        elif field.retired_at is not None:
            errors[custom_key(key)] = [error_message(field, _("retired; answers are kept."))]
        elif field.department_ids and department_id not in field.department_ids:
            errors[custom_key(key)] = [error_message(field, _("not asked in this department."))]
        else:
            try:
                parsed[key] = answer_parse(field, raw)
            except AnswerError as exc:
                errors[custom_key(key)] = [error_message(field, str(exc))]
    people = {parsed[k] for k in parsed if fields[k].kind == CustomFieldKind.PERSON} - {None}
    if people:
        found = set(get_user_model().objects.filter(pk__in=people).values_list("pk", flat=True))
        for key, value in parsed.items():
            if fields[key].kind == CustomFieldKind.PERSON and value not in (found | {None}):
                errors[custom_key(key)] = [error_message(fields[key], _("no such person."))]
    answers = {**current, **parsed}
    answers = {key: value for key, value in answers.items() if not is_empty(value)}
    for key, value in parsed.items():
        if not is_empty(value) and not is_shown(fields[key], answers):
            errors.setdefault(custom_key(key), []).append(
                error_message(
                    fields[key],
                    _("asked only when %(other)s is %(values)s.")
                    % {
                        "other": fields[key].shown_when,
                        "values": " or ".join(fields[key].shown_when_values),
                    },
                )
            )
    if errors:
        raise ValidationError(errors)
    return answers


def custom_missing(*, answers: dict, department_id: int, state: str) -> dict:
    """The fields required at ``state`` (shown, asked in the department) left unanswered."""
    return {
        custom_key(field.key): [
            error_message(field, _("required from %s on.") % field.get_required_from_display())
        ]
        for field in custom_fields(department_id=department_id)
        if required_at(field, state)
        and is_shown(field, answers)
        and is_empty(answers.get(field.key))
    }


def custom_required_check(use_case) -> None:
    """A move into a stage needs the answers required from that stage on (400 by field)."""
    missing = custom_missing(
        answers=use_case.custom or {}, department_id=use_case.department_id, state=use_case.state
    )
    if missing:
        raise ValidationError(missing)
