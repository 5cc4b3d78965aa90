"""The use case admin's list filters: flags, the stages reached and killed in, time boxes."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.choices import STAGE_ORDER, State, Transition
from portfolio.models import TransitionRecord
from portfolio.selectors_hygiene import pilots_past_time_box


class FlagListFilter(admin.SimpleListFilter):
    """Use cases with an open flag of a kind (when the velocity app stores flags)."""

    title = _("flag")
    parameter_name = "flag"

    def _flag_model(self):
        for model in apps.get_app_config("portfolio").get_models():
            if model.__name__ == "Flag":
                return model
        return None

    def lookups(self, request, model_admin):
        model = self._flag_model()
        if model is None:
            return []
        kind = model._meta.get_field("kind")
        return [("any", "Any open flag"), *kind.choices]

    def queryset(self, request, queryset):
        model = self._flag_model()
        value = self.value()
        if model is None or not value:
            return queryset
        flags = model.objects.all()
        if _has_field(model, "cleared_at"):
            flags = flags.filter(cleared_at__isnull=True)
        elif _has_field(model, "active"):
            flags = flags.filter(active=True)
        if value != "any":
            flags = flags.filter(kind=value)
        return queryset.filter(pk__in=flags.values("use_case_id"))


class ReachedStageFilter(admin.SimpleListFilter):
    """Use cases that ever reached a stage, from the transition record (the funnel's rows)."""

    title = _("reached stage")
    parameter_name = "reached"

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in STAGE_ORDER[1:]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        entered = TransitionRecord.objects.filter(to_state=self.value()).values("use_case_id")
        if self.value() == State.SUBMITTED:
            return queryset.filter(submitted_at__isnull=False)
        return queryset.filter(pk__in=entered)


class KilledInStageFilter(admin.SimpleListFilter):
    """Use cases killed in a stage (a kill while on hold counts at the stage it was held
    from), so the kill rate per gate opens on the use cases it counts."""

    title = _("killed in stage")
    parameter_name = "killed_in"

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in STAGE_ORDER[1:]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        kills = TransitionRecord.objects.filter(transition=Transition.KILL).filter(
            Q(from_state=self.value())
            | Q(from_state=State.ON_HOLD, use_case__state_before_hold=self.value())
        )
        return queryset.filter(pk__in=kills.values("use_case_id"))


class PastTimeBoxFilter(admin.SimpleListFilter):
    """Pilots past their time box (the money the dashboard counts as overrun)."""

    title = _("pilot time box")
    parameter_name = "past_time_box"

    def lookups(self, request, model_admin):
        return [("1", "Past its time box")]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=pilots_past_time_box().values("pk"))


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())
