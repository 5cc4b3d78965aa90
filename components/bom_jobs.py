"""The ML-BOM upload as a job: the API and the admin keep the uploaded document and answer at
once; a job (Celery on Redis in production, the background thread in the embedded default)
validates it, plans it (the dry run) and, unless it is a dry run, imports it, writing its
step, the validator's message and path, or the report on the job row that the API and the
page read.

A job runs once, whatever happens to its messages:

- a run claims the job (queued, or held by a run whose hold lapsed) and counts itself in
  ``attempt``; every later write is conditioned on that count, so a run that lost the job
  writes nothing;
- the components, their links and the job's "done" are one transaction: a worker killed in
  the middle leaves neither, and a second delivery of the message finds the job done;
- ``bom_jobs_resume`` (every minute) queues again a job whose hold lapsed: a dead worker, or
  a lost message. Where the database can tell, a job whose row an import's open
  transaction locks is left to it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from components import bom
from components.choices import BomJobStatus
from components.models import BomImportJob
from core.jobs import JobSlot, lapsed_jobs_requeue
from core.roles import roles_of
from portfolio.language import language_of, mail_language

logger = logging.getLogger(__name__)

# The run of one uploaded BOM; components' ready() fills it with its task.
BOM_JOB = JobSlot("ML-BOM import")

# The steps a run goes through, shown as "step n of 4" (translated where shown).
STEPS = (
    gettext_noop("reading the file"),
    gettext_noop("validating against the CycloneDX schema"),
    gettext_noop("planning (dry run)"),
    gettext_noop("writing the components and links"),
)


class Superseded(Exception):
    """The job was taken over by another run (this one's hold had lapsed)."""


def lease_until():
    """When a run's hold on its job lapses unless renewed (BOM_JOB_LEASE_SECONDS, 300 s by
    default): each step renews it, so only a dead worker's hold lapses."""
    return timezone.now() + timedelta(seconds=getattr(settings, "BOM_JOB_LEASE_SECONDS", 300))


@transaction.atomic
def bom_job_create(
    *, actor, content: bytes, filename: str, use_case=None, dry_run: bool = False
) -> BomImportJob:
    """Keep an uploaded BOM and queue its run (after commit). Refuses at once a person who
    may not import BOMs or link to ``use_case``; the document is checked by the job."""
    bom.bom_import_allowed(actor, use_case)
    job = BomImportJob.objects.create(
        filename=(filename or "bom.json")[:255],
        content=content,
        use_case=use_case,
        dry_run=dry_run,
        created_by=actor if getattr(actor, "pk", None) else None,
        language=language_of(actor),
        claimed_until=lease_until(),
    )
    BOM_JOB.enqueue_on_commit(job_id=job.pk)
    return job


def bom_job_import_checked(*, job: BomImportJob, actor) -> BomImportJob:
    """Import the document a finished dry run checked: a new job, no re-upload. Refuses
    (PermissionDenied) a job that is not a finished dry run."""
    if not (job.dry_run and job.status == BomJobStatus.DONE):
        raise PermissionDenied(_("Only a finished dry run is imported from its page."))
    return bom_job_create(
        actor=actor,
        content=bytes(job.content),
        filename=job.filename,
        use_case=job.use_case,
        dry_run=False,
    )


def bom_job_visible(job: BomImportJob, user) -> bool:
    """A job is seen by the person who uploaded it and by administrators."""
    return job.created_by_id == user.pk or roles_of(user).is_admin


def _claim(job_id: int) -> int | None:
    """Hold a queued job, or one whose run's hold lapsed; the number of this run, or None
    (another run holds it, or it is finished: a late duplicate of the message)."""
    claimed = BomImportJob.objects.filter(
        Q(status=BomJobStatus.QUEUED)
        | Q(status=BomJobStatus.RUNNING, claimed_until__lt=timezone.now()),
        pk=job_id,
    ).update(
        status=BomJobStatus.RUNNING,
        step=1,
        stage=STEPS[0],
        attempt=F("attempt") + 1,
        claimed_until=lease_until(),
    )
    if not claimed:
        return None
    return BomImportJob.objects.values_list("attempt", flat=True).get(pk=job_id)


def _step(mine, step: int) -> None:
    if not mine.update(step=step, stage=STEPS[step - 1], claimed_until=lease_until()):
        raise Superseded


def _finish(mine, status: str, **fields) -> None:
    mine.update(status=status, stage="", claimed_until=None, finished_at=timezone.now(), **fields)


def invalid_error(error: bom.BomError) -> dict:
    """The error body an invalid BOM got from the API in the request, kept on the job."""
    return {
        "code": "invalid",
        "message": _("The input is not valid."),
        "fields": {"file": error.message_dict["file"]},
        "validator_message": error.bom_message,
        "path": error.bom_path,
    }


def bom_job_run(*, job_id: int) -> BomImportJob | None:
    """Run one job: validate, plan, and import unless a dry run, its messages in the
    uploader's language. Does nothing for a job another run holds or one that finished."""
    attempt = _claim(job_id)
    if attempt is None:
        return BomImportJob.objects.filter(pk=job_id).first()
    job = BomImportJob.objects.select_related("use_case", "created_by").get(pk=job_id)
    with translation.override(mail_language(job.language)):
        return _run(job, attempt)


def _run(job: BomImportJob, attempt: int) -> BomImportJob:
    job_id = job.pk
    mine = BomImportJob.objects.filter(pk=job_id, attempt=attempt)
    try:
        _step(mine, 2)
        document = bom.bom_parse(bytes(job.content))
        _step(mine, 3 if job.dry_run else 4)
        with transaction.atomic():
            # The row stays locked until the import commits: the resume leaves it alone.
            if not mine.select_for_update().exists():
                raise Superseded
            report = bom.bom_document_import(
                document=document, actor=job.created_by, use_case=job.use_case,
                dry_run=job.dry_run,
            )  # fmt: skip
            _finish(mine, BomJobStatus.DONE, report=report)
    except bom.BomError as exc:
        _finish(mine, BomJobStatus.INVALID, error=invalid_error(exc))
    except Superseded:
        logger.warning("ML-BOM job %s was taken over by a later run; this run stops", job_id)
    except (OperationalError, InterfaceError):
        # The database blinked: the task's retry (or the resume once the hold lapses) runs
        # the job again.
        mine.update(status=BomJobStatus.QUEUED)
        raise
    except Exception:
        _finish(
            mine,
            BomJobStatus.FAILED,
            error={"code": "failed", "message": _("The import failed; nothing was written.")},
        )
        raise
    job.refresh_from_db()
    return job


def bom_jobs_resume() -> list[int]:
    """Queue again the jobs whose hold lapsed (a worker died under them, or their message
    was lost: Redis restarted empty). Returns the jobs queued."""

    def requeue(pk: int) -> None:
        BomImportJob.objects.filter(pk=pk).update(
            status=BomJobStatus.QUEUED, stage="", claimed_until=lease_until()
        )
        BOM_JOB.enqueue_on_commit(job_id=pk)

    rows = lapsed_jobs_requeue(
        BomImportJob.objects.filter(status__in=(BomJobStatus.QUEUED, BomJobStatus.RUNNING)),
        requeue=requeue,
    )
    return [pk for (pk,) in rows]
