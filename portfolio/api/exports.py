"""The use case CSV export from ``.values()``: the same columns the API's serializer renders,
read row by row from a server-side cursor, with the computed columns (ROI, payback, the
transitions the requester may perform) derived from the row itself."""

from decimal import Decimal

from django.db.models import CharField, DateTimeField, TextField

from core.api.csv import STREAM_BATCH
from portfolio import economics
from portfolio.api.serializers import USE_CASE_OUTPUT_FIELDS
from portfolio.models import UseCase
from portfolio.services import available_transitions

COMPUTED = {"department_name", "expected_roi", "realised_roi", "payback_months"}
TRANSITIONS = "available_transitions"
VALUE_COLUMNS = [
    name for name in USE_CASE_OUTPUT_FIELDS if name not in COMPUTED and name != TRANSITIONS
]
MONEY = ("expected_benefit_yearly", "realised_benefit_yearly", "build_cost", "run_cost_yearly")


def _fixed(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def use_case_csv_rows(queryset, *, user) -> tuple[list[str], object]:
    """Header and rows of the use case export, in the list's order and with its filters."""
    values = queryset.values_list(*VALUE_COLUMNS, "department__name", *MONEY)
    index = {name: n for n, name in enumerate(VALUE_COLUMNS)}
    state_at, department_at = index["state"], index["department"]
    name_at = len(VALUE_COLUMNS)
    # The transitions a person may perform depend on the state and the department only.
    allowed: dict[tuple[str, int], str] = {}
    plan = [
        name if name in COMPUTED or name == TRANSITIONS else index[name]
        for name in USE_CASE_OUTPUT_FIELDS
    ]

    def transitions(state: str, department_id: int) -> str:
        key = (state, department_id)
        if key not in allowed:
            probe = UseCase(state=state, department_id=department_id)
            allowed[key] = "; ".join(available_transitions(use_case=probe, user=user))
        return allowed[key]

    def rows():
        for row in values.iterator(chunk_size=STREAM_BATCH):
            expected, realised, build, run = row[name_at + 1 :]
            computed = {
                "department_name": row[name_at],
                "expected_roi": _fixed(
                    economics.roi(benefit_yearly=expected, build_cost=build, run_cost_yearly=run),
                    4,
                ),
                "realised_roi": _fixed(
                    economics.roi(benefit_yearly=realised, build_cost=build, run_cost_yearly=run),
                    4,
                ),
                "payback_months": _fixed(
                    economics.payback_months(
                        benefit_yearly=expected, build_cost=build, run_cost_yearly=run
                    ),
                    2,
                ),
                TRANSITIONS: transitions(row[state_at], row[department_at]),
            }
            yield [computed[at] if at.__class__ is str else row[at] for at in plan]

    return list(USE_CASE_OUTPUT_FIELDS), rows(), _kinds()


def _kinds() -> list[str]:
    """Each column's kind for the CSV writer: text may hold a formula, moments are
    formatted, the rest (numbers, ids, booleans, our own names) is written as it is."""
    fields = {f.name: f for f in UseCase._meta.concrete_fields}
    kinds = []
    for name in USE_CASE_OUTPUT_FIELDS:
        field = fields.get(name)
        if name == "department_name" or isinstance(field, (CharField, TextField)):
            kinds.append("text")
        elif isinstance(field, DateTimeField):
            kinds.append("time")
        else:
            kinds.append("plain")
    return kinds
