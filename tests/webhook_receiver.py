"""A webhook receiver as a subscriber would write it from docs/webhooks.md alone: no import
of Flywheel's code. Run as its own process on a loopback port:

    python tests/webhook_receiver.py --secret S --schemas integrations/schemas [--fail-first N]

It prints ``listening <port>`` once it serves. For each POST it

1. verifies ``X-Flywheel-Signature`` (``sha256=`` + hex HMAC-SHA256 keyed with the secret
   over ``<X-Flywheel-Timestamp>.<raw body>``) and refuses a timestamp more than 300 s from
   its clock: 401;
2. validates the JSON body against the published schema of its type and version
   (``<schemas>/<type>.v<version>.json``): 422 with the errors;
3. answers 503 to the first N attempts of each delivery (``--fail-first``), to see the
   retries;
4. de-duplicates on ``X-Flywheel-Delivery``: a delivery seen before is answered 200 and not
   counted again.

``GET /received`` answers what it saw: every attempt (delivery id, type, verdict, errors)
and the payloads it accepted, once each.
"""

import argparse
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema

WINDOW_SECONDS = 300


def signature_ok(secret: str, timestamp: str | None, body: bytes, header: str | None) -> bool:
    try:
        sent_at = int(timestamp or "")
    except ValueError:
        return False
    if abs(time.time() - sent_at) > WINDOW_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{sent_at}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), header or "")


class State:
    def __init__(self, secret: str, schemas: Path, fail_first: int):
        self.secret, self.schemas, self.fail_first = secret, schemas, fail_first
        self.lock = threading.Lock()
        self.attempts: list[dict] = []
        self.accepted: dict[str, dict] = {}
        self.tries: dict[str, int] = {}

    def errors(self, event_type: str, payload) -> list[str]:
        if not isinstance(payload, dict):
            return ["the body is not a JSON object"]
        path = self.schemas / f"{event_type}.v{payload.get('version')}.json"
        if not path.is_file():
            return [f"no published schema {path.name}"]
        schema = json.loads(path.read_text())
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(payload)]


def handler_for(state: State):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, document) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with state.lock:
                seen = {"attempts": state.attempts, "accepted": list(state.accepted.values())}
            self._answer(200, seen)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            delivery = self.headers.get("X-Flywheel-Delivery", "")
            event_type = self.headers.get("X-Flywheel-Event", "")
            attempt = {"delivery": delivery, "type": event_type, "errors": []}
            if not signature_ok(
                state.secret,
                self.headers.get("X-Flywheel-Timestamp"),
                body,
                self.headers.get("X-Flywheel-Signature"),
            ):
                attempt["verdict"] = "bad signature"
                return self._record(attempt, 401)
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            attempt["errors"] = state.errors(event_type, payload)
            if attempt["errors"]:
                attempt["verdict"] = "invalid"
                return self._record(attempt, 422)
            with state.lock:
                state.tries[delivery] = state.tries.get(delivery, 0) + 1
                failing = state.tries[delivery] <= state.fail_first
                duplicate = not failing and delivery in state.accepted
                if not failing and not duplicate:
                    state.accepted[delivery] = payload
            attempt["verdict"] = (
                "failed on purpose" if failing else ("duplicate" if duplicate else "accepted")
            )
            return self._record(attempt, 503 if failing else 200)

        def _record(self, attempt: dict, status: int) -> None:
            with state.lock:
                state.attempts.append({**attempt, "status": status})
            self._answer(status, attempt)

        def log_message(self, *args):
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secret", required=True)
    parser.add_argument("--schemas", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    state = State(args.secret, args.schemas, args.fail_first)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(state))
    print(f"listening {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
