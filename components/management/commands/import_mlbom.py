"""Import a CycloneDX ML-BOM (JSON, spec 1.6+) and link it to a use case."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from components.bom import bom_import
from portfolio.models import UseCase


class Command(BaseCommand):
    help = "Import a CycloneDX ML-BOM (JSON): models, datasets and suppliers, linked to a use case."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--use-case", type=int, help="The id of the use case to link them to.")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")

    def handle(self, *args, path, use_case=None, dry_run=False, **options):
        target = None
        if use_case is not None:
            target = UseCase.objects.filter(pk=use_case).first()
            if target is None:
                raise CommandError(f"No use case {use_case}.")
        with open(path, "rb") as handle:
            raw = handle.read()
        try:
            report = bom_import(raw=raw, actor=None, use_case=target, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.message_dict.get("file", exc.messages))) from exc
        self.stdout.write(json.dumps(report, indent=2))
