"""After a change, one job brings every scope up to date in order: the department's and the
portfolio's velocity, then the flags. The portfolio's figures no longer wait for the nightly
run, and a flag does not clear and rise again for one change whatever order the workers pick
the after-commit work in."""

from datetime import timedelta

from portfolio.models import Flag, FlagKind, VelocitySnapshot
from portfolio.models.velocity import PORTFOLIO_SCOPE
from portfolio.services.flags import flags_sweep
from portfolio.services.scopes import scopes_refresh
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.velocity import at, walk


def rows(scope: str) -> set:
    return set(
        VelocitySnapshot.objects.filter(scope=scope).values_list(
            "period", "measure", "use_case_id", "value", "label"
        )
    )


def test_a_transition_refreshes_the_department_and_the_portfolio_after_commit(
    department, head, django_capture_on_commit_callbacks
):
    use_case = factories.UseCaseFactory(department=department, title="A")
    with django_capture_on_commit_callbacks(execute=True):
        walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 4))])

    portfolio = rows(PORTFOLIO_SCOPE)
    department_rows = rows(f"department:{department.pk}")
    # Intake: submitted 1 January, in pilot 4 January: 3 days, in both scopes.
    durations = {(m, u, float(v)) for p, m, u, v, label in portfolio if u}
    assert ("intake", use_case.pk, 3.0) in durations, portfolio
    assert {r[1:4] for r in portfolio if r[2]} == {r[1:4] for r in department_rows if r[2]}
    # A clean recompute of everything changes nothing: the portfolio was current.
    result = velocity_recompute(force=True)
    assert rows(PORTFOLIO_SCOPE) == portfolio
    assert result.duration_rows == 0


def test_a_flag_stays_up_through_a_transition_whichever_job_runs_first(
    department, head, django_capture_on_commit_callbacks
):
    # A: intake 4 days, pilot 5 days. B: intake 10 days (6 slower than A: flagged), then a
    # pilot of 18 days (13 slower than A): slower than previous before and after the move.
    first = factories.UseCaseFactory(department=department, title="A")
    walk(first, head, [("submit", at(1, 1)), ("advance", at(1, 5)), ("advance", at(1, 10))])
    second = factories.UseCaseFactory(department=department, title="B")
    second = walk(second, head, [("submit", at(1, 2)), ("advance", at(1, 12))])
    velocity_recompute(department_id=department.pk)
    flags_sweep(department_id=department.pk, at=at(1, 12, 1))
    flag = Flag.objects.get(kind=FlagKind.SLOWER_THAN_PREVIOUS, cleared_at=None)
    assert flag.use_case_id == second.pk

    # B moves to scale; the other use case's flags are refreshed too (a sign-off of its own
    # in the same moment), and the workers take the after-commit jobs in reverse order.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        walk(second, head, [("advance", at(1, 30))])
        from portfolio.tasks import use_case_flags_refresh_on_commit

        use_case_flags_refresh_on_commit(use_case_id=second.pk)
    for callback in reversed(callbacks):
        callback()

    history = list(
        Flag.objects.filter(kind=FlagKind.SLOWER_THAN_PREVIOUS).values_list("pk", "cleared_at")
    )
    assert history == [(flag.pk, None)]
    assert VelocitySnapshot.objects.filter(
        scope=f"department:{department.pk}", use_case=second, measure="pilot", label="slower"
    ).exists()


def test_a_second_refresh_changes_nothing(department, head):
    use_case = factories.UseCaseFactory(department=department)
    walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 3))])
    first = scopes_refresh(department_id=department.pk, use_case_id=use_case.pk, at=at(2, 1))
    before = (rows(PORTFOLIO_SCOPE), rows(f"department:{department.pk}"))

    again = scopes_refresh(
        department_id=department.pk, use_case_id=use_case.pk, at=at(2, 1) + timedelta(hours=1)
    )

    assert first.duration_rows > 0
    assert first.steps[:2] == ["department velocity", "portfolio velocity"]
    assert (again.duration_rows, again.trend_rows, again.flags_raised) == (0, 0, 0)
    assert again.scopes_skipped == 2
    assert (rows(PORTFOLIO_SCOPE), rows(f"department:{department.pk}")) == before
