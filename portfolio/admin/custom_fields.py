"""The organisation's own intake fields in the admin: defining them (administrators), and
answering them on a use case's change form, both through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import FlywheelAdmin
from core.admin_services import ServiceWriteMixin
from core.bounds import BoundedModelForm
from core.errors import ApplicationError
from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from portfolio.custom_fields import AnswerError, answer_parse, answer_text
from portfolio.custom_forms import custom_fields_add
from portfolio.models import CustomField
from portfolio.selectors_custom import (
    custom_definitions,
    custom_fields,
    with_custom_answer,
    with_custom_answered,
)
from portfolio.services.custom_fields import DEFINITION_FIELDS, custom_key

CUSTOM_SECTION = _("The organisation's own questions")


def _definitions(obj) -> list:
    return custom_fields(department_id=obj.department_id if obj is not None else -1)


ANSWERED = "answered"
UNANSWERED = "unanswered"


def custom_answer_filter(field):
    """A list filter on one field's answer (``?custom.<key>=``): by choice for a choice or
    several choices (a use case that chose it), yes or no, else answered or not."""

    class CustomAnswerListFilter(admin.SimpleListFilter):
        title = field.label
        parameter_name = custom_key(field.key)

        def lookups(self, request, model_admin):
            if field.kind in (Kind.CHOICE, Kind.CHOICES):
                return [(choice, choice) for choice in field.choices]
            if field.kind == Kind.YES_NO:
                return [("yes", _("Yes")), ("no", _("No"))]
            return [(ANSWERED, _("Answered")), (UNANSWERED, _("Not answered"))]

        def queryset(self, request, queryset):
            value = self.value()
            if not value:
                return queryset
            if field.kind not in (Kind.CHOICE, Kind.CHOICES, Kind.YES_NO):
                if value not in (ANSWERED, UNANSWERED):
                    raise IncorrectLookupParameters(value)
                return with_custom_answered(queryset, field, answered=value == ANSWERED)
            try:
                answer = answer_parse(field, value, from_text=True)
            except AnswerError as exc:
                raise IncorrectLookupParameters(str(exc)) from None
            return with_custom_answer(queryset, field, answer)

    return CustomAnswerListFilter


def custom_answer_column(field):
    """A column of the CSV export: one field's answer as the API's CSV writes it, headed
    ``custom.<key>`` (so the inventory import maps it back)."""

    def column(obj):
        return answer_text((obj.custom or {}).get(field.key))

    column.short_description = column.csv_header = custom_key(field.key)
    return column


class CustomAnswersAdminMixin:
    """For the use case admin: the answers as form fields (``custom.<key>``) for those who
    change, as one read-only list for those who read; saved through the intake service; a
    list filter and a CSV column per field (the definitions read once per request)."""

    @staticmethod
    def _definitions_listed(request) -> list:
        if not hasattr(request, "_custom_definitions"):
            request._custom_definitions = custom_definitions()
        return request._custom_definitions

    def get_list_filter(self, request):
        own = [custom_answer_filter(f) for f in self._definitions_listed(request)]
        return (*super().get_list_filter(request), *own)

    def csv_fields(self, request):
        own = [custom_answer_column(f) for f in self._definitions_listed(request)]
        return [*super().csv_fields(request), *own]

    def _custom_names(self, request, obj) -> list[str]:
        answers = obj.custom if obj is not None else {}
        holder = forms.Form()
        return custom_fields_add(holder, _definitions(obj), answers=answers, posted=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            return [*fieldsets, (CUSTOM_SECTION, {"fields": ("custom_answers",)})]
        names = self._custom_names(request, obj)
        return [*fieldsets, (CUSTOM_SECTION, {"fields": tuple(names)})] if names else fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        own = [f for f in flatten_fieldsets(self.get_fieldsets(request, obj)) if "." not in f]
        kwargs["fields"] = [f for f in own if f not in self.get_readonly_fields(request, obj)]
        base = super().get_form(request, obj, change=change, **kwargs)
        definitions = _definitions(obj)

        class WithCustomFields(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.custom_names = custom_fields_add(
                    self, definitions, answers=self.instance.custom, posted=False
                )

        return WithCustomFields

    @admin.display(description=_("Answers"))
    def custom_answers(self, obj):
        labels = {f.key: f.label for f in custom_fields(retired=True)}
        return format_html_join(
            "",
            "<div><strong>{}</strong>: {}</div>",
            ((labels.get(k, k), answer_text(v)) for k, v in sorted((obj.custom or {}).items())),
        )

    @staticmethod
    def split_custom(data: dict) -> dict | None:
        """Take the custom answers out of a change form's data, by key."""
        names = [name for name in data if name.startswith("custom.")]
        return {name.removeprefix("custom."): data.pop(name) for name in names} or None


class CustomFieldForm(BoundedModelForm):
    """Answers and condition values one per line."""

    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The answers of a choice, one per line."),
    )
    shown_when_values = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Shown when the answer is"),
        help_text=_("One per line; for a yes/no field: yes or no."),
    )

    class Meta:
        model = CustomField
        fields = list(DEFINITION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("choices", "shown_when_values"):
            self.initial[name] = "\n".join(getattr(self.instance, name) or [])

    def _lines(self, name):
        return [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]

    def clean_choices(self):
        return self._lines("choices")

    def clean_shown_when_values(self):
        return self._lines("shown_when_values")


@admin.register(CustomField)
class CustomFieldAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Administrators define the intake's own fields; a field is retired, never deleted."""

    form = CustomFieldForm
    list_display = ("label", "key", "kind", "required_from", "shown_when", "position", "retired_at")
    list_filter = ("kind", ("retired_at", admin.EmptyFieldListFilter))
    search_fields = ("label", "key")
    readonly_fields = ("retired_at", "created_at")
    filter_horizontal = ("departments",)
    actions = ["retire"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "key", "kind") if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, data):
        return services.custom_field_create(actor=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.custom_field_update(actor=request.user, field=obj, **changes)

    @admin.action(description=_("Retire selected (their answers stay)"), permissions=["change"])
    def retire(self, request, queryset):
        for field in queryset:
            try:
                services.custom_field_retire(actor=request.user, field=field)
            except (ApplicationError, PermissionDenied) as exc:
                self.message_user(request, str(getattr(exc, "message", exc)), messages.ERROR)
            else:
                self.message_user(request, _("Retired: %s") % field, messages.SUCCESS)
