"""The use case list's CSV export (time and peak memory) against a csv.writer streamed over a
server-side cursor, and the row builders the list pages' floor shares (bench/_http_floor.py:
the list pages are measured over HTTP by bench.http_lists). Not a test.

    python -m bench.api                 # on the 100,000 use case portfolio, 7 repetitions
    python -m bench.api --repeat 3
"""

import argparse
import csv
import sys
from datetime import datetime
from decimal import Decimal

from bench._common import (
    bench_url,
    compete,
    dsn,
    ensure_portfolio,
    ensure_velocity,
    line,
    peak_memory,
)
from bench._common import setup as bench_setup

PAGE = 50
VELOCITY_COLUMNS = (
    "id, scope, period, measure, use_case_id, department_id, position, submitted_at, value, "
    "hold_days, previous_use_case_id, previous_value, difference_days, ratio, label, "
    "share_faster, streak, median_days, computed_at"
)

# The review list's page by hand: the latest evidence's recommendation and score, the
# decision's verdict, the use case's title and department.
_LATEST = (
    "(SELECT e.{0} FROM gates_evidencesnapshot e WHERE e.review_id = r.id "
    "ORDER BY e.taken_at DESC, e.id DESC LIMIT 1)"
)
REVIEW_SELECT = (
    "SELECT r.id, r.use_case_id AS use_case, u.title AS use_case_title, "
    "u.department_id AS department, r.gate, r.purpose, r.status, "
    "r.criteria_set_id AS criteria_set, r.requested_by_id AS requested_by, r.reason, "
    f"r.requested_at, r.decided_at, {_LATEST.format('recommendation')} AS recommendation, "
    f"{_LATEST.format('score')} AS score, "
    "(SELECT d.verdict FROM governance_decision d WHERE d.review_id = r.id) AS verdict "
    "FROM gates_gatereview r JOIN portfolio_usecase u ON u.id = r.use_case_id "
    "ORDER BY r.requested_at DESC, r.id DESC LIMIT %s OFFSET %s"
)


def review_row(row):
    """A review list row as the serializer renders it (the score to two places)."""
    score = row["score"]
    row = {k: _iso(v) for k, v in row.items()}
    row["score"] = None if score is None else f"{score.quantize(Decimal('0.01')):f}"
    return row


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _admin():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import ADMINISTRATORS_GROUP

    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    user.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    return user


def _use_case_builder():
    """Rows of the use case list by hand: the columns as stored, ROI and payback computed,
    the transitions an administrator may perform by state."""
    from portfolio.api.exports import VALUE_COLUMNS
    from portfolio.models import UseCase
    from portfolio.services import available_transitions

    fields = {f.name: f for f in UseCase._meta.concrete_fields}
    allowed: dict = {}
    admin = _admin()

    # As the serializer's DecimalFields render them: 4 and 2 places, half to even.
    def roi(benefit, build, run):
        if benefit is None or build is None or run is None or build + run <= 0:
            return None
        return f"{(benefit / (build + run)).quantize(Decimal('0.0001')):f}"

    def payback(benefit, build, run):
        if benefit is None or build is None or run is None:
            return None
        net = benefit - run
        return None if net <= 0 else f"{(build * 12 / net).quantize(Decimal('0.01')):f}"

    def build(row):
        state, dept = row["state"], row["department_id"]
        if (state, dept) not in allowed:
            probe = UseCase(state=state, department_id=dept)
            allowed[(state, dept)] = available_transitions(use_case=probe, user=admin)
        cost = (row["expected_benefit_yearly"], row["build_cost"], row["run_cost_yearly"])
        out = {}
        for name in VALUE_COLUMNS:
            column = fields[name].attname
            out[name] = _iso(row[column])
            if name == "department":
                out["department_name"] = row["department_name"]
        out["expected_roi"] = roi(*cost)
        out["realised_roi"] = roi(row["realised_benefit_yearly"], *cost[1:])
        out["payback_months"] = payback(*cost)
        out["available_transitions"] = allowed[(state, dept)]
        return out

    columns = ", ".join(f"u.{fields[n].column}" for n in VALUE_COLUMNS)
    return build, f"{columns}, d.name AS department_name"


def _csv_floor(url: str, columns: str):
    """csv.writer over a server-side cursor of the same columns, written to a sink."""
    import psycopg

    class Sink:
        size = 0

        def write(self, text):
            self.size += len(text)

    def once():
        sink = Sink()
        writer = csv.writer(sink)
        with psycopg.connect(dsn(url)) as conn, conn.cursor(name="bench_csv") as cursor:
            cursor.itersize = 2000
            cursor.execute(
                f"SELECT {columns} FROM portfolio_usecase u JOIN portfolio_department d "
                "ON d.id = u.department_id ORDER BY u.created_at DESC, u.id DESC"
            )
            writer.writerow([c for c in columns.split(", ")])
            for row in cursor:
                writer.writerow(row)
        return sink.size

    return once


def _csv(url: str, admin_pk: int, repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    from portfolio.api.views import UseCaseViewSet
    from portfolio.models import Department, UseCase

    view = UseCaseViewSet.as_view({"get": "list"})

    def export(path):
        """The streamed export, consumed as a client would (the body's size returned)."""

        def once():
            request = APIRequestFactory().get(path)
            force_authenticate(request, get_user_model().objects.get(pk=admin_pk))
            response = view(request)
            return sum(len(chunk) for chunk in response.streaming_content)

        return once

    _, columns = _use_case_builder()
    everything = export("/api/use-cases/?format=csv")
    floor = _csv_floor(url, columns)
    times = compete({"ours": everything, "floor": floor}, repeat)
    total = UseCase.objects.count()
    print(line(f"CSV export, {total:,} use cases", times["ours"], times["floor"], 1.5))
    dept = Department.objects.filter(slug__startswith="synthetic-").order_by("slug").first()
    some = UseCase.objects.filter(department=dept).count()
    _, peak_some = peak_memory(export(f"/api/use-cases/?format=csv&department_id={dept.pk}"))
    _, peak_all = peak_memory(everything)
    _, peak_floor = peak_memory(floor)
    print(
        f"CSV peak Python memory: {peak_some / 2**20:.1f} MiB for {some:,} rows, "
        f"{peak_all / 2**20:.1f} MiB for {total:,} rows (floor {peak_floor / 2**20:.1f} MiB)"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    url = bench_url()
    bench_setup(url)
    ensure_portfolio(args.rows)
    ensure_velocity()
    _csv(url, _admin().pk, max(2, args.repeat // 3))


if __name__ == "__main__":
    main(sys.argv[1:])
