"""Sweeps that `manage.py velocity` runs after the portfolio's own: each app above portfolio
registers its Celery sweep task here from its ready(), so the command names none of them."""

_sweeps: list = []


def sweep_register(task) -> None:
    """Add a Celery task (called with no arguments) to the sweeps run on demand."""
    if task not in _sweeps:
        _sweeps.append(task)


def sweeps_registered() -> list:
    """The registered sweep tasks, in registration order."""
    return list(_sweeps)
