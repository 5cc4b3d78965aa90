"""`manage.py velocity`: run the full velocity recompute and every flag sweep now.

In-process by default (the embedded set-up needs no worker): each department, then the
portfolio, then the flags, with a progress bar. ``--enqueue`` hands the same work to the
real worker through the broker instead.
"""

from celery import current_app
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.jobs import BROKER_ERRORS
from core.sweeps import sweeps_registered
from portfolio.models import Department
from portfolio.services.flags import flags_sweep
from portfolio.services.forecast import forecasts_refresh
from portfolio.services.velocity import velocity_recompute
from portfolio.tasks import velocity_recompute_all


class Command(BaseCommand):
    help = "Recompute velocity snapshots and raise/clear flags now (in-process or --enqueue)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Send the work to the Celery worker through the broker instead.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Recompute every scope, even those whose record has not changed since.",
        )

    def handle(
        self, *args, enqueue: bool = False, no_progress: bool = False, force=False, **options
    ):
        # The apps above portfolio register their sweeps when they are ready.
        sweeps = sweeps_registered()
        if enqueue:
            self._enqueue([velocity_recompute_all, *sweeps], quiet=no_progress)
            return
        department_ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        steps = len(department_ids) + 3 + len(sweeps)
        rows = raised = 0
        with tqdm(total=steps, disable=no_progress, unit="step", file=self.stderr) as bar:
            for department_id in department_ids:
                bar.set_description(f"department {department_id}")
                rows += velocity_recompute(department_id=department_id, force=force).duration_rows
                raised += sum(r.raised for r in flags_sweep(department_id=department_id).values())
                bar.update()
            bar.set_description("portfolio")
            rows += velocity_recompute(portfolio_only=True, force=force).duration_rows
            bar.update()
            bar.set_description("forecasts")
            forecasts = forecasts_refresh()
            bar.update()
            bar.set_description("flags")
            raised += sum(r.raised for r in flags_sweep().values())
            bar.update()
            for task in sweeps:
                bar.set_description(task.name)
                task.apply(throw=True)
                bar.update()
        self.stdout.write(
            self.style.SUCCESS(
                f"Velocity recomputed: {rows} snapshot rows written or changed, "
                f"{raised} portfolio flags raised, {len(department_ids)} departments, "
                f"{forecasts.use_case_rows} use case forecasts."
            )
        )

    def _enqueue(self, tasks, *, quiet: bool) -> None:
        if current_app.conf.task_always_eager:
            raise CommandError("No broker is configured (eager mode): run without --enqueue.")
        for task in tqdm(tasks, disable=quiet, unit="task", file=self.stderr):
            try:
                task.apply_async()
            except BROKER_ERRORS as exc:
                raise CommandError(f"The broker is not reachable: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Enqueued {len(tasks)} tasks for the worker."))
