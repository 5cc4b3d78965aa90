"""Load the demo portfolio (idempotent), or --scale N synthetic use cases for benchmarks."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from console.demo.loader import DemoPortfolio
from console.demo.regulation import demo_regulation_record
from console.demo.scale import generate_synthetic
from portfolio.models import Department, UseCase
from portfolio.tasks import recomputes_deferred

QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Load a realistic demo portfolio (about 80 use cases over two years)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any use case exists."
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Instead, bulk-insert N synthetic use cases with histories (benchmarks).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, if_empty, scale, no_progress, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo portfolio is not loaded in production.")
        if scale:
            count = generate_synthetic(count=scale, progress=not no_progress)
            self.stdout.write(self.style.SUCCESS(f"Generated {count} synthetic use cases."))
            return
        if if_empty and UseCase.objects.exists():
            self.stdout.write("Use cases exist already; the demo portfolio is not loaded.")
            return
        if Department.objects.filter(slug="claims", use_cases__isnull=False).exists():
            self.stdout.write("The demo portfolio is loaded already; nothing to do.")
            return
        builder = DemoPortfolio(now=timezone.now())
        plans = builder.plans()
        # One transaction: a failure leaves nothing half-loaded, so a rerun starts clean.
        # Notifications of the made-up past are kept in the app but not e-mailed to anyone.
        # Each transition would recompute its department's velocity; the load defers them
        # all to one full recompute at the end (the same figures, a fraction of the time).
        started = time.monotonic()
        with (
            override_settings(EMAIL_BACKEND=QUIET_MAIL),
            recomputes_deferred(),
            transaction.atomic(),
        ):
            builder.people()
            bar = tqdm(
                plans,
                desc="Loading the demo portfolio",
                unit="use case",
                disable=no_progress,
                bar_format="{desc}: {percentage:3.0f}%|{bar:30}| {n_fmt}/{total_fmt} {unit}s",
            )
            for plan in bar:
                builder.load(plan)
            demo_regulation_record(actor=builder.users["admin"])
            builder.addresses_set()
        # Velocity, diagnostics and flags of the loaded history, so every figure shows at once.
        with override_settings(EMAIL_BACKEND=QUIET_MAIL):
            call_command("velocity", "--no-progress", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {UseCase.objects.count()} use cases in the demo portfolio"
                f" in {time.monotonic() - started:.0f} s."
            )
        )
