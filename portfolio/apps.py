from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from core.actions import action_source
        from core.events import event_type_register
        from core.roles import role_source
        from portfolio import actions, tasks
        from portfolio.monitoring import gauges_register
        from portfolio.selectors import department_roles, organisation_roles
        from portfolio.services.notifications import MAIL_JOB

        MAIL_JOB.fill(tasks.notifications_mail)
        role_source(department_roles)
        role_source(organisation_roles)
        gauges_register()
        action_source(actions.portfolio_actions, kinds=actions.KINDS)
        event_type_register("use_case_transitioned", "Use case transitioned")
        event_type_register("flag_raised", "Flag raised", notifies_people=True)
        event_type_register("flag_cleared", "Flag cleared")
        event_type_register("sign_off_requested", "Sign-off requested", notifies_people=True)
        event_type_register("signed_off", "Definition of success signed")
