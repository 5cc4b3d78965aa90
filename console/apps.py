from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "Console"

    def ready(self):
        from console.dashboard.monthly import month_figures
        from console.tasks import dashboard_snapshot_task
        from core.sweeps import sweep_register
        from reports.packs import portfolio_figures_source

        # The monthly pack prints the dashboard's own figures, live this month and as the
        # snapshot job kept them for a past month (reports sits below console).
        portfolio_figures_source(month_figures)
        # `manage.py velocity` refreshes the dashboard's snapshot after the flags.
        sweep_register(dashboard_snapshot_task)
