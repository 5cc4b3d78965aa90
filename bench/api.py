"""API lists on a large synthetic portfolio, each against a hand-written minimal view: the
same page (same rows, same JSON, checked equal) from hand-written SQL through the driver and
dicts built by hand. Page 1 and a deep page of the use case list and the velocity list, and
the CSV export (time and peak memory) against a csv.writer streamed over a server-side
cursor. Prints min/median, the ratios and the plans (EXPLAIN). Not a test.

    python -m bench.api                 # on the 100,000 use case portfolio, 7 repetitions
    python -m bench.api --repeat 3
"""

import argparse
import csv
import json
import sys
from datetime import datetime
from decimal import Decimal

from bench._common import bench_url, compete, dsn, ensure_portfolio, explain, line, peak_memory
from bench._common import setup as bench_setup

PAGE = 50
VELOCITY_COLUMNS = (
    "id, scope, period, measure, use_case_id, department_id, position, submitted_at, value, "
    "hold_days, previous_use_case_id, previous_value, difference_days, ratio, label, "
    "share_faster, streak, median_days, computed_at"
)


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


def _ours(viewset, actions, path: str, user_pk: int):
    """One request as production runs it: the user loaded (token authentication does), the
    full view, the rendered body."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    view = viewset.as_view(actions)
    factory = APIRequestFactory()

    def once():
        request = factory.get(path)
        force_authenticate(request, get_user_model().objects.get(pk=user_pk))
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:300]
        return response.content

    return once


def _floor_page(select: str, count_sql: str, build, user_pk: int):
    """The hand-written minimal view: load the user and check their group, one SELECT of the
    page, one count, the rows as dicts, json.dumps."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    def once():
        user = get_user_model().objects.get(pk=user_pk)
        assert user.groups.filter(name__isnull=False).exists()
        with connection.cursor() as cursor:
            cursor.execute(count_sql)
            count = cursor.fetchone()[0]
            cursor.execute(select)
            names = [c.name for c in cursor.description]
            results = [build(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        return json.dumps({"count": count, "results": results}).encode()

    return once


def _same_results(ours: bytes, floor: bytes) -> bool:
    a, b = json.loads(ours), json.loads(floor)
    return a["count"] == b["count"] and a["results"] == b["results"]


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


def _lists(admin_pk: int, repeat: int) -> None:
    from portfolio.api.velocity import VelocityViewSet
    from portfolio.api.views import UseCaseViewSet
    from portfolio.models import UseCase, VelocitySnapshot

    build, columns = _use_case_builder()
    use_cases = UseCase.objects.count()
    snapshots = VelocitySnapshot.objects.count()
    cases = []
    for label, count in (("page 1", 0), ("deep page", use_cases - PAGE)):
        page = count // PAGE + 1
        select = (
            f"SELECT {columns} FROM portfolio_usecase u JOIN portfolio_department d "
            f"ON d.id = u.department_id ORDER BY u.created_at DESC, u.id DESC "
            f"LIMIT {PAGE} OFFSET {(page - 1) * PAGE}"
        )
        cases.append(
            (
                f"use case list, {label} ({page})",
                _ours(UseCaseViewSet, {"get": "list"}, f"/api/use-cases/?page={page}", admin_pk),
                _floor_page(select, "SELECT count(*) FROM portfolio_usecase", build, admin_pk),
                select,
            )
        )
    for label, count in (("page 1", 0), ("deep page", snapshots - PAGE)):
        page = count // PAGE + 1
        select = (
            f"SELECT {VELOCITY_COLUMNS} FROM portfolio_velocitysnapshot "
            f"ORDER BY scope, measure, position, id LIMIT {PAGE} OFFSET {(page - 1) * PAGE}"
        )

        def velocity_row(row):
            row = {k: _iso(v) for k, v in row.items()}
            row["use_case"] = row.pop("use_case_id")
            row["department"] = row.pop("department_id")
            row["previous_use_case"] = row.pop("previous_use_case_id")
            return row

        cases.append(
            (
                f"velocity list, {label} ({page})",
                _ours(VelocityViewSet, {"get": "list"}, f"/api/velocity/?page={page}", admin_pk),
                _floor_page(
                    select,
                    "SELECT count(*) FROM portfolio_velocitysnapshot",
                    velocity_row,
                    admin_pk,
                ),
                select,
            )
        )
    plans = []
    for label, ours, floor, select in cases:
        same = _same_results(ours(), floor())
        times = compete({"ours": ours, "floor": floor}, repeat)
        print(line(label, times["ours"], times["floor"], 1.5) + ("" if same else "  DIFFERENT"))
        plans.append((label, select))
    for label, select in plans:
        print(f"  EXPLAIN {label}:\n{explain(select)}")


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
    parser.add_argument("--only", choices=["lists", "csv"], help="one part only")
    args = parser.parse_args(argv)
    url = bench_url()
    bench_setup(url)
    ensure_portfolio(args.rows)
    from portfolio.models import VelocitySnapshot

    if not VelocitySnapshot.objects.exists():
        from portfolio.services.velocity import velocity_recompute

        velocity_recompute()
    admin = _admin()
    if args.only != "csv":
        _lists(admin.pk, args.repeat)
    if args.only != "lists":
        _csv(url, admin.pk, max(2, args.repeat // 3))


if __name__ == "__main__":
    main(sys.argv[1:])
