"""Every write of the inventory app: the import (dry run, then the whole file or nothing), and
the import jobs that run large files on a worker with their progress."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, ConflictError
from core.jobs import JobSlot, lapsed_jobs_requeue
from core.roles import roles_of
from inventory.apply import plan_apply
from inventory.detect import read_table
from inventory.dry_run import plan_build
from inventory.files import InventoryFileError
from inventory.mapping import DATE_ORDERS
from inventory.models import ImportJob, ImportMapping, ImportStatus
from inventory.plan import ImportOptions

logger = logging.getLogger(__name__)

# A large file's check or import on a worker; inventory's ready() fills it with its task.
IMPORT_JOB = JobSlot("inventory import")


def sync_byte_limit() -> int:
    """Files larger than this run as a Celery job (setting INVENTORY_SYNC_BYTES; about 2,000
    CSV rows by default)."""
    return getattr(settings, "INVENTORY_SYNC_BYTES", 256 * 1024)


def lease_until():
    """When a run's hold on its job lapses unless renewed (INVENTORY_JOB_LEASE_SECONDS, 300 s
    by default): every progress write renews it, so only a dead worker's hold lapses."""
    return timezone.now() + timedelta(seconds=getattr(settings, "INVENTORY_JOB_LEASE_SECONDS", 300))


def _require_admin(actor) -> None:
    if actor is None or not roles_of(actor).is_admin:
        raise PermissionDenied(_("Only portfolio administrators import an inventory."))


def file_error_report(filename: str, error: InventoryFileError, *, dry_run: bool) -> dict:
    """The report of a file that cannot be read at all."""
    return {
        "file": filename,
        "dry_run": dry_run,
        "applied": False,
        "file_error": error.code,
        "error_count": 1,
        "errors": [{"row": None, "column": "", "reference": "", "message": error.message,
                    "code": error.code}],
        "refused": [],
        "mapping": [],
        "counts": {},
        "rows": [],
    }  # fmt: skip


def inventory_import(
    *,
    actor,
    content: bytes,
    filename: str,
    options: ImportOptions | dict | None = None,
    dry_run: bool = True,
    progress=None,
) -> dict:
    """Check a file and, unless ``dry_run``, import it: all of it, or nothing when a row has an
    error. Returns the report (mapping, created / changed / unchanged, errors, refusals).

    Importing the same file twice changes nothing: rows are matched on their reference.
    """
    _require_admin(actor)
    try:
        if not isinstance(options, ImportOptions):
            options = ImportOptions.from_dict(options)
        options = _with_saved_mapping(options)
        table = read_table(content, filename, sheet=options.sheet, header_row=options.header_row)
    except InventoryFileError as exc:
        return file_error_report(filename, exc, dry_run=dry_run)
    except (TypeError, ValueError) as exc:
        return file_error_report(
            filename, InventoryFileError(str(exc), code="invalid_options"), dry_run=dry_run
        )
    plan = plan_build(table=table, source_file=filename, options=options, progress=progress)
    if dry_run or plan.errors:
        return plan.report(dry_run=dry_run)
    try:
        with transaction.atomic():
            plan_apply(plan=plan, actor=actor, found=plan.found, progress=progress)
    except (IntegrityError, ValidationError, ApplicationError) as exc:
        # Somebody changed the same use cases (or wrote the same references) between the
        # check and the write; the transaction rolled back and nothing was written.
        logger.warning("inventory import of %s refused while writing: %s", filename, exc)
        report = plan.report(dry_run=False)
        message = (
            exc.message
            if isinstance(exc, ApplicationError)
            else "; ".join(getattr(exc, "messages", [str(exc)]))
        )
        report["errors"].append({"row": None, "column": "", "reference": "",
                                 "message": "Nothing was imported: the portfolio changed while "
                                 f"the file was written ({message}). Run the dry run again.",
                                 "code": "concurrent_import"})  # fmt: skip
        report["error_count"] += 1
        return report
    return plan.report(applied=True, dry_run=False)


def _with_saved_mapping(options: ImportOptions) -> ImportOptions:
    """The options with a saved mapping's choices under the person's own (which win)."""
    if not options.mapping_name:
        return options
    saved = ImportMapping.objects.filter(name=options.mapping_name).first()
    if saved is None:
        names = ", ".join(ImportMapping.objects.values_list("name", flat=True)[:20]) or "none yet"
        raise InventoryFileError(
            _("No saved mapping '%(mapping_name)s'; the saved mappings are: %(names)s.")
            % {"mapping_name": options.mapping_name, "names": names},
            code="unknown_mapping",
        )
    merged = saved.as_options()
    given = options.as_dict()
    for name in ("sheet", "header_row", "department"):
        if given[name] not in (None, ""):
            merged[name] = given[name]
    merged["mapping"].update(given["mapping"])
    merged["date_orders"].update(given["date_orders"])
    return ImportOptions.from_dict({**given, **merged})


@transaction.atomic
def import_mapping_save(*, actor, name: str, report: dict, options: dict | None = None):
    """Keep the mapping of a dry run under ``name`` (replacing one of that name): the sheet,
    the header row and every column's field as the person confirmed them."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Name the mapping (at most 120 characters).")]})
    if not report.get("mapping"):
        raise ApplicationError(
            _("The dry run has no mapping to keep (the file could not be read)."),
            code="no_mapping",
        )
    options = ImportOptions.from_dict(options)
    columns = {(m["column"] or m["letter"]): (m["field"] or "") for m in report["mapping"]}
    orders = {
        (m["column"] or m["letter"]): m["date_order"]
        for m in report["mapping"]
        if m.get("date_order") in DATE_ORDERS
    }
    orders.update(options.date_orders)
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name,
        defaults={
            "sheet": report.get("sheet", ""),
            "header_row": report.get("header_row"),
            "columns": columns,
            "date_orders": orders,
            "department": options.department,
            "created_by": actor,
        },
    )
    return mapping


@transaction.atomic
def import_job_remap(*, actor, job: ImportJob, options: dict) -> ImportJob:
    """Change what the person chose for a job (sheet, header row, mapping, date orders,
    options) before it is imported; its dry run runs again."""
    _require_admin(actor)
    if job.status in (ImportStatus.APPLIED, ImportStatus.CHECKING, ImportStatus.APPLYING):
        raise ConflictError(
            _("The job is %(status)s; its mapping cannot change now.")
            % {"status": job.get_status_display().lower()},
            code="import_not_allowed",
        )
    merged = {**job.options, **{k: v for k, v in options.items() if v is not None}}
    moved = any(
        name in options and options[name] != job.options.get(name)
        for name in ("sheet", "header_row")
    )
    if moved and "mapping" not in options:
        # Other headers: the columns chosen for the old ones mean nothing there.
        merged["mapping"], merged["date_orders"] = {}, {}
    job.options = ImportOptions.from_dict(merged).as_dict()
    job.status, job.report = ImportStatus.UPLOADED, {}
    job.save(update_fields=["options", "status", "report"])
    return job


def _progress_writer(job_id: int):
    def write(stage: str, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            stage=stage, rows_done=done, rows_total=total, claimed_until=lease_until()
        )

    return write


@transaction.atomic
def import_job_create(*, actor, content: bytes, filename: str, options: dict | None = None):
    """Keep an uploaded file for its dry run and, once confirmed, its import."""
    _require_admin(actor)
    return ImportJob.objects.create(
        filename=(filename or "inventory")[:255],
        content=content,
        options=ImportOptions.from_dict(options).as_dict(),
        created_by=actor,
    )


def _claim(job_id: int, running: str) -> bool:
    """Hold a job queued for this run, or one whose last run's hold lapsed (its worker
    died); never a job another run holds, nor one that has finished (a late duplicate)."""
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(
            Q(stage="queued") | Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=job_id,
            status=running,
        ).update(stage="reading the file", claimed_until=lease_until())
    )


def import_job_run(*, job_id: int, apply: bool) -> ImportJob | None:
    """Run the dry run (``apply=False``) or the import of a job, recording progress and report.

    Idempotent for a worker that dies mid-way or a message delivered twice: a run holds the
    job (a lease its progress renews), a second run meanwhile does nothing, a rerun after the
    hold lapsed checks again, and an applied job is never applied twice (the import is one
    transaction, and matches rows on their reference).
    """
    running = ImportStatus.APPLYING if apply else ImportStatus.CHECKING
    if not _claim(job_id, running):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.get(pk=job_id)
    try:
        report = inventory_import(
            actor=job.created_by,
            content=bytes(job.content),
            filename=job.filename,
            options=job.options,
            dry_run=not apply,
            progress=_progress_writer(job.pk),
        )
    except (OperationalError, InterfaceError):
        # The database blinked: the task's retry (or, failing that, the resume once the hold
        # lapses) runs the job again.
        ImportJob.objects.filter(pk=job.pk).update(stage="queued")
        raise
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, stage="failed", claimed_until=None
        )
        raise
    if apply:
        status = ImportStatus.APPLIED if report["applied"] else ImportStatus.REFUSED
    else:
        status = ImportStatus.CHECKED
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        stage="",
        report=report,
        rows_done=report.get("rows_total", 0),
        rows_total=report.get("rows_total", 0),
        applied_at=timezone.now() if status == ImportStatus.APPLIED else None,
        claimed_until=None,
    )
    job.refresh_from_db()
    return job


def import_jobs_resume() -> list[int]:
    """Queue again the jobs whose run's hold lapsed: a worker died under them, or their
    message was lost (Redis restarted empty). Where the database can tell, a job whose row an
    import's open transaction still locks is left to it. Returns the jobs queued."""

    def requeue(pk: int, status: str) -> None:
        ImportJob.objects.filter(pk=pk).update(stage="queued", claimed_until=lease_until())
        IMPORT_JOB.enqueue_on_commit(job_id=pk, apply=status == ImportStatus.APPLYING)

    rows = lapsed_jobs_requeue(
        ImportJob.objects.filter(status__in=(ImportStatus.CHECKING, ImportStatus.APPLYING)),
        fields=("pk", "status"),
        requeue=requeue,
    )
    return [pk for pk, _ in rows]


def import_job_start(*, job: ImportJob, apply: bool, actor) -> ImportJob:
    """Run the job now when the file is small, else on a worker (after commit)."""
    _require_admin(actor)
    if job.status in (ImportStatus.APPLIED, ImportStatus.CHECKING, ImportStatus.APPLYING):
        raise ConflictError(
            _("The job is %(status)s; it cannot be run again now.")
            % {"status": job.get_status_display().lower()},
            code="import_not_allowed",
        )
    status = ImportStatus.APPLYING if apply else ImportStatus.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, stage="queued", claimed_until=lease_until()
    )
    if len(job.content) <= sync_byte_limit():
        return import_job_run(job_id=job.pk, apply=apply)
    IMPORT_JOB.enqueue_on_commit(job_id=job.pk, apply=apply)
    job.refresh_from_db()
    return job
