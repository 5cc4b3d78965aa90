from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Regulatory compliance"

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
        registry.default_criterion_register(gate="G1", criterion=measurable.DEFAULT_G1)
        # `manage.py velocity` runs the "obligation overdue" sweep with the others.
        sweep_register(obligations_sweep_task)
        # Webhooks and chat may subscribe to obligations coming due.
        from core.events import event_type_register

        event_type_register("obligation_due", "Obligation due")
        # My actions lists the obligations a person owns that come due.
        from compliance import actions
        from core.actions import action_source

        action_source(actions.compliance_actions, kinds=actions.KINDS)
