"""What 20 custom intake fields cost: the intake page, a page of the API's use case list and
the CSV export, each with 20 fields defined and answered on every use case as a ratio to the
same without any (no definitions, no answers). Not a test.

    BENCH_DATABASE_URL=postgres://.../flywheel_bench_custom python -m bench.custom_fields \
        [--rows 100000] [--repeat 5]

The two states cannot be timed in turns (they are states of the database): each is timed
``repeat`` times in a row, without first, and the medians compared. The answers are written
in one UPDATE and removed again at the end, so the database is left as it was.
"""

import argparse
import statistics
import time

from bench._common import bench_url, ensure_portfolio, line
from bench._common import setup as bench_setup

FIELDS = 20


def _timed(fn, repeat: int) -> list[float]:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def _surfaces():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.test import APIRequestFactory, force_authenticate

    from bench.api import _admin
    from portfolio.api.views import UseCaseViewSet
    from portfolio.choices import DepartmentRole
    from portfolio.models import Department, Membership

    admin = _admin()
    head, _ = get_user_model().objects.get_or_create(username="bench-custom-head")
    department = Department.objects.filter(slug__startswith="synthetic-").order_by("slug").first()
    Membership.objects.get_or_create(user=head, department=department, role=DepartmentRole.HEAD)
    page = Client()
    page.force_login(head)
    view = UseCaseViewSet.as_view({"get": "list"})

    def api(path):
        def once():
            request = APIRequestFactory().get(path)
            force_authenticate(request, admin)
            response = view(request)
            if hasattr(response, "streaming_content"):
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.render().content)

        return once

    def intake():
        assert page.get("/use-cases/new/").status_code == 200

    return admin, {
        "intake page (new use case)": intake,
        "API list, a page of 50": api("/api/use-cases/?page=2"),
        "CSV export, every use case": api("/api/use-cases/?format=csv"),
    }


def _define_and_answer(admin) -> None:
    import json

    from django.db import connection

    from portfolio import services
    from portfolio.choices import CustomFieldKind as Kind

    kinds = [Kind.TEXT, Kind.NUMBER, Kind.MONEY, Kind.DATE, Kind.CHOICE, Kind.YES_NO]
    answers = {"text": "An answer", "number": "12.5", "money": "1000.00",
               "date": "2026-03-31", "choice": "B", "yes_no": True}  # fmt: skip
    row = {}
    for n in range(FIELDS):
        kind = kinds[n % len(kinds)]
        services.custom_field_create(
            actor=admin, key=f"bench_{n}", label=f"Bench question {n}", kind=kind,
            choices=["A", "B"] if kind == Kind.CHOICE else [],
        )  # fmt: skip
        row[f"bench_{n}"] = answers[kind]

    with connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_usecase SET custom = %s::jsonb", [json.dumps(row)])
        cursor.execute("VACUUM ANALYZE portfolio_usecase")


def _clear() -> None:
    from django.db import connection

    from portfolio.models import CustomField

    with connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_usecase SET custom = '{}'::jsonb WHERE custom <> '{}'")
    CustomField.objects.all().delete()  # the benchmark's own fields, never a real one's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_setup(bench_url())
    ensure_portfolio(args.rows)
    from portfolio.models import UseCase

    _clear()
    admin, surfaces = _surfaces()
    without = {name: _timed(fn, args.repeat) for name, fn in surfaces.items()}
    _define_and_answer(admin)
    try:
        with_fields = {name: _timed(fn, args.repeat) for name, fn in surfaces.items()}
    finally:
        _clear()
    print(f"{UseCase.objects.count():,} use cases, {FIELDS} custom fields vs none")
    for name in surfaces:
        print(line(name, with_fields[name], without[name]))
        print(f"    medians {statistics.median(with_fields[name]) * 1000:.1f} ms with, "
              f"{statistics.median(without[name]) * 1000:.1f} ms without")  # fmt: skip


if __name__ == "__main__":
    main()
