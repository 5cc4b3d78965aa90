from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = _("Console")

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
        _navigation_register()


def _navigation_register() -> None:
    """The console's pages in every page's navigation (core.web.navigation), in this order."""
    from django.utils.translation import gettext_lazy as _

    from core.web.navigation import nav_entry_register

    def heads(roles):
        return roles.is_department_head or roles.is_admin

    nav_entry_register(_("Home"), "home")
    nav_entry_register(_("My actions"), "my-actions", counts_actions=True)
    nav_entry_register(_("My department"), "my-department", shown=heads)
    nav_entry_register(
        _("All departments"),
        "use-case-browse",
        shown=lambda roles: heads(roles) or roles.is_board_member,
    )
    nav_entry_register(_("Review queue"), "review-queue", shown=lambda r: r.is_board_member)
    nav_entry_register(_("Components"), "component-list", shown=lambda r: r.reads_published)
    nav_entry_register(_("Lessons"), "lessons", shown=lambda r: r.reads_published)
