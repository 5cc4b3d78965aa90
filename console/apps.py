from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "Console"

    def ready(self):
        from console.dashboard.selectors import dashboard
        from reports.packs import portfolio_figures_source

        # The monthly pack prints the dashboard's own figures (reports sits below console).
        portfolio_figures_source(dashboard)
