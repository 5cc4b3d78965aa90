from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from core.roles import role_source
        from core.sweeps import sweep_register
        from governance.selectors import board_roles
        from governance.tasks import watch_sweep_task
        from governance.watch import watch_refresh
        from portfolio.services.flag_refresh import flag_refresher_register

        role_source(board_roles)
        flag_refresher_register(watch_refresh)
        sweep_register(watch_sweep_task)
