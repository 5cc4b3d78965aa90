"""Lessons (read-only: a kill or a retirement records them) and the use cases and lessons
most similar to an intake, asked before it is submitted."""

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.base import ReadOnlyFlywheelViewSet
from core.api.filtering import QueryParameters
from core.api.strict import StrictSerializer
from portfolio.api.filters import BIGINT_MAX, IdFilter, SearchFilterSet, date_range
from portfolio.api.serializers import ReasonSerializer
from portfolio.choices import LessonCause, LessonTransition
from portfolio.models import Lesson
from portfolio.selectors_lessons import lessons_visible_to, similar_lessons, similar_use_cases
from portfolio.services import LessonInput


class LessonInputMixin(serializers.Serializer):
    """The lesson a kill or a retirement records."""

    lesson = serializers.CharField(max_length=5000, help_text="What was learned.")
    cause = serializers.ChoiceField(choices=LessonCause.choices)
    reusable = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="What can be reused."
    )

    @staticmethod
    def lesson_of(data: dict) -> dict:
        """The validated body with the lesson's three fields folded into ``lesson``."""
        lesson = LessonInput(
            learned=data.pop("lesson", ""),
            cause=data.pop("cause", ""),
            reusable=data.pop("reusable", ""),
        )
        return {**data, "lesson": lesson}


class KillSerializer(LessonInputMixin, StrictSerializer):
    reason = serializers.CharField(max_length=5000)


class RetireSerializer(LessonInputMixin, ReasonSerializer):
    """A retirement records a lesson as a kill does."""


class LessonSerializer(serializers.ModelSerializer):
    use_case_title = serializers.CharField(source="use_case.title", read_only=True)
    department = serializers.IntegerField(source="use_case.department_id", read_only=True)
    department_name = serializers.CharField(source="use_case.department.name", read_only=True)
    recorded_by_name = serializers.CharField(
        source="recorded_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Lesson
        fields = [
            "id",
            "use_case",
            "use_case_title",
            "department",
            "department_name",
            "transition",
            "learned",
            "cause",
            "reusable",
            "recorded_at",
            "recorded_by",
            "recorded_by_name",
        ]


class SimilarLessonSerializer(LessonSerializer):
    score = serializers.FloatField(help_text="Similarity in [0, 1].")

    class Meta(LessonSerializer.Meta):
        fields = [*LessonSerializer.Meta.fields, "score"]


class SimilarUseCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    state = serializers.CharField()
    score = serializers.FloatField(help_text="Similarity in [0, 1].")


class SimilarSerializer(serializers.Serializer):
    use_cases = SimilarUseCaseSerializer(many=True)
    lessons = SimilarLessonSerializer(many=True)


class SimilarQuerySerializer(QueryParameters):
    text = serializers.CharField(
        max_length=5000, help_text="The title and problem statement being submitted."
    )
    exclude_use_case_id = serializers.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text="The draft itself."
    )


class LessonFilter(SearchFilterSet):
    search_fields = ("learned", "reusable", "use_case__title")
    cause = filters.MultipleChoiceFilter(choices=LessonCause.choices)
    transition = filters.ChoiceFilter(choices=LessonTransition.choices)
    use_case_id = IdFilter()
    department_id = IdFilter(field_name="use_case__department_id")
    recorded_from, recorded_to = date_range("recorded_at")

    class Meta:
        model = Lesson
        fields = []


class LessonViewSet(ReadOnlyFlywheelViewSet):
    """What was learned when use cases were killed or retired, readable by every
    department; ``similar/`` ranks the use cases and lessons most like an intake."""

    queryset = Lesson.objects.none()
    output_serializer_class = LessonSerializer
    filterset_class = LessonFilter
    ordering_fields = ["recorded_at", "id"]

    def get_queryset(self):
        return lessons_visible_to(user=self.request.user).order_by("-recorded_at", "-id")

    @extend_schema(parameters=[SimilarQuerySerializer], responses={200: SimilarSerializer})
    @action(
        detail=False,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        filter_backends=[],
    )
    def similar(self, request):
        """The existing use cases and lessons most similar to ``text``: score (a Jaccard
        similarity: trigrams on PostgreSQL, words on SQLite) at least 0.1, best first, id on
        a tie, five of each."""
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data["text"]
        exclude = query.validated_data.get("exclude_use_case_id")
        data = {
            "use_cases": similar_use_cases(user=request.user, text=text, exclude_id=exclude),
            "lessons": similar_lessons(user=request.user, text=text, exclude_id=exclude),
        }
        return Response(SimilarSerializer(data).data)
