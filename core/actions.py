"""My actions: what waits for one person, gathered from every app that knows of something.

Each domain app registers a source from its ready(): a function of (user, roles) that
returns that app's actions in a fixed number of queries, whatever the portfolio's size, so
the whole inbox (and its count in every page's navigation) stays constant in queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from core.roles import Roles, roles_of


@dataclass(frozen=True)
class Action:
    """One thing a person should do, with the page where they do it."""

    kind: str
    title: str
    detail: str
    path: str
    due: date | datetime | None = None

    @property
    def due_date(self) -> date | None:
        return self.due.date() if isinstance(self.due, datetime) else self.due


ActionSource = Callable[[object, Roles], list[Action]]
_sources: list[ActionSource] = []
KIND_LABELS: dict[str, str] = {}


def action_source(source: ActionSource, *, kinds: dict[str, str]) -> ActionSource:
    """Register a source of actions and the labels of the kinds it returns."""
    if source not in _sources:
        _sources.append(source)
    KIND_LABELS.update(kinds)
    return source


def actions_for(user) -> list[Action]:
    """Everything waiting for the person, soonest due first (undated last)."""
    roles = roles_of(user)
    if not roles.is_authenticated:
        return []
    actions = [action for source in _sources for action in source(user, roles)]
    return sorted(actions, key=lambda a: (a.due_date is None, a.due_date or date.max, a.title))
