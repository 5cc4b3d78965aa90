"""The shipped languages are complete: no marked string of the product is missing from a
catalogue, untranslated or fuzzy, and the committed .mo files are the .po files compiled.

A string that is marked but not yet extracted is found by extracting again into a copy of the
tree (what `make messages` would do) and checking the copy's catalogues.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

from core.management.commands.messages import IGNORED, shipped_languages

ROOT = Path(settings.BASE_DIR)


def catalogue(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def incomplete(po_file: Path) -> list[str]:
    """The messages of a catalogue that a reader of that language would see in English (no
    translation, an empty plural form) or that gettext does not use (fuzzy), by msgid."""
    with po_file.open("rb") as handle:
        entries = read_po(handle, abort_invalid=True)
    found = []
    for message in entries:
        if not message.id:
            if message.fuzzy:
                found.append("(the catalogue's header is fuzzy)")
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {msgid}")
        elif not all(strings):
            found.append(f"untranslated: {msgid}")
    return found


def test_shipped_languages_are_german_and_french():
    assert shipped_languages() == ["de", "fr"]


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_message_of_a_shipped_language_is_translated(language):
    assert incomplete(catalogue(ROOT, language)) == []


@pytest.mark.parametrize("language", ["de", "fr"])
def test_committed_mo_files_are_the_po_files_compiled(language):
    po_file = catalogue(ROOT, language)
    with po_file.open("rb") as po, po_file.with_suffix(".mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    wanted = {_key(m.id): _key(m.string) for m in source if m.id and not m.fuzzy}
    assert {_key(m.id): _key(m.string) for m in compiled if m.id} == wanted


def _key(text):
    return tuple(text) if isinstance(text, (list, tuple)) else text


PROBE = "A sentence added to the code and not yet translated"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the tree with one new marked string in its code, its catalogues extracted
    again (`manage.py messages`)."""
    copy = tmp_path_factory.mktemp("tree") / "flywheel"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(*IGNORED, ".git", "__pycache__", "*.sqlite3*"),
    )
    (copy / "core" / "translation_probe.py").write_text(
        f'from django.utils.translation import gettext as _\n\nPROBE = _("{PROBE}")\n'
    )
    subprocess.run(
        [sys.executable, "manage.py", "messages", "--no-compile", "--verbosity", "0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    return copy


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_marked_string_is_in_the_catalogues_translated(extracted, language):
    """Extracted again, a catalogue lacks only the probe: every other marked string of the
    code and templates is there, translated (and the check finds a string that is not)."""
    assert incomplete(catalogue(extracted, language)) == [f"untranslated: {PROBE}"]


def test_the_check_finds_an_untranslated_and_a_fuzzy_message(tmp_path):
    po_file = tmp_path / "django.po"
    text = catalogue(ROOT, "de").read_text(encoding="utf-8")
    po_file.write_text(
        text
        + '\nmsgid "A sentence nobody translated"\nmsgstr ""\n'
        + '\n#, fuzzy\nmsgid "A guess"\nmsgstr "Eine Vermutung"\n',
        encoding="utf-8",
    )
    assert incomplete(po_file) == [
        "untranslated: A sentence nobody translated",
        "fuzzy: A guess",
    ]
