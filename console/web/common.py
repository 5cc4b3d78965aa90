"""What every web page shares: rendering with the navigation, and reporting refusals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.shortcuts import render as django_render

from core.roles import roles_of


def render(request, template: str, context: dict | None = None, **kwargs):
    """Django's render, with the person's roles for the navigation."""
    context = {"nav_roles": roles_of(request.user), **(context or {})}
    return django_render(request, template, context, **kwargs)


def report(request, error, form=None) -> None:
    """Show a refusal (per-field errors, a conflict, a permission) as messages on the page.

    A form's field errors are introduced by the field's label; a service's messages are
    sentences already and read without the field key they were filed under."""
    if isinstance(error, ValidationError):
        fields = form.fields if form is not None else {}
        for field, errs in getattr(error, "message_dict", {"": error.messages}).items():
            label = (fields[field].label or pretty_name(field)) if field in fields else ""
            messages.error(request, f"{label + ': ' if label else ''}{' '.join(errs)}")
    else:
        messages.error(request, getattr(error, "message", str(error)) or "Not allowed.")
