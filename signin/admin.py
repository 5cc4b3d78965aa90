"""Sign-in in the admin: administrators manage group mappings, link identities, revoke tokens.

Every write goes through the services; the admin's login page offers the provider too.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import BoundedModelForm
from core.errors import ApplicationError
from core.roles import roles_of
from signin import services
from signin.models import ApiToken, GroupMapping, Identity

admin.site.login_template = "signin/admin_login.html"


class AdministratorsOnly:
    """Sign-in configuration is for administrators (executives do not see it)."""

    form = BoundedModelForm

    def has_module_permission(self, request):
        return roles_of(request.user).is_admin

    def has_view_permission(self, request, obj=None):
        return roles_of(request.user).is_admin

    def has_add_permission(self, request, *args):
        return roles_of(request.user).is_admin

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return roles_of(request.user).is_admin


@admin.register(GroupMapping)
class GroupMappingAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["group", "role", "department", "board", "organisation_role", "created_at"]
    list_filter = ["role", "department", "board"]
    search_fields = ["group"]
    list_select_related = ["department", "board", "organisation_role"]
    fields = ["group", "role", "department", "board", "organisation_role"]

    def save_model(self, request, obj, form, change):
        try:
            saved = services.group_mapping_create(
                group=obj.group,
                role=obj.role,
                department=obj.department,
                board=obj.board,
                organisation_role=obj.organisation_role,
            )
        except (ApplicationError, ValidationError) as exc:
            self.message_user(request, getattr(exc, "message", str(exc)), messages.ERROR)
            return
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.group_mapping_delete(mapping=obj)

    def delete_queryset(self, request, queryset):
        for mapping in queryset:
            services.group_mapping_delete(mapping=mapping)


@admin.register(Identity)
class IdentityAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Who signed in with the provider. Adding one links an existing local account to a
    subject at the provider before that person's first sign-in."""

    list_display = ["user", "subject", "issuer", "groups", "last_sign_in_at"]
    search_fields = ["user__username", "user__email", "subject"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    fields = ["user", "issuer", "subject", "groups", "granted", "last_sign_in_at"]
    readonly_fields = ["groups", "granted", "last_sign_in_at"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.identity_link(user=obj.user, issuer=obj.issuer, subject=obj.subject).pk


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [*list_display, "revoked_by"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        # A key is shown once to whoever creates it: owners create theirs through the API.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token, actor=request.user)
        self.message_user(
            request,
            _("%(count)s token(s) revoked.") % {"count": queryset.count()},
            messages.SUCCESS,
        )
