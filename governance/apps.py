from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from core.actions import action_source
        from core.events import event_type_register
        from core.roles import role_source
        from core.sweeps import sweep_register
        from gates.registry import measurable_register, re_review_requester_register
        from governance import actions, measurable
        from governance.selectors import board_roles
        from governance.tasks import watch_sweep_task
        from governance.watch import re_review_for_cause, watch_refresh
        from portfolio.services.flag_refresh import flag_refresher_register

        role_source(board_roles)
        measurable_register(
            key=measurable.SIGN_OFF_KEY,
            label=measurable.SIGN_OFF_LABEL,
            load=measurable.sign_offs_load,
            function=measurable.sign_offs_given,
        )
        flag_refresher_register(watch_refresh)
        re_review_requester_register(re_review_for_cause)
        action_source(actions.governance_actions, kinds=actions.KINDS)
        sweep_register(watch_sweep_task)
        event_type_register("review_requested", "Review requested", notifies_people=True)
        event_type_register("vote_cast", "Vote cast")
        event_type_register("decision_made", "Decision made", notifies_people=True)
        event_type_register("board_flag_raised", "Board flag raised", notifies_people=True)
        event_type_register("board_flag_cleared", "Board flag cleared")
