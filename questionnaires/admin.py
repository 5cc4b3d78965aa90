"""Questionnaires in the admin: administrators define questionnaires and their questions;
answers are read, never changed (a new answer supersedes)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import FlywheelAdmin, ReadOnlyAdmin, executives_read
from questionnaires.models import Answer, Question, Questionnaire

executives_read("questionnaires")


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = [("key", "label"), "help", ("value_type", "required", "position"), "choices"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(FlywheelAdmin):
    list_display = ["name", "key", "stage", "answered_by", "role", "retired_at"]
    list_filter = ["stage", "answered_by"]
    search_fields = ["name", "key"]
    list_select_related = ["role"]
    fields = ["key", "name", "description", "stage", "answered_by", "role"]
    inlines = [QuestionInline]
    actions = ["retire", "export_csv"]

    @admin.action(description=_("Retire (kept with its answers, no longer asked)"))
    def retire(self, request, queryset):
        count = queryset.filter(retired_at__isnull=True).update(retired_at=timezone.now())
        self.message_user(request, _("%(n)d retired.") % {"n": count}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Answers are evidence: a questionnaire is retired, never deleted with them.
        return (
            obj is not None
            and not obj.answers.exists()
            and super().has_delete_permission(request, obj)
        )


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["questionnaire", "use_case", "score", "answered_by", "answered_at"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire", "use_case", "answered_by"]
    search_fields = ["use_case__title"]
