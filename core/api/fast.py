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

from decimal import Decimal, getcontext
from operator import attrgetter
from types import FunctionType

from django.db import connections
from django.utils import timezone
from rest_framework import ISO_8601
from rest_framework import fields as drf
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField
from rest_framework.settings import api_settings

from core.api import statements

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


def _stateless(field) -> bool:
    return isinstance(field, STATELESS) or getattr(field, "stateless_representation", False)


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
    if type(field) is drf.DecimalField or getattr(field, "stateless_representation", False):
        return CONVERTED
    return GENERIC


def _decimal_text(field):
    """DRF's DecimalField.to_representation of a value that is not None, with the quantum
    and the context built once per field instead of once per value (the same digits: the
    context is the current one with the field's precision, as DRF copies it)."""
    if not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING):
        return field.to_representation
    if field.localize or field.normalize_output or field.decimal_places is None:
        return field.to_representation
    quantum = Decimal(".1") ** field.decimal_places
    rounding = field.rounding
    context = getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits

    def text(value):
        if not isinstance(value, Decimal):
            value = Decimal(str(value).strip())
        return f"{value.quantize(quantum, rounding=rounding, context=context):f}"

    return text


def _moment_text(field, zone):
    """DRF's ISO 8601 of a moment in the current time zone ("Z" for UTC)."""

    def text(value):
        if value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return text


class FastRepresentationMixin:
    """Mix into a ModelSerializer whose rows are read in bulk (list pages)."""

    def _fast_plan(self):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = type(self).__dict__.get("_shared_plan")
            if plan is None:
                plan = self._build_plan()
                if all(_stateless(field) for *_, field in plan):
                    type(self)._shared_plan = plan
            self._plan = plan
            self._reader = self._build_reader(plan, timezone.get_current_timezone())
        return plan

    def _build_plan(self) -> list[tuple]:
        model = getattr(getattr(self, "Meta", None), "model", None)
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
                if kind != VALUE and isinstance(getattr(model, attribute, None), FunctionType):
                    kind = GENERIC  # a method as the source: DRF calls it
            plan.append((field.field_name, kind, attribute, field))
        return plan

    def _build_reader(self, plan, zone):
        """A function of one row: every planned attribute read at once (one attrgetter),
        converted where the field converts it, the method and generic fields called."""
        names = [name for name, *_ in plan]
        read_at = [n for n, (_name, kind, *_) in enumerate(plan) if kind not in (METHOD, GENERIC)]
        read = [plan[n][2] for n in read_at]
        getter = attrgetter(*read) if read else None
        converts, calls, generic = [], [], []
        for n, (_name, kind, attribute, field) in enumerate(plan):
            if kind == MOMENT:
                converts.append((n, _moment_text(field, zone)))
            elif kind == CONVERTED:
                converts.append(
                    (
                        n,
                        _decimal_text(field)
                        if type(field) is drf.DecimalField
                        else field.to_representation,
                    )
                )
            elif kind == METHOD:
                calls.append((n, getattr(self, attribute)))
            elif kind == GENERIC:
                generic.append((n, field))
        single = len(read) == 1

        def reader(instance):
            values = [None] * len(names)
            if getter is not None:
                got = getter(instance)
                for n, value in zip(read_at, (got,) if single else got, strict=True):
                    values[n] = value
            for n, convert in converts:
                value = values[n]
                if value is not None:
                    values[n] = convert(value)
            for n, method in calls:
                values[n] = method(instance)
            skipped = None
            for n, field in generic:
                try:
                    value = field.get_attribute(instance)
                except drf.SkipField:
                    skipped = (skipped or set()) | {n}
                    continue
                check = value.pk if isinstance(value, PKOnlyObject) else value
                values[n] = None if check is None else field.to_representation(value)
            if skipped:
                return {
                    k: v
                    for n, (k, v) in enumerate(zip(names, values, strict=True))
                    if n not in skipped
                }
            return dict(zip(names, values, strict=True))

        return reader

    def to_representation(self, instance):
        self._fast_plan()
        return self._reader(instance)


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

    def __init__(
        self, model, *, related: dict | None = None, properties=(), ids_first: bool = False
    ):
        self.model = model
        self.ids_first = ids_first
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

    def of(self, queryset, *, key=None):
        """The list (filtered and ordered) as the paginator reads it: its count, and a page
        of rows by slice; annotations stay columns. ``key`` names the list's shape when its
        statements may be kept (core.api.statements)."""
        return ListRows(self, queryset, key)

    def rows(self, dicts):
        make, related = self.row, self.related.items()
        for values in dicts:
            row = make()
            for name, cols in related:
                values[name] = _Related(**{c: values.pop(f"{name}__{c}") for c in cols})
            row.__dict__ = values
            yield row


class ListRows:
    """A list for Django's paginator: ``count()`` and ``[start:stop]`` run the shape's kept
    statements (or compile them, and keep them when the shape has a key)."""

    ordered = True

    def __init__(self, rows: ValueRows, queryset, key):
        self.rows, self.queryset, self.key = rows, queryset, key
        self.statements = statements.kept(key)
        self.counted = None  # the count's statement as the ORM ran it

    def count(self) -> int:
        if self.queryset.query.is_empty():
            return 0
        if self.statements is not None:
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(self.statements.count_sql, self.statements.count_params)
                return cursor.fetchone()[0]
        # The paginator counts the list as it was filtered, without the related columns'
        # joins (the ORM drops unused annotations and select_related from a count, not the
        # joins that values() added): a scan of one table, not a join of two.
        ran = []

        def capture(execute, sql, params, many, context):
            ran.append((sql, params))
            return execute(sql, params, many, context)

        with connections[self.queryset.db].execute_wrapper(capture):
            count = self.queryset.count()
        self.counted = ran[0] if len(ran) == 1 else None
        return count

    def __getitem__(self, bounds: slice) -> list:
        if self.queryset.query.is_empty() or bounds.stop <= bounds.start:
            return []
        found = self.statements
        if found is None:
            names = [*self.rows.columns, *self.queryset.query.annotation_select]
            page = statements.compile_page(
                self.queryset.values(*names),
                self.queryset,
                # A distinct list selects its ordering's columns too: no ids-only subquery.
                ids_first=self.rows.ids_first and not self.queryset.query.distinct,
            )
            found = statements.Statements(*(self.counted or ("", ())), *page)
            if self.counted is not None:
                statements.keep(self.key, found)
        params = statements.page_params(found, bounds.stop - bounds.start, bounds.start)
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(found.page_sql, params)
            fetched = cursor.fetchall()
        return list(self.rows.rows(statements.converted(fetched, found, self.queryset.db)))
