"""manage.py import_inventory FILE [--dry-run]: check, then import, an inventory spreadsheet."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inventory.report import report_lines
from inventory.services import inventory_import


class Command(BaseCommand):
    help = (
        "Import use cases, metrics, readings, data gaps and stage history from a CSV or .xlsx "
        "file in the inventory template. The whole file is imported, or nothing when a row has "
        "an error. --dry-run shows what would happen and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--user",
            help="The administrator importing (user name); recorded on the imported history. "
            "Defaults to the only superuser.",
        )
        parser.add_argument("--create-departments", action="store_true")
        parser.add_argument("--create-people", action="store_true")
        parser.add_argument(
            "--month-first", action="store_true", help="Dates like 03/31/2024 (US order)."
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def _actor(self, username):
        User = get_user_model()
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"No user '{username}'.")
            return actor
        superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError("Name the administrator who imports with --user.")
        return superusers[0]

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        actor = self._actor(options["user"])
        report = inventory_import(
            actor=actor,
            content=path.read_bytes(),
            filename=path.name,
            options={
                "create_departments": options["create_departments"],
                "create_people": options["create_people"],
                "month_first": options["month_first"],
            },
            dry_run=options["dry_run"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
        else:
            for line in report_lines(report):
                self.stdout.write(line)
        if report["errors"]:
            raise CommandError(f"{report['error_count']} error(s): nothing was imported.")
