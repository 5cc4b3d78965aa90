"""The navigation every page shows, whichever app renders it.

The apps that own pages register their entries from ready() (console: home, my actions,
the department and board pages); the context processor hands them to the base layout with
the person's roles, so a compliance or components page has the same navigation as a
console page without importing console.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from core.actions import actions_for
from core.roles import Roles, roles_of


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    shown: Callable[[Roles], bool]
    counts_actions: bool = False


_entries: list[NavEntry] = []


def nav_entry_register(
    label: str,
    url_name: str,
    *,
    shown: Callable[[Roles], bool] = lambda roles: True,
    counts_actions: bool = False,
) -> None:
    """Add an entry to the main navigation, shown to the people ``shown`` accepts (once)."""
    entry = NavEntry(label, url_name, shown, counts_actions)
    if all(e.url_name != url_name for e in _entries):
        _entries.append(entry)


def _links(roles: Roles) -> list[dict]:
    links = []
    for entry in _entries:
        if not entry.shown(roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # a site without that app's pages
            continue
        links.append({"label": entry.label, "url": url, "counts_actions": entry.counts_actions})
    return links


def navigation(request) -> dict:
    """Context processor: the person's roles, the entries they see and their actions waiting.

    Lazy: a page that does not show the navigation (a PDF, the admin) pays nothing; one that
    does pays the roles query and the inbox count (a fixed number of queries)."""
    user = getattr(request, "user", None)
    roles = SimpleLazyObject(lambda: roles_of(user))
    context = {
        "nav_roles": roles,
        "nav_links": SimpleLazyObject(lambda: _links(roles)),
        "nav_home": SimpleLazyObject(lambda: reverse(_entries[0].url_name) if _entries else "/"),
    }
    if user is not None and user.is_authenticated:
        context["my_actions_count"] = SimpleLazyObject(lambda: len(actions_for(user)))
    return context
