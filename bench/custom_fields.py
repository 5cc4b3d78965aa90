"""What 20 custom intake fields cost: the intake page, a page of the API's use case list and
the CSV export, each with 20 fields defined and answered on every use case as a ratio to the
same without any (no definitions, no answers). Not a test.

    BENCH_DATABASE_URL=postgres://.../flywheel_bench_a python -m bench.custom_fields \
        [--with-url postgres://.../flywheel_bench_b] [--rows 100000] [--repeat 5]

With ``--with-url`` (a second copy of the same database) the two states take turns: the
fields are defined and answered in the second copy only, and each repetition times every
surface on the copy without, then on the copy with, so a change in the machine's load
weighs on both alike. The second copy keeps its fields (drop it afterwards).

Without it the two states are timed one after the other on one database (``repeat`` times
without, then ``repeat`` times with), the answers written in one UPDATE and removed again at
the end. The load average is printed beside each figure.
"""

import argparse
import os
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


def _use(url: str) -> None:
    """Point the default connection at another copy of the database."""
    import environ
    from django.db import connections

    default = connections["default"]
    default.close()
    wanted = environ.Env.db_url_config(url)
    default.settings_dict.update({key: wanted[key] for key in ("NAME", "HOST", "PORT")})


def _in_turns(without_url: str, with_url: str, repeat: int) -> tuple[dict, dict, list]:
    from portfolio.models import CustomField

    _use(with_url)
    admin, on_with = _surfaces()
    if not CustomField.objects.filter(key__startswith="bench_").exists():
        _clear()
        _define_and_answer(admin)
    _use(without_url)
    _clear()
    on_without = _surfaces()[1]  # each copy's own users and signed-in session
    times = {state: {name: [] for name in on_with} for state in ("without", "with")}
    loads = []
    for turn in range(repeat + 1):  # the first turn warms up, not counted
        for state, url, surfaces in (
            ("without", without_url, on_without),
            ("with", with_url, on_with),
        ):
            _use(url)
            for name, fn in surfaces.items():
                started = time.perf_counter()
                fn()
                if turn:
                    times[state][name].append(time.perf_counter() - started)
            loads.append(os.getloadavg()[0])
    return times["with"], times["without"], loads


def _one_after_the_other(repeat: int) -> tuple[dict, dict, list]:
    _clear()
    admin, surfaces = _surfaces()
    loads = [os.getloadavg()[0]]
    without = {name: _timed(fn, repeat) for name, fn in surfaces.items()}
    loads.append(os.getloadavg()[0])
    _define_and_answer(admin)
    try:
        with_fields = {name: _timed(fn, repeat) for name, fn in surfaces.items()}
    finally:
        _clear()
    loads.append(os.getloadavg()[0])
    return with_fields, without, loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--with-url", help="a second copy of the database, for turns")
    args = parser.parse_args()
    without_url = bench_url()
    if args.with_url:
        bench_setup(args.with_url)
        ensure_portfolio(args.rows)
    bench_setup(without_url)
    ensure_portfolio(args.rows)
    from portfolio.models import UseCase

    if args.with_url:
        with_fields, without, loads = _in_turns(without_url, args.with_url, args.repeat)
    else:
        with_fields, without, loads = _one_after_the_other(args.repeat)
    print(f"{UseCase.objects.count():,} use cases, {FIELDS} custom fields vs none, "
          f"{'in turns' if args.with_url else 'one state after the other'}")  # fmt: skip
    print(f"load average (1 min) during the run: {min(loads):.1f} to {max(loads):.1f}")
    for name in with_fields:
        print(line(name, with_fields[name], without[name]))
        print(f"    medians {statistics.median(with_fields[name]) * 1000:.1f} ms with, "
              f"{statistics.median(without[name]) * 1000:.1f} ms without")  # fmt: skip


if __name__ == "__main__":
    main()
