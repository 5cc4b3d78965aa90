"""A faster ``to_representation`` for the hot list serializers, with the same output.

DRF resolves every field of every row generically (source traversal, a PKOnlyObject per
relation, a function call per value, a time zone lookup per moment). For the fields whose
representation is the stored value itself (text, numbers, booleans, choices, a related
object's id) this reads the attribute directly; a moment read from one attribute is
formatted as DRF's ISO 8601 does (in the current time zone, looked up once per response,
"Z" for UTC); a decimal read from one attribute goes straight to the field's own
``to_representation``; a method field calls the serializer's method; every other field
(nested, dotted sources) keeps DRF's whole path, so the JSON is the same byte for byte.

The plan (and the fields it holds) is built once per serializer class when every field is
stateless (no nested serializer, no relation but a primary key): building a ModelSerializer's
fields from the model costs more than rendering a page of rows. A serializer mixing this in
must not vary its fields by instance (context or arguments).
"""

from django.db.models.query import ValuesIterable
from django.utils import timezone
from rest_framework import ISO_8601
from rest_framework import fields as drf
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.settings import api_settings

# Fields whose representation of a stored value is the value (or None).
AS_STORED = (drf.CharField, drf.IntegerField, drf.BooleanField, drf.ChoiceField)
# How a planned field is read: the value itself, a moment, through the field, the
# serializer's method, or all of DRF's path.
VALUE, MOMENT, CONVERTED, METHOD, GENERIC = range(5)
# Fields that keep no per-request state (their parent is only used for method fields, which
# are called on the serializer at hand): a plan holding only these is shared by the class.
STATELESS = (
    drf.CharField,
    drf.IntegerField,
    drf.FloatField,
    drf.DecimalField,
    drf.BooleanField,
    drf.ChoiceField,
    drf.DateTimeField,
    drf.DateField,
    drf.JSONField,
    drf.ReadOnlyField,
    drf.SerializerMethodField,
    PrimaryKeyRelatedField,
)


def _kind(field) -> int:
    attrs = field.source_attrs
    if isinstance(field, drf.SerializerMethodField):
        return METHOD
    if len(attrs) != 1:
        return GENERIC
    if isinstance(field, PrimaryKeyRelatedField):
        return VALUE
    if type(field) in AS_STORED or isinstance(field, (drf.IntegerField, drf.BooleanField)):
        return VALUE
    if type(field) is drf.DateTimeField and not hasattr(field, "timezone"):
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        return MOMENT if isinstance(output, str) and output.lower() == ISO_8601 else GENERIC
    if type(field) is drf.DecimalField:
        return CONVERTED
    return GENERIC


class FastRepresentationMixin:
    """Mix into a ModelSerializer whose rows are read in bulk (list pages)."""

    def _fast_plan(self):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = type(self).__dict__.get("_shared_plan")
            if plan is None:
                plan = self._build_plan()
                if all(isinstance(field, STATELESS) for *_, field in plan):
                    type(self)._shared_plan = plan
            self._plan = plan
            self._zone = timezone.get_current_timezone()
        return plan

    def _build_plan(self) -> list[tuple]:
        plan = []
        for field in self._readable_fields:
            kind = _kind(field)
            attribute = None
            if kind == METHOD:
                attribute = field.method_name
            elif kind != GENERIC:
                attribute = field.source_attrs[0]
                if isinstance(field, PrimaryKeyRelatedField):
                    attribute = f"{attribute}_id"
            plan.append((field.field_name, kind, attribute, field))
        return plan

    def to_representation(self, instance):
        ret = {}
        for name, kind, attribute, field in self._fast_plan():
            if kind == VALUE:
                ret[name] = getattr(instance, attribute)
                continue
            if kind == METHOD:
                ret[name] = getattr(self, attribute)(instance)
                continue
            if kind == GENERIC:
                try:
                    value = field.get_attribute(instance)
                except drf.SkipField:
                    continue
            else:
                value = getattr(instance, attribute)
                if callable(value):  # a method as the source: DRF calls it
                    value = field.get_attribute(instance)
            if value is None:
                ret[name] = None
            elif kind == MOMENT and value.tzinfo is not None:
                text = value.astimezone(self._zone).isoformat()
                ret[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
            else:
                ret[name] = field.to_representation(value)
        return ret


class _Related:
    """A related object as a list row needs it: the few columns read with the row."""

    def __init__(self, **values):
        self.__dict__.update(values)


class ValueRows:
    """A list page read with ``.values()`` instead of model instances (building a model
    instance per row, with its descriptors and django-fsm's state scan, costs more than
    rendering it). A row has the model's columns as attributes (by attname, converted as the
    model's fields convert them), the related columns named in ``related`` as a small object
    (``{"department": ["name"]}`` gives ``row.department.name``), and the model's computed
    properties named in ``properties``, read through the model's own code. ``model_instance``
    builds the instance a rule needs (once per kind of row, not per row).
    """

    def __init__(self, model, *, related: dict | None = None, properties=()):
        self.model = model
        self.attnames = [f.attname for f in model._meta.concrete_fields]
        self.related = related or {}
        columns = [f"{name}__{column}" for name, cols in self.related.items() for column in cols]
        self.columns = [*self.attnames, *columns]
        namespace = {name: getattr(model, name) for name in properties}
        namespace["model_instance"] = lambda row: self._instance(row)
        self.row = type(f"{model.__name__}Row", (), namespace)

    def _instance(self, row):
        values = row.__dict__
        return self.model.from_db("default", self.attnames, [values[a] for a in self.attnames])

    def of(self, queryset):
        """The queryset (filtered and ordered) yielding rows; annotations stay columns."""
        rows = self

        class Iterable(ValuesIterable):
            def __iter__(self):
                make, related = rows.row, rows.related.items()
                for values in super().__iter__():
                    row = make()
                    for name, cols in related:
                        values[name] = _Related(**{c: values.pop(f"{name}__{c}") for c in cols})
                    row.__dict__ = values
                    yield row

        names = [*self.columns, *queryset.query.annotation_select]
        rows_queryset = queryset.values(*names)
        rows_queryset._iterable_class = Iterable
        # The paginator counts the list as it was filtered, without the related columns'
        # joins (the ORM drops unused annotations and select_related from a count, not the
        # joins that values() added): a scan of one table, not a join of two.
        rows_queryset.count = queryset.count
        return rows_queryset
