"""Follow-up work that could not be sent to the broker, kept until it can (portfolio.jobs)."""

from django.db import models
from django.utils import timezone


class PendingJob(models.Model):
    """Work a web request could not enqueue because the broker was down; replayed later.

    Keyed by task and arguments, so the same pending work is recorded once.
    """

    task = models.CharField(max_length=120)
    kwargs_key = models.CharField(max_length=400)
    kwargs = models.JSONField(default=dict)
    first_failed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["first_failed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kwargs_key"], name="pending_job_key"),
        ]

    def __str__(self) -> str:
        return f"{self.task}({self.kwargs_key})"
