"""`manage.py messages` (and `make messages`): the translation catalogues brought up to date in
one command, for the shipped languages.

Extracts every marked string of the apps and their templates into
locale/<language>/LC_MESSAGES/django.po, keeping the translations already there (keyed by their
msgid; written without line numbers, so code that moves changes nothing), then compiles the .mo
files, which are committed so that a fresh clone runs without GNU gettext.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Not the product: the virtualenv, tests, benchmarks, docs and build output.
IGNORED = [
    ".venv",
    "tests",
    "bench",
    "docs",
    "deploy",
    ".site",
    "mutants",
    "staticfiles",
    "test-artifacts",
    "media",
]


# The language the source strings are written in: it needs no catalogue.
SOURCE_LANGUAGE = "en-gb"


def shipped_languages() -> list[str]:
    """The languages with a catalogue: every one but the language the source is written in."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


class Command(BaseCommand):
    help = "Extract the translatable strings into the .po files and compile the .mo files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-compile", action="store_true", help="Extract only; leave the .mo files."
        )

    def handle(self, *args, no_compile=False, **options):
        languages = shipped_languages()
        call_command(
            "makemessages",
            locale=languages,
            no_location=True,
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=options["verbosity"],
        )
        if not no_compile:
            call_command(
                "compilemessages",
                locale=languages,
                ignore_patterns=IGNORED,
                verbosity=options["verbosity"],
            )
