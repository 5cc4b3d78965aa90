"""The first flag sweep of a large synthetic portfolio with department heads: how long it takes,
how many e-mails it sends and on how many mail connections. Not a test.

    python -m bench.notifications                 # 10,000 use cases, 25 departments
    python -m bench.notifications --rows 2000

PostgreSQL only: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/flywheel_bench_mail
(created and migrated if missing). Celery runs eagerly (no broker), so the mail job runs in
the process and is timed with the sweep. The mail backend is an in-memory one that counts
the connections it was asked to open and the messages sent over them.
"""

import argparse
import os
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench_mail"


class Counter:
    connections = 0
    messages = 0


def counting_backend():
    from django.core.mail.backends.locmem import EmailBackend

    class CountingBackend(EmailBackend):
        """An in-memory mail backend that counts connections (instances) and messages."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            Counter.connections += 1

        def send_messages(self, messages):
            Counter.messages += len(messages)
            return len(messages)

    return CountingBackend


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _heads(departments) -> int:
    from django.contrib.auth import get_user_model

    from portfolio.choices import DepartmentRole
    from portfolio.models import Membership

    made = 0
    for department in departments:
        user, _ = get_user_model().objects.get_or_create(
            username=f"head-{department.slug}",
            defaults={"email": f"head-{department.slug}@example.org"},
        )
        _, created = Membership.objects.get_or_create(
            user=user, department=department, defaults={"role": DepartmentRole.HEAD}
        )
        made += created
    return made


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=25)
    args = parser.parse_args(argv)
    _setup(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from django.conf import settings
    from django.db import connection

    from console.demo.scale import generate_synthetic
    from portfolio.models import Department, Flag, UseCase
    from portfolio.services.flags import flags_sweep
    from portfolio.services.velocity import velocity_recompute

    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    sys.modules[__name__].CountingBackend = counting_backend()

    have = UseCase.objects.filter(title__startswith="Synthetic use case").count()
    if have < args.rows:
        generate_synthetic(count=args.rows - have, departments=args.departments)
    departments = list(Department.objects.filter(slug__startswith="synthetic-"))
    _heads(departments)
    started = time.perf_counter()
    velocity_recompute()
    velocity_seconds = time.perf_counter() - started

    # A first sweep: no flag and no notification exists yet.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portfolio_notification")
    Flag.objects.all().delete()
    Counter.connections = Counter.messages = 0
    started = time.perf_counter()
    results = flags_sweep()
    sweep_seconds = time.perf_counter() - started
    raised = sum(r.raised for r in results.values())
    print(f"use cases:        {UseCase.objects.count():,}")
    print(f"departments:      {len(departments)} (one head each)")
    print(f"velocity:         {velocity_seconds:.1f} s (not part of the sweep)")
    print(f"flags raised:     {raised:,}")
    print(f"first sweep:      {sweep_seconds:.1f} s (flags, notifications and mail)")
    print(f"e-mails sent:     {Counter.messages:,}")
    print(f"mail connections: {Counter.connections:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
