"""The 20-line receiver of docs/webhooks.md, run exactly as printed there (over TLS on loopback): it
takes the server's signed deliveries and ``webhooks test``, applies a repeated event once, and refuses a
bad signature and an old timestamp."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from operator_desk.server.webhooks import payloads, signing
from tests.kit.servers import fast_settings, server_command, start
from tests.kit.tls import TestCA
from tests.kit.visitors import arrive, consent
from tests.kit.webhooks import receiver_config

DOCS = Path(__file__).resolve().parents[2] / "docs"
SECRET = "sample-receiver-secret-0123456789"


def sample_code() -> str:
    text = (DOCS / "webhooks.md").read_text(encoding="utf-8")
    section = text[text.index("## A receiver in 20 lines"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


class Sample:
    """The sample's handler served over TLS; ``applied`` is what it printed (type, person)."""

    def __init__(self, ca: TestCA) -> None:
        self.applied: list[tuple[str, ...]] = []
        namespace: dict[str, Any] = {"__name__": "webhook_sample",
                                     "print": lambda *args: self.applied.append(args)}
        exec(compile(sample_code(), "docs/webhooks.md", "exec"), namespace)  # our own docs
        issued = ca.issue("127.0.0.1", "sample")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(issued.certfile, issued.keyfile)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), namespace["Receiver"])
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/hook"
        self.client_context = ssl.create_default_context(cafile=str(ca.cafile))

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        connection = http.client.HTTPSConnection("127.0.0.1", self.server.server_address[1],
                                                 context=self.client_context, timeout=10)
        try:
            connection.request("POST", "/hook", body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            return answer.status
        finally:
            connection.close()


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sample]:
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    running = Sample(TestCA(tmp_path / "ca"))
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()


def test_the_sample_is_twenty_lines():
    assert len(sample_code().strip().splitlines()) <= 22  # 20 of code, two blank lines between parts


def test_the_sample_refuses_a_bad_signature_and_an_old_timestamp(sample):
    event_id = payloads.new_event_id()
    body = payloads.encode(payloads.sample(event_id, "2026-12-01T00:00:00.000Z"))
    now = int(time.time())
    secret = SECRET.encode()
    good = signing.headers(secret, event_id, now, body)
    assert sample.post(body, good) == 204
    assert sample.post(body, good) == 204  # the same event again: confirmed, applied once
    assert sample.applied == [("webhook.test", "p_" + "0" * 32)]
    assert sample.post(body, signing.headers(b"another-secret-0123456789", event_id, now, body)) == 401
    assert sample.post(body.replace(b"webhook.test", b"subject.erased"), good) == 401  # a changed body
    old = now - signing.REPLAY_WINDOW - 60
    assert sample.post(body, signing.headers(secret, event_id, old, body)) == 401  # signed, but too old
    future = now + signing.REPLAY_WINDOW + 60
    assert sample.post(body, signing.headers(secret, event_id, future, body)) == 401
    assert sample.post(body, {"Content-Type": "application/json"}) == 401  # not signed at all
    assert len(sample.applied) == 1


@pytest.mark.asyncio
async def test_the_server_delivers_to_the_sample_and_webhooks_test_reaches_it(sample, tmp_path):
    config = tmp_path / "site.toml"
    config.write_text(receiver_config([{"name": "crm", "url": sample.url, "purposes": ["chat"],
                                        "secret": SECRET.encode(), "ca": tmp_path / "ca" / "ca.pem"}],
                                      tmp_path), encoding="utf-8")
    server = await start(tmp_path, demo=True, config_path=config, settings=fast_settings(webhook_poll=0.1))
    try:
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        await visitor.ok("chat.start", {"name": "Sam Sample", "message": "hello"})
        await visitor.ok("chat.end")

        async def both() -> bool:
            return [a[0] for a in sample.applied] == ["consent.granted", "chat.ended"]

        await asyncio.wait_for(server.hub.webhooks.until(both), 20)
        await visitor.close()
    finally:
        await server.close()

    tried = await asyncio.to_thread(subprocess.run, [*server_command(), "webhooks", "test", "crm",
                                                     "--config", str(config)],
                                    capture_output=True, text=True, timeout=60)
    assert tried.returncode == 0, tried.stderr
    said = r"crm: sent evt_[0-9a-f]{32} to https://127\.0\.0\.1:\d+/hook: HTTP 204\n"
    assert re.fullmatch(said, tried.stdout)
    assert sample.applied[-1] == ("webhook.test", "p_" + "0" * 32)

    # A wrong secret: the sample refuses it, and the command says so with exit status 1.
    config.write_text(config.read_text().replace("crm.secret", "other.secret"), encoding="utf-8")
    (tmp_path / "other.secret").write_text("a-different-secret-0123456789")
    refused = await asyncio.to_thread(subprocess.run, [*server_command(), "webhooks", "test", "crm",
                                                       "--config", str(config)],
                                      capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and refused.stdout.endswith(": HTTP 401\n")
    unknown = await asyncio.to_thread(subprocess.run, [*server_command(), "webhooks", "test", "erp",
                                                       "--config", str(config)],
                                      capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 1 and "no webhook receiver named 'erp' (crm)" in unknown.stderr


def test_every_kind_of_event_follows_the_schema():
    schema = json.loads((DOCS / "webhooks.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(payloads.sample(payloads.new_event_id(), "2026-12-01T00:00:00.000Z"))
    for reason in (payloads.ERASED_ON_REQUEST, payloads.ERASED_BY_RETENTION):
        validator.validate(payloads.erasure(payloads.new_event_id(), "2026-12-01T00:00:00.000Z",
                                            "p_" + "a" * 32, reason))
    with pytest.raises(jsonschema.ValidationError):  # an erasure says why (never in a person's words)
        validator.validate({**payloads.erasure(payloads.new_event_id(), "x", "p_" + "a" * 32, "request"),
                            "reason": "the person asked"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**payloads.sample(payloads.new_event_id(), "x"), "email": "someone@example.org"})
