"""A real HTTP receiver on a loopback port (http.server in a thread), scripted per test:
each request gets the next planned answer (a status, a delay, or a hold until released),
and the receiver checks the signature the way a real subscriber would."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import signing
from integrations.models import EndpointKind, WebhookEndpoint
from integrations.tasks import webhook_deliveries_retry

SECRET = "receiver-shared-secret-0123456789"


@dataclass
class Received:
    headers: dict
    body: bytes
    verified: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    secret: str = SECRET
    plan: list = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def answer(self, *steps) -> None:
        """Plan the next answers: an int status, ("sleep", seconds, status) or "hold"."""
        self.plan.extend(steps)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.requests)} requests, expected {count}")
                self.arrived.wait(left)
        return self.requests


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            verified = signing.verify(
                secret=receiver.secret,
                timestamp=self.headers.get(signing.TIMESTAMP_HEADER),
                body=body,
                signature_header=self.headers.get(signing.SIGNATURE_HEADER),
                now=time.time(),
            )
            with receiver.arrived:
                receiver.requests.append(Received(dict(self.headers), body, verified))
                receiver.arrived.notify_all()
            step = receiver.plan.pop(0) if receiver.plan else 200
            if step == "hold":
                receiver.release.wait(60)
                step = 200
            if isinstance(step, tuple):
                time.sleep(step[1])
                step = step[2]
            try:
                self.send_response(step)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up (timeout) or died

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    holder = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    server.daemon_threads = True
    holder.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder
    holder.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_webhooks(settings):
    settings.FLYWHEEL_WEBHOOK_TIMEOUT = 0.5
    settings.FLYWHEEL_WEBHOOK_BACKOFF_SECONDS = 0.01
    settings.FLYWHEEL_WEBHOOK_MAX_ATTEMPTS = 3
    settings.FLYWHEEL_WEBHOOK_DISABLE_AFTER = 2
    return settings


def endpoint_for(receiver: Receiver, *, event_types=("review_requested",), **fields):
    return WebhookEndpoint.objects.create(
        name=fields.pop("name", "Receiver"),
        url=receiver.url,
        secret=receiver.secret,
        kind=fields.pop("kind", EndpointKind.SIGNED_JSON),
        event_types=list(event_types),
        **fields,
    )


def retries_until_settled(rounds: int = 10) -> None:
    """Run the due-retries job (what beat does every minute) until nothing is due; in-process
    tasks cannot wait for their back-off, so the job sends them again."""
    for _ in range(rounds):
        time.sleep(0.05)  # the back-off of fast_webhooks
        if not webhook_deliveries_retry()["sent"]:
            return


def board_decides(*, use_case, head, chair, members, rationale: str = "Evidence holds."):
    """The governance flow that publishes every board event: submit, request a review, each
    seat votes go, the chair closes it with ``rationale``. Returns the review."""
    from governance import services as governance_services
    from portfolio import services as portfolio_services

    submitted = portfolio_services.use_case_submit(use_case=use_case, actor=head)
    review = governance_services.review_request(use_case=submitted, actor=head)
    for user in (chair, *members):
        governance_services.vote_cast(review=review, actor=user, choice="go", comment="Yes.")
    governance_services.review_close(review=review, actor=chair, rationale=rationale)
    return review


@pytest.fixture
def board_flow(use_case, head, board, chair, members):
    """``board_decides`` on the standard use case, head, board, chair and members."""

    def run(rationale: str = "Evidence holds."):
        return board_decides(
            use_case=use_case, head=head, chair=chair, members=members, rationale=rationale
        )

    return run
