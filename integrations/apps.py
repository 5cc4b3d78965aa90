from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        from core.events import event_subscribe, event_type_register
        from integrations.services import webhooks_record

        event_type_register("webhook_disabled", "Webhook disabled", notifies_people=True)
        event_subscribe(webhooks_record)
