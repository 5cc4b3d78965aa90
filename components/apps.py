from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    name = "components"
    verbose_name = _("Components and incidents")

    def ready(self) -> None:
        # Gates, My actions, webhooks and the sweeps know nothing of this app: it hands them
        # what it contributes here.
        from components import actions, inventory_columns, measurable
        from components.bom_jobs import BOM_JOB
        from components.tasks import bom_import_job_task, incidents_sweep_task
        from components.watch import components_refresh
        from core.actions import action_source
        from core.columns import column_set_register
        from core.events import event_type_register
        from core.sweeps import sweep_register
        from gates import registry
        from portfolio.services.flag_refresh import flag_refresher_register

        for item in measurable.MEASURABLES:
            registry.measurable_register(
                key=item.key, label=item.label, load=item.load, function=item.function
            )
        action_source(actions.component_actions, kinds=actions.KINDS)
        sweep_register(incidents_sweep_task)
        flag_refresher_register(components_refresh)
        event_type_register("incident_reported", "Incident reported", notifies_people=False)
        column_set_register(inventory_columns.COLUMN_SET)
        BOM_JOB.fill(bom_import_job_task)
