"""The embedded default served from a child process: a seeded database and a call against it."""

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

from tests.support.servers import ROOT, embedded_env

SETUP = """
import json
from signin.services.tokens import api_token_create
from tests import factories
department = factories.DepartmentFactory(name="Claims", slug="claims")
head = factories.head_of(department, username="claims-head")
factories.board_with(3, name="Portfolio board")
submitted = [factories.submitted(department, head, title=f"Load {n}") for n in range(6)]
print(json.dumps({
    "token": api_token_create(user=head, name="load")[1],
    "department": department.pk,
    "use_cases": [u.pk for u in submitted],
    "metrics": [m.pk for u in submitted for m in u.metrics.all()],
}))
"""


def call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError as error:
        return f"connection: {error}", None


def seeded(migrated, database) -> dict:
    """A copy of the migrated database at ``database`` with SETUP's world in it."""
    shutil.copy(migrated, database)
    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=embedded_env(database),
        check=True,
        capture_output=True,
        text=True,
    )
    # The sign-off requests' mails go to the console too, before or after the line we print.
    return json.loads(next(ln for ln in setup.stdout.splitlines()[::-1] if ln.startswith("{")))
