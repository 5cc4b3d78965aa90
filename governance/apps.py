from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from core.roles import role_source
        from core.sweeps import sweep_register
        from governance.selectors import board_roles
        from governance.tasks import watch_sweep_task

        role_source(board_roles)
        sweep_register(watch_sweep_task)
