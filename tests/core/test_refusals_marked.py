"""Every refusal a person reads is marked for translation.

An AST walk over the apps finds the text handed to the project's refusal constructors
(ValidationError, PermissionDenied, the ApplicationError family, Http404, the import's cell and
file errors), to the admin's and the pages' messages (message_user, messages.error, add_error,
page_action's done=) and to the import plan's findings: a plain string or an f-string there is
English whatever the reader's language, so it fails here. A marked message reads
``_("... %(name)s ...") % {...}``; the values put into it are not checked (they are names,
numbers and codes).

Management commands are for operators at a shell and stay English; so do exceptions that are
logged and never shown (ValueError, SuspiciousOperation, the MLflow client's fetch errors kept
as the link's reason).
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    "core",
    "portfolio",
    "gates",
    "governance",
    "inventory",
    "compliance",
    "components",
    "questionnaires",
    "signin",
    "reports",
    "integrations",
    "console",
)
# Their first argument (or message=/detail=) is the text.
REFUSALS = frozenset(
    {
        "ValidationError",
        "PermissionDenied",
        "ApplicationError",
        "NotFoundError",
        "ConflictError",
        "ConcurrentChange",
        "UnauthorisedStop",
        "ProhibitedPractice",
        "ConstraintViolated",
        "QuorumNotReached",
        "UnknownParameter",
        "ParseError",
        "Http404",
        "NotFound",
        "BomError",
        "CellError",
        "MappingError",
        "AnswerError",
        "InventoryFileError",
    }
)
# Deliberately English (path, line's text): none today. The law's catalogue texts are data
# (compliance/catalogue), never handed to a refusal.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


def _name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _texts(call: ast.Call) -> list[ast.expr]:
    """The arguments of a call that a person reads, if it is a refusal or a message."""
    name = _name(call.func)
    keywords = [k.value for k in call.keywords if k.arg in ("message", "detail")]
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    owner = owner.id if isinstance(owner, ast.Name) else None
    if name in REFUSALS:
        return call.args[:1] + keywords
    if name in ("message_user", "add_error"):
        return call.args[1:2] + keywords
    if name in ("error", "warning", "success", "info") and owner == "messages":
        return call.args[1:2]
    if name in ("error", "refuse") and owner in ("plan", "self"):
        return call.args[2:3] + keywords
    if name == "page_action":
        done = [k.value for k in call.keywords if k.arg == "done"]
        return [d.body if isinstance(d, ast.Lambda) else d for d in done]
    return []


def _unmarked(node: ast.expr):
    """The plain strings and f-strings of an argument (through %, +, a conditional, a dict
    or list of messages); a call (``_()``, a helper) is taken as marked."""
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip()
    ):
        yield node
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        yield from _unmarked(node.left)
        yield from _unmarked(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _unmarked(node.body)
        yield from _unmarked(node.orelse)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _unmarked(value)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for value in node.elts:
            yield from _unmarked(value)


def unmarked_refusals(source: str, path: str) -> list[str]:
    found = []
    for call in ast.walk(ast.parse(source)):
        if isinstance(call, ast.Call):
            for text in _texts(call):
                for node in _unmarked(text):
                    line = ast.unparse(node)
                    if (path, line) not in ALLOWED:
                        found.append(f"{path}:{node.lineno}: {line[:100]}")
    return found


def test_no_refusal_or_message_of_the_apps_is_left_unmarked():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if {"migrations", "management"} & set(path.parts):
                continue
            found += unmarked_refusals(path.read_text(), str(path.relative_to(ROOT)))
    assert found == []


def test_the_walk_finds_an_f_string_a_literal_and_a_literal_in_a_field_dict():
    source = """
from django.utils.translation import gettext as _

def refuse(use_case, request):
    raise ConflictError(f"The use case is {use_case.state}.")
    raise PermissionDenied("Only the head.")
    raise ValidationError({"name": ["Name it."]})
    self.message_user(request, f"{n} done.")
    plan.error(row, "title", "No title.", code="required")
    page_action(request, form=None, call=None, done=lambda r: "Saved.", to="/")
    raise ConflictError(_("The use case is %(state)s.") % {"state": use_case.state})
    raise ValidationError({"name": [_("Name it.")]})
    plan.error(row, "title", _("No title."), code="required")
"""
    assert [line.split(": ", 1)[0] for line in unmarked_refusals(source, "x.py")] == [
        "x.py:5",
        "x.py:6",
        "x.py:7",
        "x.py:8",
        "x.py:9",
        "x.py:10",
    ]
