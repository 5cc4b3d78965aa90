from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from core.events import event_subscribe, event_type_register
        from integrations import tasks
        from integrations.services import DELIVERY_JOB, webhooks_record

        event_type_register("webhook_disabled", "Webhook disabled", notifies_people=True)
        event_subscribe(webhooks_record)
        DELIVERY_JOB.fill(tasks.webhook_deliver)
