from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        # Gates and My actions know nothing of this app: it hands them what it contributes.
        from core.actions import action_source
        from gates import registry
        from questionnaires import actions, measurable

        for key, label, load, function in measurable.MEASURABLES:
            registry.measurable_register(key=key, label=label, load=load, function=function)
        action_source(actions.questionnaire_actions, kinds=actions.KINDS)
