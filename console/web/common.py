"""What every web page shares: rendering with the navigation, and reporting refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import pretty_name
from django.shortcuts import get_object_or_404
from django.shortcuts import render as django_render
from django.utils.translation import gettext as _

from core.roles import roles_of
from portfolio.selectors import use_case_visible_to


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
        messages.error(request, getattr(error, "message", str(error)) or _("Not allowed."))


def managed_use_case(request, pk):
    """A use case the person may see and manage (404 when unseen, 403 when only seen)."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("portfolio.manage_use_case", use_case):
        raise PermissionDenied("Only the department's head manages this use case.")
    return use_case
