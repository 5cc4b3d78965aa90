from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self):
        from core.roles import role_source
        from portfolio.monitoring import gauges_register
        from portfolio.selectors import department_roles

        role_source(department_roles)
        gauges_register()
