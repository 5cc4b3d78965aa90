"""Questionnaire API shapes: input and output serializers kept apart."""

from rest_framework import serializers

from core.api.strict import StrictSerializer
from questionnaires.models import Answer, Question, Questionnaire


class QuestionnaireQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["key", "label", "help", "value_type", "choices", "required", "position"]
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer):
    role_key = serializers.CharField(source="role.key", default=None, allow_null=True)
    questions = QuestionnaireQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "key",
            "name",
            "description",
            "stage",
            "answered_by",
            "role",
            "role_key",
            "retired_at",
            "questions",
        ]
        read_only_fields = fields


class QuestionnaireAnswerSerializer(serializers.ModelSerializer):
    questionnaire_key = serializers.CharField(source="questionnaire.key")
    answered_by_name = serializers.CharField(source="answered_by.username")

    class Meta:
        model = Answer
        fields = [
            "id",
            "questionnaire",
            "questionnaire_key",
            "use_case",
            "answered_by",
            "answered_by_name",
            "answered_at",
            "stage",
            "values",
            "score",
            "supersedes",
        ]
        read_only_fields = fields


class QuestionnaireAnswerInputSerializer(StrictSerializer):
    questionnaire = serializers.IntegerField(min_value=1)
    use_case = serializers.IntegerField(min_value=1)
    values = serializers.DictField(
        help_text="question key -> value, typed as the question says (a list for several "
        "choices, true/false for yes/no, a person's id, a date as YYYY-MM-DD)."
    )
    replaces = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The answer this one replaces (the current one); empty for the first.",
    )
