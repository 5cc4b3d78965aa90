"""manage.py import_inventory FILE [--dry-run]: check, then import, an inventory spreadsheet."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inventory.mapping import DATE_ORDERS
from inventory.report import report_lines
from inventory.services import import_mapping_save, inventory_import


class Command(BaseCommand):
    help = (
        "Import use cases, metrics, readings, data gaps and stage history from a CSV or .xlsx "
        "file: the inventory template or a register of your own (its sheet and header row "
        "found, each column suggested a field; --mapping or --mapping-name to choose). The "
        "whole file is imported, or nothing when a row has an error. --dry-run shows what "
        "would happen and writes nothing."
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
        parser.add_argument("--sheet", help="The sheet (tab) to read; found when not given.")
        parser.add_argument(
            "--header-row", type=int, help="The row holding the headers (1 = the first)."
        )
        parser.add_argument(
            "--mapping",
            help="A JSON file: {column header or letter: field, ...}, or a saved mapping's "
            'shape {"columns": {...}, "date_orders": {...}, "sheet": ..., "header_row": ...}.',
        )
        parser.add_argument("--mapping-name", help="Start from the mapping saved by that name.")
        parser.add_argument(
            "--save-mapping", help="Keep this run's mapping by name for the next import."
        )
        parser.add_argument(
            "--date-order",
            action="append",
            default=[],
            metavar="COLUMN=dmy|mdy",
            help="The order of a column's dates like 03/04/2025 (repeatable).",
        )
        parser.add_argument("--department", help="The department of rows without one.")

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

    def _mapping(self, name) -> dict:
        if not name:
            return {}
        path = Path(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"--mapping {name}: not a readable JSON file ({exc}).") from exc
        if not isinstance(data, dict):
            raise CommandError(f"--mapping {name}: a JSON object is expected.")
        if "columns" not in data:
            return {"mapping": data}
        chosen = {"mapping": data["columns"], "date_orders": data.get("date_orders") or {}}
        for key in ("sheet", "header_row", "department"):
            if data.get(key) not in (None, ""):
                chosen[key] = data[key]
        return chosen

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        actor = self._actor(options["user"])
        choices = {
            "create_departments": options["create_departments"],
            "create_people": options["create_people"],
            "month_first": options["month_first"],
            "sheet": options["sheet"] or "",
            "header_row": options["header_row"],
            "department": options["department"] or "",
            "mapping_name": options["mapping_name"] or "",
            **self._mapping(options["mapping"]),
        }
        for given in options["date_order"]:
            column, _, order = given.rpartition("=")
            if order not in DATE_ORDERS or not column:
                raise CommandError(f"--date-order {given}: write COLUMN=dmy or COLUMN=mdy.")
            choices.setdefault("date_orders", {})[column] = order
        report = inventory_import(
            actor=actor,
            content=path.read_bytes(),
            filename=path.name,
            options=choices,
            dry_run=options["dry_run"],
        )
        if options["save_mapping"] and report.get("mapping"):
            import_mapping_save(
                actor=actor, name=options["save_mapping"], report=report, options=choices
            )
            self.stdout.write(f"Mapping kept as '{options['save_mapping']}'.")
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
        else:
            for line in report_lines(report):
                self.stdout.write(line)
        if report["errors"]:
            raise CommandError(f"{report['error_count']} error(s): nothing was imported.")
