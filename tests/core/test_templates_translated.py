"""Every word a template shows goes through ``{% translate %}`` or ``{% blocktranslate %}``.

Each template under ``<app>/templates/`` is split by Django's own template lexer. What is inside
a ``{% blocktranslate %}`` block, a ``{% comment %}`` block or a ``{# #}`` comment is dropped;
every other tag and every ``{{ variable }}`` becomes a space (a variable's value is translated
where it is made, or is a name people gave). The HTML left is parsed: its text, outside
``<script>`` and ``<style>``, and the attributes a person reads or hears (``title``, ``alt``,
``aria-label``, ``placeholder``, ``data-label``, a button's ``value``) must hold no letter.

One allow-list, short and deliberate: ``NOT_WORDS``, words that are the same in every language
(a product's name, a file format, a unit). A new template, or a new English word in one, fails
here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.base import DebugLexer, TokenType

ROOT = Path(settings.BASE_DIR)
# Words that read the same in German and French, allowed wherever they stand.
NOT_WORDS = frozenset(
    {
        "Flywheel",  # the product's name
        "MLflow",  # a product's name
        "PDF",  # file formats, named as the download links name them
        "CSV",
        "JSON",
        "bom-ref",  # CycloneDX's own field name, as it is in the file uploaded
        "h",  # hours, after a number (SI symbol)
        "v",  # a version, before its number (v2)
        "n",  # a sample's size in statistics (n = 12)
    }
)

SKIP_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "data-label"}
WORD = re.compile(r"[^\W\d_](?:[\w-]*\w)?")


def _blanked(source: str) -> str:
    """The template with its tags and variables as spaces, its translated blocks and comments
    gone, and its line breaks kept (so a finding names its line)."""
    out, end_of, position = [], None, 0
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        out.append(source[position:start])
        position = end
        raw = source[start:end]
        keep_lines = "\n" * raw.count("\n")
        word = token.contents.split()[0] if token.contents.split() else ""
        if end_of:
            out.append(keep_lines)
            if token.token_type == TokenType.BLOCK and word == end_of:
                end_of = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(raw)
            continue
        if token.token_type == TokenType.BLOCK and word in SKIP_BLOCKS:
            end_of = SKIP_BLOCKS[word]
        elif token.token_type == TokenType.BLOCK and token.contents.split()[1:] == ["bodyclass"]:
            end_of = "endblock"  # the body's CSS classes
        out.append(" " + keep_lines)
    out.append(source[position:])
    return "".join(out)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0

    def _keep(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        if any(word not in NOT_WORDS for word in WORD.findall(text)):
            self.found.append((self.getpos()[0], text))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES:
                self._keep(value)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self._keep(values.get("value"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self._keep(data)


def untranslated(source: str) -> list[tuple[int, str]]:
    parser = _Text()
    parser.feed(_blanked(source))
    parser.close()
    return parser.found


def _templates() -> list[Path]:
    """The project's own apps' templates (not Django's, not the test identity provider's)."""
    folders = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).parent == ROOT]
    return sorted(path for folder in folders for path in (folder / "templates").rglob("*.html"))


def test_every_template_text_is_translated():
    findings = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in _templates()
        for line, text in untranslated(path.read_text())
    ]
    assert findings == []


def test_the_check_sees_text_and_attributes_but_not_translated_blocks():
    source = (
        "{% load i18n %}<p>{% translate 'Ready' %} {{ n }}</p>"
        '<th data-label="Cause">Stage</th>{# note #}'
        "{% blocktranslate with n=n %}{{ n }} left{% endblocktranslate %}"
        "{% comment %}Not shown{% endcomment %}<style>p { color: red }</style>"
        '<input type="submit" value="Send"><a title="{% translate "x" %}">PDF</a>\n<b>1 h</b>'
        "<b>1 hour</b>"
    )
    assert untranslated(source) == [(1, "Cause"), (1, "Stage"), (1, "Send"), (2, "1 hour")]
