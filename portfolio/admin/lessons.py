"""Stopping a use case from the admin (kill, retire: each asks for the lesson), and the
lessons themselves, read-only."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.bounds import BoundedForm
from portfolio import services
from portfolio.choices import LessonCause
from portfolio.models import Lesson
from portfolio.services import LessonInput


class LessonForm(BoundedForm):
    """The lesson a kill or a retirement records."""

    lesson = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=5000,
        help_text=_("What was learned."),
    )
    cause = forms.ChoiceField(choices=LessonCause.choices)
    reusable = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        max_length=5000,
        required=False,
        help_text=_("What can be reused."),
    )

    def lesson_input(self) -> LessonInput:
        data = self.cleaned_data
        return LessonInput(data["lesson"], data["cause"], data["reusable"])


class KillForm(LessonForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Why the use case stops. It stays on the record."),
    )
    field_order = ["reason", "lesson", "cause", "reusable"]


class StopActions:
    """The use case admin's kill and retire actions: a form for the reason and the lesson,
    then the service for each selected use case (``_run`` reports each refusal)."""

    def _stop(self, request, queryset, *, action: str, form_class, verb: str, call):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, verb, lambda uc: call(uc, form))
            return None
        return TemplateResponse(
            request,
            "admin/flywheel/kill_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{action.capitalize()} use cases",
                "action": action,
                "verb": verb,
                "opts": self.model._meta,
                "form": form,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Kill selected (asks for a reason and a lesson)"), permissions=["change"]
    )
    def kill(self, request, queryset):
        return self._stop(
            request,
            queryset,
            action="kill",
            form_class=KillForm,
            verb="Killed",
            call=lambda uc, form: services.use_case_kill(
                use_case=uc,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                lesson=form.lesson_input(),
            ),
        )

    @admin.action(
        description=_("Retire selected live use cases (asks for a lesson)"), permissions=["change"]
    )
    def retire(self, request, queryset):
        return self._stop(
            request,
            queryset,
            action="retire",
            form_class=LessonForm,
            verb="Retired",
            call=lambda uc, form: services.use_case_retire(
                use_case=uc, actor=request.user, lesson=form.lesson_input()
            ),
        )


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    """Lessons are recorded by a kill or a retirement; listed and exported, never edited."""

    list_display = ("recorded_at", "use_case", "transition", "cause", "learned", "recorded_by")
    list_filter = ("cause", "transition", "use_case__department")
    list_select_related = ("use_case", "recorded_by")
    search_fields = ("use_case__title", "learned", "reusable")
    date_hierarchy = "recorded_at"
