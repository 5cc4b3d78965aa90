"""A migrated SQLite file, made once per session for the tests that serve the embedded
default from a child process (each copies it, so each starts from the same empty database)."""

import subprocess
import sys

import pytest

from tests.support.servers import ROOT, embedded_env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    database = tmp_path_factory.mktemp("embedded") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=embedded_env(database),
        check=True,
        capture_output=True,
    )
    return database
