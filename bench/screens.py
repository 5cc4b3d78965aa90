"""Pages and services people wait on, on a large synthetic portfolio: the executive dashboard
(target: under a second), a board member's review queue, and a gate evaluation, each against
the same SQL statements replayed bare through the driver (the floor: what the database must
do for the same data, without the ORM, Python figures or templates). Not a test.

    python -m bench.screens              # on the 100,000 use case portfolio, 5 repetitions
"""

import argparse
import statistics
import sys

from bench._common import bench_url, captured, compete, ensure_portfolio, line, replayer, setup


def _client(username: str, group: str | None = None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    client = Client()
    client.force_login(user)
    return client


def _page(client, path: str):
    def once():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return once


def _against_replay(label: str, fn, repeat: int, target_s: float | None = None) -> None:
    statements = captured(fn)
    times = compete({"ours": fn, "floor": replayer(statements)}, repeat)
    text = line(f"{label} ({len(statements)} queries)", times["ours"], times["floor"])
    if target_s is not None:
        median = statistics.median(times["ours"])
        text += f"  {'under' if median < target_s else 'OVER'} {target_s:g} s"
    print(text)


def _evaluation(repeat: int) -> None:
    """Re-evaluating an open review (snapshot written), in a transaction rolled back."""
    from django.db import transaction

    from gates.models import GateReview
    from gates.services import review_evaluate

    review = GateReview.objects.filter(status="open").order_by("id").first()

    def once():
        with transaction.atomic():
            review_evaluate(review=review)
            transaction.set_rollback(True)

    statements = captured(once)
    replay = replayer(statements)

    def floor():
        with transaction.atomic():
            replay()
            transaction.set_rollback(True)

    times = compete({"ours": once, "floor": floor}, repeat)
    print(line(f"gate evaluation ({len(statements)} queries)", times["ours"], times["floor"]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup(bench_url())
    ensure_portfolio(args.rows)
    from core.roles import EXECUTIVES_GROUP
    from portfolio.models import VelocitySnapshot
    from portfolio.services.flags import flags_sweep

    if not VelocitySnapshot.objects.exists():
        from portfolio.services.velocity import velocity_recompute

        velocity_recompute()
        flags_sweep()
    executive = _client("bench-executive", EXECUTIVES_GROUP)
    from console.dashboard.services import dashboard_snapshot_save
    from portfolio.models import FigureSnapshot

    FigureSnapshot.objects.all().delete()
    _against_replay(
        "dashboard, every figure live", _page(executive, "/admin/"), max(1, args.repeat // 2)
    )
    # What the page reads once the job has run (every 15 minutes).
    row = dashboard_snapshot_save()
    print(f"dashboard snapshot job: {row.seconds:.1f} s")
    _against_replay("dashboard", _page(executive, "/admin/"), args.repeat, target_s=1.0)
    member = _client("synthetic-board-00-1")
    _against_replay("review queue (board 00)", _page(member, "/reviews/"), args.repeat)
    _evaluation(args.repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
