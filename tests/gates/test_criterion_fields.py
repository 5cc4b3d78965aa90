"""The criterion's field list is written once (gates.models.CRITERION_FIELDS): the API's
input and output, the admin inline and the service all carry exactly those fields."""

from gates.admin import CriterionInline
from gates.api.serializers import CriterionInputSerializer, CriterionSerializer
from gates.models import CRITERION_FIELDS, Criterion


def test_every_surface_carries_the_one_field_list():
    assert set(CriterionInputSerializer().fields) == set(CRITERION_FIELDS)
    assert CriterionSerializer.Meta.fields == ["id", "position", *CRITERION_FIELDS]
    assert CriterionInline.fields == ("position", *CRITERION_FIELDS)


def test_the_list_names_every_editable_column_of_the_model():
    editable = {
        field.name
        for field in Criterion._meta.concrete_fields
        if field.editable and field.name not in {"id", "criteria_set", "position"}
    }
    assert editable == set(CRITERION_FIELDS)
