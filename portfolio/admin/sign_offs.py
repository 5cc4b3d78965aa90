"""Sign-off configuration in the admin: the organisation's roles with their holders, and the
steps each stage needs. Writes go through portfolio.services.sign_off_config."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import FlywheelAdmin
from core.bounds import BoundedModelForm
from core.errors import ApplicationError
from portfolio.models import OrganisationRole, SignOffStep
from portfolio.services import sign_off_config


class OrganisationRoleForm(BoundedModelForm):
    holders = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text=_(
            "People who hold the role; groups of the identity provider are mapped to "
            "it under Sign-in, group mappings."
        ),
    )

    class Meta:
        model = OrganisationRole
        fields = ["key", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["holders"].initial = list(self.instance.group.user_set.all())


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(FlywheelAdmin):
    form = OrganisationRoleForm
    list_display = ["name", "key", "group"]
    search_fields = ["name", "key"]

    def save_model(self, request, obj, form, change):
        try:
            saved = sign_off_config.organisation_role_save(
                key=obj.key,
                name=obj.name,
                holders=form.cleaned_data["holders"],
                role=obj if change else None,
            )
        except (ApplicationError, ValidationError) as exc:
            self.message_user(request, getattr(exc, "message", str(exc)), messages.ERROR)
            return
        obj.pk, obj.group_id = saved.pk, saved.group_id

    def save_related(self, request, form, formsets, change):
        """The holders were set by the service."""


@admin.register(SignOffStep)
class SignOffStepAdmin(FlywheelAdmin):
    list_display = ["stage", "party", "role", "position"]
    list_filter = ["stage", "party"]
    list_select_related = ["role"]
    fields = ["stage", "party", "role", "position"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = sign_off_config.sign_off_step_add(
                stage=obj.stage, party=obj.party, role=obj.role, position=obj.position
            )
        except (ApplicationError, ValidationError) as exc:
            self.message_user(request, getattr(exc, "message", str(exc)), messages.ERROR)
            return
        obj.pk = saved.pk
