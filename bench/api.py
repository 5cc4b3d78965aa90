"""List-endpoint throughput of the API on a large generated portfolio, against a bare DRF
endpoint serving the same rows (no role scoping, filters, computed fields or available
transitions). Prints requests per second of each and the ratio. Not part of the test suite.

    python -m bench.api --rows 20000 --requests 40

It runs in a throw-away database created next to the configured one (PostgreSQL when
TEST_DATABASE_URL / the test settings find it, else SQLite) and dropped at the end.
"""

import argparse
import os
import statistics
import time


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault(
        "TEST_DATABASE_URL",
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flywheel_bench"),
    )
    import django

    django.setup()


def _bare_view():
    """The baseline: a plain ListAPIView over the same table, same page size, same rows."""
    from rest_framework import generics, serializers
    from rest_framework.permissions import IsAuthenticated

    from portfolio.models import UseCase

    class BareUseCaseSerializer(serializers.ModelSerializer):
        class Meta:
            model = UseCase
            exclude = ["created_by"]

    class BareUseCaseList(generics.ListAPIView):
        queryset = UseCase.objects.order_by("-created_at", "-id")
        serializer_class = BareUseCaseSerializer
        permission_classes = [IsAuthenticated]
        filter_backends: list = []

    return BareUseCaseList.as_view()


def _runner(view, path: str, user_pk: int):
    """One request as it happens in production: a fresh user (token authentication loads
    one per request), the full view, the rendered body."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    factory = APIRequestFactory()
    users = get_user_model().objects

    def once():
        request = factory.get(path)
        force_authenticate(request, users.get(pk=user_pk))
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:200]
        return response

    return once


def _measure(runners: list, requests: int) -> list[tuple[float, int, int]]:
    """Requests per second (median), rows on the page and queries per request of each runner.

    The runners take turns request by request, so that a change in the machine's load
    during the run weighs on all of them alike.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shape = []
    for once in runners:
        for _ in range(3):
            once()
        with CaptureQueriesContext(connection) as captured:
            response = once()
        data = response.data
        shape.append((len(data["results"]) if "results" in data else len(data), len(captured)))
    timings: list[list[float]] = [[] for _ in runners]
    for _ in range(requests):
        for index, once in enumerate(runners):
            start = time.perf_counter()
            once()
            timings[index].append(time.perf_counter() - start)
    return [
        (1 / statistics.median(times), rows, queries)
        for times, (rows, queries) in zip(timings, shape, strict=True)
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="use cases to generate")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per endpoint")
    args = parser.parse_args(argv)

    _setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from console.demo.scale import generate_synthetic
    from core.roles import ADMINISTRATORS_GROUP
    from portfolio.api.views import UseCaseViewSet
    from portfolio.choices import DepartmentRole
    from portfolio.models import Department, Membership

    started = time.perf_counter()
    generate_synthetic(count=args.rows, progress=False)
    print(f"generated {args.rows} use cases in {time.perf_counter() - started:.1f}s")
    users = get_user_model().objects
    head = users.create_user("bench-head", password="x")
    Membership.objects.create(
        user=head, department=Department.objects.order_by("slug").first(), role=DepartmentRole.HEAD
    )
    admin = users.create_user("bench-admin", password="x")
    admin.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])

    ours = UseCaseViewSet.as_view({"get": "list"})
    bare = _bare_view()
    cases = [
        ("bare DRF ListAPIView", bare, "/bare/", admin.pk),
        ("/api/use-cases/ as administrator", ours, "/api/use-cases/", admin.pk),
        ("/api/use-cases/ as department head", ours, "/api/use-cases/", head.pk),
        (
            "/api/use-cases/?state=pilot&q=Synthetic as head",
            ours,
            "/api/use-cases/?state=pilot&q=Synthetic&ordering=-submitted_at",
            head.pk,
        ),
    ]
    measured = _measure(
        [_runner(view, path, user_pk) for _, view, path, user_pk in cases], args.requests
    )
    results = [(case[0], *figures) for case, figures in zip(cases, measured, strict=True)]
    baseline = results[0][1]
    print(f"{'endpoint':52} {'req/s':>8} {'rows':>5} {'queries':>8} {'vs bare':>8}")
    for label, rate, rows, queries in results:
        print(f"{label:52} {rate:8.1f} {rows:5d} {queries:8d} {rate / baseline:8.2f}")


if __name__ == "__main__":
    main()
