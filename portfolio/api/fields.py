"""Fields the API's serializers share: related rows looked up in what the requesting person
may see, so an invisible row answers exactly like a missing one ("does not exist"), and the
answers to the organisation's own intake fields (``custom``)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portfolio.choices import CustomFieldKind, State
from portfolio.models import Metric
from portfolio.selectors import use_case_visible_to
from portfolio.selectors_custom import custom_fields

User = get_user_model()


def _request_user(field):
    request = field.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.INT)
class VisibleUseCaseField(serializers.PrimaryKeyRelatedField):
    """A use case the requesting person may see; any other id is 'does not exist'."""

    def get_queryset(self):
        return use_case_visible_to(user=_request_user(self))


@extend_schema_field(OpenApiTypes.INT)
class PublishedUseCaseField(serializers.PrimaryKeyRelatedField):
    """A template: a submitted (or later) use case the person may see."""

    def get_queryset(self):
        return use_case_visible_to(user=_request_user(self)).exclude(state=State.DRAFT)


@extend_schema_field(OpenApiTypes.INT)
class VisibleMetricField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        visible = use_case_visible_to(user=_request_user(self))
        return Metric.objects.filter(use_case__in=visible).select_related("use_case")


@extend_schema_field(OpenApiTypes.INT)
class ActiveUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(is_active=True)


class CustomAnswersField(serializers.Field):
    """The answers to the organisation's own intake fields, by key. The shape is checked
    here; each answer is checked by its field's kind in the service (400 naming the field by
    its label and key). The schema lists the installation's fields (``CustomAnswersSchema``)."""

    # Its representation depends on the value alone (core.api.fast: a list page's plan of
    # fields is built once per serializer class).
    stateless_representation = True

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or {}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Expected an object of answers by key."))
        return data


def _answer_schema(field) -> dict:
    kind = field.kind
    schema = {
        CustomFieldKind.TEXT: {"type": "string", "maxLength": 2000},
        CustomFieldKind.NUMBER: {"type": "string", "format": "decimal"},
        CustomFieldKind.MONEY: {"type": "string", "format": "decimal"},
        CustomFieldKind.DATE: {"type": "string", "format": "date"},
        CustomFieldKind.CHOICE: {"type": "string", "enum": list(field.choices)},
        CustomFieldKind.CHOICES: {
            "type": "array",
            "items": {"type": "string", "enum": list(field.choices)},
        },
        CustomFieldKind.YES_NO: {"type": "boolean"},
        CustomFieldKind.PERSON: {"type": "integer", "minimum": 1},
    }[kind]
    description = field.label + (f": {field.help_text}" if field.help_text else "")
    if field.retired_at is not None:
        description += " (retired: read only)"
    return {**schema, "nullable": True, "description": description}


class CustomAnswersSchema(OpenApiSerializerFieldExtension):
    """The ``custom`` object as this installation defines it: one property per field (the
    retired ones are kept on the record, so they are read too)."""

    target_class = CustomAnswersField

    def map_serializer_field(self, auto_schema, direction):
        fields = custom_fields(retired=direction == "response")
        return {
            "type": "object",
            "description": "Answers to the organisation's own intake fields, by key.",
            "properties": {field.key: _answer_schema(field) for field in fields},
            "additionalProperties": False,
        }
