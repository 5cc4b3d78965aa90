"""People's profiles in the admin: the language each person's pages and e-mails speak, set
through the same service as the switcher on every page."""

from django.contrib import admin

from core.admin import FlywheelAdmin
from core.admin_services import ServiceWriteMixin
from portfolio.models import Profile
from portfolio.services.people import profile_language_set


@admin.register(Profile)
class ProfileAdmin(ServiceWriteMixin, FlywheelAdmin):
    """A person's language: empty follows their browser."""

    list_display = ("user", "language")
    list_filter = ("language",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def service_create(self, request, data):
        return profile_language_set(user=data["user"], language=data.get("language", ""))

    def service_update(self, request, obj, changes):
        return profile_language_set(user=obj.user, language=changes.get("language", obj.language))
