from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Regulatory compliance")

    def ready(self) -> None:
        # Gates knows nothing of this app: the measurable and its default G1 criterion are
        # handed to its registry here.
        from compliance import measurable
        from compliance.tasks import obligations_sweep_task
        from core.sweeps import sweep_register
        from gates import registry

        registry.measurable_register(
            key=measurable.KEY,
            label=measurable.LABEL,
            load=measurable.load,
            function=measurable.open_obligations,
        )
        registry.measurable_register(
            key=measurable.KEY_G0,
            label=measurable.LABEL_G0,
            load=measurable.load_first_use,
            function=measurable.open_obligations_first_use,
        )
        registry.default_criterion_register(gate="G0", criterion=measurable.DEFAULT_G0)
        registry.default_criterion_register(gate="G1", criterion=measurable.DEFAULT_G1)
        # The law's must-meets, which no decision overrides (governance asks at closing).
        registry.legal_check_register(measurable.legal_stops)
        # `manage.py velocity` runs the "obligation overdue" sweep with the others.
        sweep_register(obligations_sweep_task)
        # Webhooks and chat may subscribe to obligations coming due.
        from core.events import event_type_register

        event_type_register("obligation_due", "Obligation due")
        event_type_register(
            "obligation_date_moved", "Obligation's due date moved", notifies_people=True
        )
        # My actions lists the obligations a person owns that come due.
        from compliance import actions
        from core.actions import action_source

        action_source(actions.compliance_actions, kinds=actions.KINDS)
