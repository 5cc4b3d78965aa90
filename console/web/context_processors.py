"""What every page's navigation shows: the number of the person's actions waiting."""

from django.utils.functional import SimpleLazyObject

from core.actions import actions_for


def my_actions_count(request) -> dict:
    """The inbox count, computed only when a page shows it (a fixed number of queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_actions_count": SimpleLazyObject(lambda: len(actions_for(user)))}
