"""The CycloneDX ML-BOM upload of a 5,000-component BOM (2,500 models, 2,500 datasets, 50
suppliers), linked to one use case, through its job (components.bom_jobs): the upload's
answer (what the request does: keep the document, queue the job), the job's dry run, the
job's import, a second delivery of the import's message, and the re-import of the same BOM
(all unchanged); the peak memory of the import job; and, in the same run, the floor: the
validation and the import called directly, without the job. Not a test.

    python -m bench.import_mlbom                   # 5,000 components
    python -m bench.import_mlbom --components 20000

PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench_mlbom (created and migrated if missing).
Everything runs in a transaction that is rolled back at the end (so the jobs' messages, sent
on commit, are never sent: each job is run here as the worker would run it).
"""

import argparse
import json
import os
import resource
import time
import tracemalloc

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench_mlbom"


def mlbom(components: int) -> bytes:
    """A valid 1.6 BOM: half models with a model card naming their dataset, half datasets."""
    items = []
    for index in range(components // 2):
        supplier = {"name": f"Supplier {index % 50}"}
        items.append({
            "type": "machine-learning-model", "bom-ref": f"model-{index}", "name": f"model-{index}",
            "version": "1.0.0", "supplier": supplier,
            "licenses": [{"license": {"id": "Apache-2.0"}}],
            "modelCard": {"modelParameters": {"task": "classification",
                                              "datasets": [{"ref": f"data-{index}"}]}},
        })  # fmt: skip
        items.append({
            "type": "data", "bom-ref": f"data-{index}", "name": f"dataset-{index}",
            "supplier": supplier,
            "data": [{"type": "dataset", "name": f"dataset-{index}",
                      "contents": {"url": f"s3://bench/{index}/"},
                      "sensitiveData": ["email"] if index % 2 else []}],
        })  # fmt: skip
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "serialNumber": "urn:uuid:00000000-0000-4000-8000-000000005000",
           "components": items}  # fmt: skip
    return json.dumps(bom).encode()


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def _traced(function, *args, **kwargs):
    """Time and tracemalloc peak (bytes) of one call."""
    tracemalloc.start()
    try:
        seconds, result = _timed(function, *args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=5_000)
    parser.add_argument(
        "--library-validator",
        action="store_true",
        help="also time cyclonedx-python-lib's own JsonStrictValidator on the same BOM (the "
        "validation before components.bom_schema: minutes at 5,000 components)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    from bench._common import setup

    setup(url)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from components.bom import bom_document_import, bom_parse
    from components.bom_jobs import bom_job_create, bom_job_run
    from portfolio.models import Department, UseCase

    raw = mlbom(args.components)
    bom_parse(mlbom(2))  # the validator is built once per process: not in any timing below
    load = [f"{x:.1f}" for x in os.getloadavg()]
    library = None
    if args.library_validator:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator

        library, error = _timed(JsonStrictValidator(SchemaVersion.V1_6).validate_str, raw.decode())
        assert error is None, error
    with transaction.atomic():
        stamp = time.time_ns()
        department = Department.objects.create(name="Bench BOM", slug=f"bench-bom-{stamp}")
        use_case = UseCase.objects.create(title="Bench BOM", department=department)
        actor = get_user_model().objects.create_superuser(f"bench-bom-{stamp}", password=None)
        upload = {"actor": actor, "content": raw, "filename": "bench.json", "use_case": use_case}
        # The floor, the same work without the job: validation, then the import, rolled back.
        validate, document = _timed(bom_parse, raw)
        with transaction.atomic():
            direct, _ = _timed(bom_document_import, document=document, actor=actor,
                               use_case=use_case)  # fmt: skip
            transaction.set_rollback(True)
        # Through the job: the upload's answer, then the job's runs as the worker runs them.
        answer, dry_job = _timed(bom_job_create, **upload, dry_run=True)
        dry, _ = _timed(bom_job_run, job_id=dry_job.pk)
        with transaction.atomic():  # an import job traced (tracemalloc slows it), rolled back
            _, peak, _ = _traced(bom_job_run, job_id=bom_job_create(**upload).pk)
            transaction.set_rollback(True)
        import_job = bom_job_create(**upload)
        first, done = _timed(bom_job_run, job_id=import_job.pk)
        again, _ = _timed(bom_job_run, job_id=import_job.pk)
        reimport_job = bom_job_create(**upload)
        reimport, unchanged = _timed(bom_job_run, job_id=reimport_job.pk)
        transaction.set_rollback(True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = done.report
    assert done.status == "done" and unchanged.status == "done", (done.error, unchanged.error)
    print(f"{args.components:,} components ({len(raw) / 1e6:.1f} MB of JSON), load average "
          f"{' '.join(load)} at the start, {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"at the end: {report['components']['create']:,} created (with suppliers), "
          f"{report['links_added']:,} links")  # fmt: skip
    if library is not None:
        print(f"schema validation (library's own JsonStrictValidator): {library:.2f} s")
    print(f"floor, validation + import without a job: {validate:.2f} s + {direct:.2f} s "
          f"= {validate + direct:.2f} s")  # fmt: skip
    print(f"upload answered (document kept, job queued): {answer * 1000:.0f} ms")
    print(f"dry-run job:                 {dry:.2f} s")
    print(f"import job:                  {first:.2f} s "
          f"({first / (validate + direct):.2f}x the floor)")  # fmt: skip
    print(f"second delivery of its message: {again * 1000:.0f} ms (nothing done)")
    print(f"re-import job (unchanged {unchanged.report['components']['unchanged']:,}): "
          f"{reimport:.2f} s")  # fmt: skip
    print(f"peak memory: {peak / 2**20:.0f} MiB traced in the import job; process RSS peak "
          f"{rss / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
