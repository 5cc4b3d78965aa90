"""The CycloneDX ML-BOM import of a 5,000-component BOM (2,500 models, 2,500 datasets, 50
suppliers), linked to one use case: the time of the schema validation alone, of the dry run,
of the first import and of a re-import (all unchanged), and the peak memory of the import.
Not a test.

    python -m bench.import_mlbom                   # 5,000 components
    python -m bench.import_mlbom --components 20000

PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench_mlbom (created and migrated if missing).
The imports run in a transaction that is rolled back at the end.
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=5_000)
    parser.add_argument(
        "--no-validation",
        action="store_true",
        help="skip the schema validation and time only the import of the document",
    )
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
    from django.db import transaction

    from components.bom import bom_document_import, bom_parse
    from portfolio.models import Department, UseCase

    raw = mlbom(args.components)
    # The schema validation (components.bom_schema: the library's schema and validator with
    # two checks made fast) runs once per upload; it is timed on its own, then the import of
    # the validated document.
    if args.no_validation:
        validate, document = None, json.loads(raw)
    else:
        validate, document = _timed(bom_parse, raw)
    library = None
    if args.library_validator:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator

        library, error = _timed(JsonStrictValidator(SchemaVersion.V1_6).validate_str, raw.decode())
        assert error is None, error
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with transaction.atomic():
        department = Department.objects.create(name="Bench BOM", slug=f"bench-bom-{time.time_ns()}")
        use_case = UseCase.objects.create(title="Bench BOM", department=department)
        run = {"document": document, "actor": None, "use_case": use_case}
        dry, _ = _timed(bom_document_import, **run, dry_run=True)
        with transaction.atomic():  # the first import traced, then rolled back
            tracemalloc.start()
            bom_document_import(**run)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            transaction.set_rollback(True)
        first, created = _timed(bom_document_import, **run)
        again, unchanged = _timed(bom_document_import, **run)
        transaction.set_rollback(True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{args.components:,} components ({len(raw) / 1e6:.1f} MB of JSON): "
          f"{created['components']['create']:,} created (with suppliers), "
          f"{created['links_added']:,} links")  # fmt: skip
    if library is not None:
        print(f"schema validation (library's own JsonStrictValidator): {library:.2f} s")
    if validate is not None:
        print(f"schema validation (components.bom_schema): {validate:.2f} s")
    print(f"dry run:                     {dry:.2f} s")
    print(f"import:                      {first:.2f} s")
    print(f"re-import (unchanged {unchanged['components']['unchanged']:,}): {again:.2f} s")
    print(
        f"peak memory: {peak / 2**20:.0f} MiB traced in the first import; process RSS peak "
        f"{rss / 1024:.0f} MiB ({rss_before / 1024:.0f} MiB after validation)"
    )


if __name__ == "__main__":
    main()
