"""Questionnaire endpoints: the questionnaires (defined in the admin) and their answers."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status

from core.api.base import FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.errors import NotFoundError
from portfolio.selectors import use_case_visible_to
from questionnaires import selectors, services
from questionnaires.api import serializers as s
from questionnaires.models import Answer, Questionnaire


class QuestionnaireFilter(django_filters.FilterSet):
    key = django_filters.CharFilter()
    stage = django_filters.CharFilter()
    retired = django_filters.BooleanFilter(
        field_name="retired_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Questionnaire
        fields = []


class QuestionnaireViewSet(ReadOnlyFlywheelViewSet):
    """Questionnaires with their questions, types, choices and scores."""

    queryset = Questionnaire.objects.none()
    output_serializer_class = s.QuestionnaireSerializer
    filterset_class = QuestionnaireFilter

    def get_queryset(self):
        return self.role_holders_only(selectors.questionnaire_list().order_by("stage", "name"))


class AnswerFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")
    questionnaire_id = django_filters.NumberFilter(field_name="questionnaire_id")
    questionnaire = django_filters.CharFilter(field_name="questionnaire__key")

    class Meta:
        model = Answer
        fields = []


class AnswerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Answers of questionnaires for the use cases the requester may see; every answer is
    kept, a new one names the one it replaces."""

    queryset = Answer.objects.none()
    output_serializer_class = s.QuestionnaireAnswerSerializer
    input_serializers = {"create": s.QuestionnaireAnswerInputSerializer}
    filterset_class = AnswerFilter
    # Answering is the act of the person named to answer, not a portfolio edit.
    personal_actions = ("create",)

    def get_queryset(self):
        return selectors.answer_visible_to(user=self.request.user).order_by("answered_at", "id")

    @extend_schema(
        summary="Answer a questionnaire for a use case (409 when answered meanwhile)",
        responses={201: s.QuestionnaireAnswerSerializer},
    )
    def create(self, request):
        data = self.parse()
        questionnaire = Questionnaire.objects.filter(pk=data["questionnaire"]).first()
        if questionnaire is None:
            raise NotFoundError(
                _("No questionnaire %(questionnaire)s.") % {"questionnaire": data["questionnaire"]}
            )
        use_case = use_case_visible_to(user=request.user).filter(pk=data["use_case"]).first()
        if use_case is None:
            raise NotFoundError(_("No use case %(use_case)s.") % {"use_case": data["use_case"]})
        answer = services.questionnaire_answer(
            actor=request.user,
            questionnaire=questionnaire,
            use_case=use_case,
            values=data["values"],
            replaces=data["replaces"],
        )
        return self.respond(self.get_queryset().get(pk=answer.pk), status.HTTP_201_CREATED)
