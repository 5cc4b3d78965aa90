"""The use case CSV export from ``.values_list()``: the same columns the API's serializer
renders, read row by row from a server-side cursor, with the computed columns (ROI, payback,
the transitions the requester may perform) derived from the row itself.

Per row the Python work is small: the moments arrive formatted by the database
(``CsvMoment``), the department's name joined in, the money read once; only ROI and payback
(``portfolio.economics``, the one copy of those rules) and the transitions (asked once per
state and department) are computed here.
"""

from django.db.models import CharField, DateTimeField, TextField

from core.api.csv import STREAM_BATCH, CsvMoment
from portfolio import economics
from portfolio.api.serializers import USE_CASE_OUTPUT_FIELDS
from portfolio.custom_fields import answer_text
from portfolio.models import UseCase
from portfolio.selectors_custom import custom_fields
from portfolio.services import available_transitions
from portfolio.services.custom_fields import custom_key

FIGURES = ("expected_roi", "realised_roi", "payback_months")
TRANSITIONS = "available_transitions"
# The answers to the organisation's own fields: one column each (``custom.<key>``), last.
CUSTOM = "custom"
COLUMNS = [name for name in USE_CASE_OUTPUT_FIELDS if name != CUSTOM]
VALUE_COLUMNS = [
    name for name in COLUMNS if name not in FIGURES and name not in (TRANSITIONS, "department_name")
]


def _selected() -> list:
    """What the query selects, in the order of the export's columns (the figures and the
    transitions left out): the moments as text, the department's name joined."""
    fields = {f.name: f for f in UseCase._meta.concrete_fields}
    selected = []
    for name in COLUMNS:
        if name in FIGURES or name == TRANSITIONS:
            continue
        if name == "department_name":
            selected.append("department__name")
        elif isinstance(fields[name], DateTimeField):
            selected.append(CsvMoment(name))
        else:
            selected.append(name)
    return [*selected, CUSTOM]


def use_case_csv_rows(queryset, *, user) -> tuple[list[str], object, list[str]]:
    """Header, rows and column kinds of the use case export, in the list's order and with its
    filters; then one column per custom field (one query for the fields)."""
    header = list(COLUMNS)
    custom = custom_fields(retired=True)
    # The figures sit together in the output, right where the query's columns break.
    split = header.index(FIGURES[0])
    stored = [name for name in header if name not in FIGURES and name != TRANSITIONS]
    at = {name: n for n, name in enumerate(stored)}
    expected_at, realised_at = at["expected_benefit_yearly"], at["realised_benefit_yearly"]
    build_at, run_at = at["build_cost"], at["run_cost_yearly"]
    state_at, department_at = at["state"], at["department"]
    assert header[split : split + 3] == list(FIGURES) and header[-1] == TRANSITIONS
    header += [custom_key(field.key) for field in custom]
    keys = [field.key for field in custom]
    values = queryset.values_list(*_selected())
    roi, payback = economics.roi, economics.payback_months
    # The transitions a person may perform depend on the state and the department only.
    allowed: dict[tuple[str, int], str] = {}

    def transitions(state: str, department_id: int) -> str:
        probe = UseCase(state=state, department_id=department_id)
        allowed[state, department_id] = "; ".join(available_transitions(use_case=probe, user=user))
        return allowed[state, department_id]

    def fixed(value, places: str):
        return None if value is None else format(value, places)

    def rows():
        for row in values.iterator(chunk_size=STREAM_BATCH):
            build, run, expected = row[build_at], row[run_at], row[expected_at]
            key = (row[state_at], row[department_at])
            yield [
                *row[:split],
                fixed(roi(benefit_yearly=expected, build_cost=build, run_cost_yearly=run), ".4f"),
                fixed(
                    roi(benefit_yearly=row[realised_at], build_cost=build, run_cost_yearly=run),
                    ".4f",
                ),
                fixed(
                    payback(benefit_yearly=expected, build_cost=build, run_cost_yearly=run),
                    ".2f",
                ),
                *row[split:-1],
                allowed[key] if key in allowed else transitions(*key),
                *(answer_text((row[-1] or {}).get(k)) for k in keys),
            ]

    return header, rows(), _kinds() + ["text"] * len(keys)


def _kinds() -> list[str]:
    """Each column's kind for the CSV writer: free text may hold a formula; the moments come
    formatted, and the rest (numbers, ids, booleans, our own choices) is written as it is."""
    fields = {f.name: f for f in UseCase._meta.concrete_fields}
    kinds = []
    for name in COLUMNS:
        field = fields.get(name)
        free = isinstance(field, (CharField, TextField)) and not field.choices
        kinds.append("text" if name == "department_name" or free else "plain")
    return kinds
