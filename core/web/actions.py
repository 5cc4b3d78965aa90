"""The one way a page action reports: refusals (per-field errors, a conflict, a permission)
and the outcome become messages on the page the person is sent back to."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import pretty_name
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.errors import ApplicationError

# What a service refuses with; anything else is a fault and stays a 500.
REFUSALS = (ValidationError, ApplicationError, PermissionDenied)
# For an action the page never offers to those not allowed: they get the 403 page instead.
CONTENT_REFUSALS = (ValidationError, ApplicationError)


def report(request, error, form=None) -> None:
    """Show a refusal as messages on the page.

    A form's field errors are introduced by the field's label; a service's messages are
    sentences already and read without the field key they were filed under."""
    if isinstance(error, ValidationError):
        fields = form.fields if form is not None else {}
        for field, errs in getattr(error, "message_dict", {"": error.messages}).items():
            label = (fields[field].label or pretty_name(field)) if field in fields else ""
            text = " ".join(str(e) for e in errs)
            if label:
                text = _("%(label)s: %(errors)s") % {"label": label, "errors": text}
            messages.error(request, text)
    else:
        messages.error(request, getattr(error, "message", str(error)) or _("Not allowed."))


def page_action(
    request,
    *,
    form,
    call: Callable[[dict], object],
    done: str | Callable[[object], str],
    to,
    refused_to=None,
    refusals: tuple = REFUSALS,
) -> HttpResponseRedirect:
    """Validate ``form``, call one service with its cleaned data, report, redirect.

    ``done`` is the message on success (or a function of what the service returned);
    ``to`` is where the person goes (anything ``redirect`` takes), ``refused_to`` where
    they go after a refusal when it is another page (the form to finish, say): a place, or
    a function of the refusal. ``refusals`` are the errors reported on the page
    (``CONTENT_REFUSALS`` leaves a permission refused to the 403 page).
    """

    def back(error):
        report(request, error, form)
        if refused_to is None:
            return redirect(to)
        return redirect(refused_to(error) if callable(refused_to) else refused_to)

    if form is not None and not form.is_valid():
        return back(ValidationError(form.errors))
    try:
        result = call(form.cleaned_data if form is not None else {})
    except refusals as error:
        return back(error)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(to)
