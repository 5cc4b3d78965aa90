"""What every app's admin shares: executives read-only, CSV export, choice filters.

Each app declares its models readable by executives with ``executives_read(app_label)`` in
its own admin module; core names no app.
"""

import datetime as dt
from decimal import Decimal

import rules
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from core.api.csv import STREAM_BATCH, csv_moment, streamed_csv
from core.bounds import BoundedModelForm
from core.roles import roles_of
from core.rules import is_executive, is_portfolio_admin

READERS = is_portfolio_admin | is_executive


def executives_read(app_label: str) -> None:
    """Let executives (and administrators) view every model of the app in the admin.

    Granted as rules (not rows in the permission table), so "executives read everything"
    stays true for models added later. The apps' own rules modules are loaded first, so that
    a permission an app declares itself is never shadowed by (or collides with) this default.
    """
    autodiscover_modules("rules")
    if not rules.perm_exists(app_label):
        rules.add_perm(app_label, READERS)
    for model in apps.get_app_config(app_label).get_models():
        name = f"{app_label}.view_{model._meta.model_name}"
        if not rules.perm_exists(name):
            rules.add_perm(name, READERS)


class ExecutiveReadOnlyMixin:
    """Executives view, never add, change or delete; portfolio administrators manage."""

    def has_module_permission(self, request):
        return READERS(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return READERS(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        if only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_delete_permission(request, obj)


def only_reads(user) -> bool:
    roles = roles_of(user)
    return roles.is_executive and not roles.is_admin


class CsvExportMixin:
    """CSV of the list as filtered on screen (an "Export CSV" link) or of the selected rows."""

    change_list_template = "admin/flywheel/change_list_export.html"
    actions = ["export_csv"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv(request, changelist.get_queryset(request))

    @admin.action(description=_("Export selected rows to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv(request, queryset)

    def csv_fields(self, request):
        """The list's columns; a column formatted for the screen (``csv_field`` on it, e.g.
        money with its currency) exports the field's number instead. A callable may stand
        for a column, headed by its ``csv_header``."""
        names = [name for name in self.get_list_display(request) if name != "action_checkbox"]
        return [getattr(getattr(self, name, None), "csv_field", name) for name in names]

    def _csv(self, request, queryset):
        """Streamed from a server-side cursor a batch at a time (flat memory whatever the
        size), related rows the columns name joined in, every cell through csv_safe."""
        fields = self.csv_fields(request)
        header = [
            getattr(name, "csv_header", None)
            or capfirst(str(label_for_field(name, self.model, model_admin=self)))
            for name in fields
        ]
        related = [
            name
            for name in fields
            if any(f.name == name and f.many_to_one for f in self.model._meta.get_fields())
        ]
        if related:
            queryset = queryset.select_related(*related)

        def rows():
            for obj in queryset.iterator(chunk_size=STREAM_BATCH):
                yield [_cell(lookup_field(name, obj, self)[2]) for name in fields]

        filename = slugify(self.model._meta.verbose_name_plural)
        return streamed_csv(filename=filename, header=header, rows=rows())


def _cell(value):
    # Moments as csv_text writes them; numbers as they are; instances and labels as text
    # (csv_safe neutralises the text).
    if isinstance(value, (dt.date, dt.datetime)):
        return csv_text(value)
    if value is None or isinstance(value, (str, int, float, Decimal)):
        return value
    return str(value)


def csv_text(value) -> str:
    """A cell as text; moments as every CSV writes them (``csv_moment``: ISO 8601 in UTC to
    the second, "2026-03-01T09:30:00Z"), dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return csv_moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class FlywheelAdmin(ExecutiveReadOnlyMixin, CsvExportMixin, admin.ModelAdmin):
    """The shape of every Flywheel admin: read-only for executives, exportable lists, and the
    bounds every interface applies (core.bounds) on its change form."""

    form = BoundedModelForm
    list_per_page = 50


class ReadOnlyAdmin(FlywheelAdmin):
    """A record (audit rows, evidence): listed, filtered and exported; never added, changed
    or deleted from the admin."""

    actions = ["export_csv"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown inside another record's page, never written there (they change on their
    own admin page, through their services)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def choices_filter(field: str, choices, title):
    """A list filter over a generated field, labelled by the choices of its output field
    (a GeneratedField offers no choices of its own to the admin); ``title`` a lazy translation
    (the admin writes "By <title>")."""

    class ChoicesFilter(admin.SimpleListFilter):
        parameter_name = f"{field}__exact"

        def lookups(self, request, model_admin):
            return list(choices)

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    ChoicesFilter.title = title
    return ChoicesFilter
