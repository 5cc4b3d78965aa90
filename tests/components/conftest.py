"""The components cast: an API client per person, a vendor, a use case in pilot with a
board, incidents reported on it, and one real MLflow tracking server for the whole session
(started the first time a test asks for it; restarted on the same port and store if a test
stopped it)."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from components import services
from tests.support.gates import in_pilot
from tests.support.ports import free_port
from tests.support.services import skip_or_fail

START_SECONDS = 300


@pytest.fixture
def vendor(admin_user):
    return services.component_create(
        actor=admin_user, kind="vendor", name="Acme Models GmbH", country="DE", dpa_signed=True
    )


@pytest.fixture
def live_use_case(department, head, default_criteria):
    """A use case in pilot, its department's head managing it."""
    return in_pilot(department, head)


class MlflowServer:
    """``mlflow server`` on a loopback port with a SQLite store, in a process group of its own."""

    def __init__(self, binary: str, root: Path):
        # A port the kernel hands out: two test processes (pytest-xdist) starting their servers
        # at once never pick the same one, as they did scanning a fixed range from its start.
        self.binary, self.root, self.port = binary, root, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "server", "--backend-store-uri", f"sqlite:///{self.root}/mlflow.db",
             "--default-artifact-root", str(self.root / "artifacts"), "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        # A few seconds on a quiet machine; almost four minutes were seen at a load of 23.
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        skip_or_fail(f"the MLflow server did not start within {START_SECONDS} s")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the server and the workers it started."""
        if not self.running():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def mlflow_session(tmp_path_factory):
    """The one MLflow server of the test session; the test skips loudly without mlflow."""
    try:
        import mlflow  # noqa: F401
    except ImportError:
        skip_or_fail("mlflow is not installed (pip install -e '.[test]')")
    candidate = Path(sys.executable).with_name("mlflow")
    binary = str(candidate) if candidate.exists() else shutil.which("mlflow")
    if binary is None:
        skip_or_fail("the mlflow command is not on PATH")
    server = MlflowServer(binary, tmp_path_factory.mktemp("mlflow"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mlflow_server(mlflow_session):
    """The session's server, running (started again if a test stopped it: same port, same
    store, so what was registered is still there)."""
    if not mlflow_session.running():
        mlflow_session.start()
    return mlflow_session


@pytest.fixture(scope="session")
def registered(mlflow_session):
    """A run with accuracy 0.934 and f1 0.88, registered as credit-risk-gbm version 1 with the
    alias "champion", all through MLflow's own client."""
    from mlflow.tracking import MlflowClient

    if not mlflow_session.running():
        mlflow_session.start()
    client = MlflowClient(tracking_uri=mlflow_session.url)
    experiment = client.create_experiment(f"credit-{time.time_ns()}")
    run = client.create_run(experiment)
    client.log_metric(run.info.run_id, "accuracy", 0.934)
    client.log_metric(run.info.run_id, "f1", 0.88)
    client.set_terminated(run.info.run_id)
    client.create_registered_model("credit-risk-gbm")
    version = client.create_model_version(
        "credit-risk-gbm", source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id
    )
    client.set_registered_model_alias("credit-risk-gbm", "champion", version.version)
    return {"run_id": run.info.run_id, "version": version.version}
