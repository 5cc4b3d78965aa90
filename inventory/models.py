"""An import job: the uploaded file, its dry run, its progress, and whether it was applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    CHECKING = "checking", "Dry run in progress"
    CHECKED = "checked", "Dry run done"
    APPLYING = "applying", "Import in progress"
    APPLIED = "applied", "Imported"
    REFUSED = "refused", "Not imported (errors)"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """One uploaded inventory file. Large files are checked and applied by a Celery job that
    writes its progress here; the page and the API read it."""

    filename = models.CharField(verbose_name=_("filename"), max_length=255)
    content = models.BinaryField(verbose_name=_("content"))
    options = models.JSONField(verbose_name=_("options"), default=dict, blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.UPLOADED,
    )
    stage = models.CharField(verbose_name=_("stage"), max_length=60, blank=True)
    rows_total = models.PositiveIntegerField(verbose_name=_("rows total"), default=0)
    rows_done = models.PositiveIntegerField(verbose_name=_("rows done"), default=0)
    report = models.JSONField(verbose_name=_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(verbose_name=_("applied at"), null=True, blank=True)
    # A run holds the job until then (renewed by its progress); a dead worker's hold lapses
    # and the resume job queues the job again.
    claimed_until = models.DateTimeField(verbose_name=_("claimed until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status in (ImportStatus.CHECKED, ImportStatus.APPLIED) else 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ImportMapping(models.Model):
    """A mapping a person confirmed, kept by name for the next import of the same register:
    the sheet, the header row, each column's field (by header; "" for ignored) and the date
    order of its ambiguous date columns."""

    name = models.CharField(verbose_name=_("name"), max_length=120, unique=True)
    sheet = models.CharField(verbose_name=_("sheet"), max_length=255, blank=True)
    header_row = models.PositiveIntegerField(verbose_name=_("header row"), null=True, blank=True)
    columns = models.JSONField(verbose_name=_("columns"), default=dict, blank=True)
    date_orders = models.JSONField(verbose_name=_("date orders"), default=dict, blank=True)
    department = models.CharField(verbose_name=_("department"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self) -> str:
        return self.name

    def as_options(self) -> dict:
        """The import options this mapping stands for."""
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": dict(self.columns),
            "date_orders": dict(self.date_orders),
            "department": self.department,
        }
