"""Columns other apps add to the inventory's use case rows, which the inventory knows nothing
of: the export writes them, the import reads them (mapped like any column, with the dry run).

An app registers a ``ColumnSet`` from its ``ready()``; the inventory follows the registry
(``column_sets_follow``), so the order in which the apps become ready does not matter.

Two kinds of set go through the same registry:
- fixed columns (``columns``), written after the use case by the set's own ``plan`` and
  ``apply`` (components' models, datasets, vendors and agents);
- columns an administrator defines (``columns_now``, read from the database when a file is
  read or written), whose values are checked row by row (``row_values``) and written with
  the use case's own save, under the set's name (the organisation's own intake fields).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtraColumn:
    key: str
    header: str
    help: str
    synonyms: tuple[str, ...] = ()


@dataclass
class UseCaseCells:
    """One use case row's cells of a column set, as the file has them."""

    row: int
    reference: str
    use_case: object | None  # None: a use case the same file creates
    cells: dict


@dataclass
class ColumnPlan:
    """What a column set would write: errors (row, key, message), a summary of counts for
    the report, and whatever its ``apply`` needs."""

    errors: list[tuple[int, str, str]] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    work: object = None


@dataclass(frozen=True)
class ColumnSet:
    name: str
    columns: tuple[ExtraColumn, ...]
    # use case ids -> {use case id: {column key: cell text}}
    export: Callable[[list[int]], dict[int, dict[str, str]]]
    # the rows' cells (the use cases already known) -> the plan; reads, never writes
    plan: Callable[[list[UseCaseCells]], ColumnPlan]
    # the plan, reference -> use case (all of the file's, created or found), the actor
    apply: Callable[[ColumnPlan, Callable, object], None]
    # columns read when used, for a set whose columns are defined in the database
    columns_now: Callable[[], tuple[ExtraColumn, ...]] | None = None
    # (plan, row, found, use case or None) -> the value written with the use case's own
    # save under the set's name; None: nothing to write (errors go on the plan)
    row_values: Callable | None = None

    def current_columns(self) -> tuple[ExtraColumn, ...]:
        return self.columns_now() if self.columns_now is not None else self.columns


_SETS: list[ColumnSet] = []
_FOLLOWERS: list[Callable[[ColumnSet], None]] = []


def column_set_register(column_set: ColumnSet) -> None:
    _SETS.append(column_set)
    for follower in _FOLLOWERS:
        follower(column_set)


def column_sets_follow(follower: Callable[[ColumnSet], None]) -> None:
    """Call ``follower`` with every column set, registered before or after this call."""
    _FOLLOWERS.append(follower)
    for column_set in _SETS:
        follower(column_set)


def column_sets() -> tuple[ColumnSet, ...]:
    return tuple(_SETS)
