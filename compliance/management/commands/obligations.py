"""``manage.py obligations``: regenerate every use case's obligations from the catalogue (after
an administrator added a duty or corrected a date), then raise and clear "obligation overdue"."""

from django.core.management.base import BaseCommand

from compliance.models import RegulatoryProfile
from compliance.services import obligations_sync
from compliance.watch import obligations_sweep


class Command(BaseCommand):
    help = "Regenerate the obligations of every use case with a recorded role, then sweep flags."

    def add_arguments(self, parser):
        parser.add_argument("--use-case", type=int, help="Only this use case (its id).")

    def handle(self, *args, use_case=None, **options):
        profiles = RegulatoryProfile.objects.select_related("use_case").order_by("use_case_id")
        if use_case is not None:
            profiles = profiles.filter(use_case_id=use_case)
        created = reopened = withdrawn = 0
        for profile in profiles:
            result = obligations_sync(use_case=profile.use_case)
            created += result.created
            reopened += result.reopened
            withdrawn += result.withdrawn
        flags = obligations_sweep()
        self.stdout.write(
            f"{created} created, {reopened} reopened, {withdrawn} no longer applicable; "
            f"overdue flags: {flags.raised} raised, {flags.cleared} cleared."
        )
