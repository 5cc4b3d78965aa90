"""The admin as a client of the services: a change form whose save calls the service the
API calls, so every rule (locked goalposts, intake after submission, sign-offs withdrawn
when the definition of success changes) holds in the admin as much as in the API.

The form asks the service first, in a savepoint that is always rolled back, so that a
refusal comes back as a form error (per field where the service names one) instead of an
error page; the admin's save then calls the service for real.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError


class _DryRun(Exception):
    """Raised inside the savepoint to roll back the trial write."""


class ServiceWriteMixin:
    """For a ModelAdmin: implement ``service_create(request, data)`` and
    ``service_update(request, obj, changes)``; both return the saved object."""

    def service_create(self, request, data: dict):
        raise NotImplementedError

    def service_update(self, request, obj, changes: dict):
        raise NotImplementedError

    def _write(self, request, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if form.instance.pk is None:
            return self.service_create(request, changes)
        original = type(form.instance)._default_manager.get(pk=form.instance.pk)
        return self.service_update(request, original, changes)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        admin = self

        class ServiceCheckedForm(base):
            def clean(self):
                cleaned = super().clean()
                if self.errors:
                    return cleaned
                try:
                    with transaction.atomic():
                        admin._write(request, self)
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as exc:
                    for field, messages in _by_field(exc, self.fields).items():
                        self.add_error(None if field == NON_FIELD_ERRORS else field, messages)
                except (ApplicationError, PermissionDenied) as exc:
                    raise forms.ValidationError(
                        str(getattr(exc, "message", "") or exc or "Not allowed."),
                        code=getattr(exc, "code", "refused"),
                    ) from exc
                return cleaned

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        saved = self._write(request, form)
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        raise PermissionDenied(_("Removed only through the services."))


def _by_field(exc: ValidationError, fields) -> dict:
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: exc.messages}
    result = {}
    for field, errors in exc.message_dict.items():
        key = field if field in fields else NON_FIELD_ERRORS
        result.setdefault(key, []).extend(
            errors if key == field else [f"{field}: {message}" for message in errors]
        )
    return result
