"""Webhook endpoints and their delivery log, for portfolio administrators only (endpoints
hold secrets: executives do not read them). Saving and enabling go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import BoundedModelForm
from core.events import event_types
from core.roles import roles_of
from integrations import services
from integrations.models import WebhookDelivery, WebhookEndpoint


class AdministratorsOnly:
    form = BoundedModelForm

    def has_module_permission(self, request):
        return roles_of(request.user).is_admin

    def has_view_permission(self, request, obj=None):
        return roles_of(request.user).is_admin

    def has_add_permission(self, request, *args):
        return roles_of(request.user).is_admin

    def has_change_permission(self, request, obj=None):
        return roles_of(request.user).is_admin

    def has_delete_permission(self, request, obj=None):
        return roles_of(request.user).is_admin


class EndpointForm(BoundedModelForm):
    event_types = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Events sent to this endpoint."),
    )
    url = forms.URLField(max_length=500, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), max_length=200)

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "kind", "url", "secret", "event_types", "department", "board", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(t.code, t.label) for t in event_types()]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = (
        "name",
        "kind",
        "url",
        "active",
        "consecutive_failures",
        "disabled_at",
        "department",
        "board",
    )
    list_filter = ("active", "kind")
    readonly_fields = ("consecutive_failures", "disabled_at", "disabled_reason", "created_at")
    actions = ["enable"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in EndpointForm.Meta.fields}
        target = WebhookEndpoint.objects.get(pk=obj.pk) if change else None
        try:
            saved = services.webhook_endpoint_save(actor=request.user, endpoint=target, **fields)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return
        obj.pk = saved.pk

    @admin.action(
        description=gettext_lazy("Enable the selected endpoints (failure count back to 0)")
    )
    def enable(self, request, queryset):
        for endpoint in queryset:
            services.webhook_endpoint_enable(actor=request.user, endpoint=endpoint)
        messages.success(request, _("%(count)s endpoints enabled.") % {"count": queryset.count()})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AdministratorsOnly, admin.ModelAdmin):
    """The delivery log: read only."""

    list_display = (
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "response_ms",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "endpoint")
    list_select_related = ("endpoint",)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
