"""A webhook receiver for tests: the standard library's ``http.server`` over TLS on loopback, with a
certificate from a test CA (deliveries are HTTPS). It keeps every request as received (headers and
raw body) and answers what the test says: 204, or a status for the next requests, or it holds a
request until the test lets it answer."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema

from operator_desk.server.webhooks.settings import EVENT_KINDS
from tests.kit.tls import TestCA

SCHEMA = jsonschema.Draft202012Validator(json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "webhooks.schema.json").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


class WebhookReceiver:
    __test__ = False

    def __init__(self, ca: TestCA, stem: str = "receiver") -> None:
        self.ca = ca
        issued = ca.issue("127.0.0.1", stem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(issued.certfile, issued.keyfile)
        self.received: list[Received] = []
        self.refuse_next: list[int] = []  # statuses for the next requests, then 204
        self.down: int | None = None  # when set: the status of every request (after refuse_next)
        self.hold: threading.Event | None = None  # when set: a request waits for it before answering
        self.on_request: Callable[[Received], None] | None = None
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                got = Received({k: v for k, v in self.headers.items()}, self.rfile.read(length))
                with receiver._changed:
                    status = (receiver.refuse_next.pop(0) if receiver.refuse_next
                              else receiver.down or 204)
                    receiver.received.append(got)
                    receiver._changed.notify_all()
                if receiver.on_request is not None:
                    receiver.on_request(got)
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}/hooks/crm"
        self._thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver",
                                        daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()
        # Every body the server sent follows the published schema.
        for got in self.received:
            SCHEMA.validate(got.event)

    def entry(self, name: str, purposes: list[str], secret: bytes, **extra: Any) -> dict[str, Any]:
        """This receiver as an entry of ``receiver_config``, called ``name`` in the server's settings,
        serving ``purposes``, signed with ``secret``; ``extra``: ``events``, ``max_attempts``,
        ``tuning`` ..."""
        return {"name": name, "url": self.url, "purposes": purposes, "secret": secret,
                "ca": self.ca.cafile, **extra}

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self._changed:
            return [r.event for r in self.received if kind is None or r.event["type"] == kind]

    def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool],
                 timeout: float = 20.0) -> list[dict[str, Any]]:
        """Block until ``predicate(events)`` holds (events as received, repeats included)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate([r.event for r in self.received]):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the receiver did not get what was awaited: "
                                         f"{[r.event['type'] for r in self.received]}")
                self._changed.wait(left)
            return [r.event for r in self.received]


def receiver_config(entries: list[dict[str, Any]], folder: Path) -> str:
    """``[[webhooks]]`` tables for the given receivers (each: name, url, purposes, events, secret, ca,
    and any further ``tuning`` keys), with short retry waits; the secrets are written to files."""
    lines = []
    for entry in entries:
        secret_file = folder / f"{entry['name']}.secret"
        secret_file.write_bytes(entry["secret"])
        lines += ["[[webhooks]]", f'name = "{entry["name"]}"', f'url = "{entry["url"]}"',
                  f"purposes = {json.dumps(entry['purposes'])}",
                  f"events = {json.dumps(entry.get('events', list(EVENT_KINDS)))}",
                  f'secret_file = "{secret_file}"', f'ca_file = "{entry["ca"]}"',
                  f"retry_first_seconds = {entry.get('retry_first_seconds', 0.05)}",
                  f"retry_max_seconds = {entry.get('retry_max_seconds', 0.2)}",
                  f"max_attempts = {entry.get('max_attempts', 40)}",
                  *(f"{key} = {value}" for key, value in entry.get("tuning", {}).items()), ""]
    return "\n".join(lines)
