"""The suite's shape: tests mirror the apps, and no test module imports another (what several
share lives in tests/support, tests/factories.py or tests/conftest.py)."""

import ast
from pathlib import Path

from django.apps import apps

TESTS = Path(__file__).resolve().parent
# Folders named after the outside party their tests run, not an app: a real Celery worker on a
# real Redis, Chromium; and the helpers and the corpus, which hold no tests.
NOT_APPS = {"jobs", "browser", "support", "corpus"}


def _is_test_module(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "conftest" or last.startswith("test_")


def test_no_test_module_imports_another():
    offenders = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            offenders += [
                f"{path.relative_to(TESTS)} imports {module}"
                for module in modules
                if module.startswith("tests.") and _is_test_module(module)
            ]
    assert offenders == []


def test_test_folders_are_named_after_the_apps():
    project_apps = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == TESTS.parent
    }
    folders = {
        path.name for path in TESTS.iterdir() if path.is_dir() and any(path.rglob("test_*.py"))
    }
    assert folders - NOT_APPS <= project_apps | {"config"}, sorted(
        folders - NOT_APPS - project_apps
    )
    assert "config" in folders
