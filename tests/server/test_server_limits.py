"""Bad input is answered, never fatal, and changes nothing stored; HTTP routes and the Origin check."""

from __future__ import annotations

import asyncio
import http.client

import pytest
from websockets.exceptions import InvalidStatus

from operator_desk.domain.model import MAX_MESSAGE_TEXT
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import database_text
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive, consent


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["operator_url", "visitor_url"])
async def test_malformed_frames_get_answers_and_the_connection_stays(server, path):
    client = await AsyncClient.connect(getattr(server, path))
    cases = [
        ("not json at all", None, "bad_request"),
        ("[1, 2, 3]", None, "bad_request"),
        ('{"v": 1, "type": "req", "id": "a1", "payload": {}}', "a1", "bad_request"),
        ('{"v": 2, "type": "req", "id": "a2", "action": "ping", "payload": {}}', "a2", "unsupported_version"),
        ('{"v": 1, "type": "req", "id": "a3", "action": "teleport", "payload": {}}', "a3", "unknown_action"),
        ('{"v": 1, "type": "req", "id": "a4", "action": "ping", "payload": []}', "a4", "bad_request"),
    ]
    for frame, request_id, code in cases:
        await client.send_raw(frame)
        response = await (
            client.unmatched_response() if request_id is None else client.response_to(request_id)
        )
        assert response["ok"] is False and response["id"] == request_id
        assert response["error"]["code"] == code, frame
    assert not client.closed.done()


@pytest.mark.asyncio
async def test_an_unknown_action_is_answered_unknown_action_before_and_after_identifying(server):
    """An action no table names, or one of the other endpoint's, is refused as ``unknown_action`` with
    the request's id, whether the connection logged in (said hello) yet or not; it changes nothing and
    the connection goes on."""
    operator = await AsyncClient.connect(server.operator_url)
    visitor = await AsyncClient.connect(server.visitor_url)
    ann = await login(server, "ann")
    arrived = await arrive(server)
    before = await database_text(server)
    cases = [(operator, "visitor.hello"), (visitor, "subjects.erase"),
             (ann, "chat.start"), (arrived, "chat.accept")]
    for client, of_the_other_endpoint in cases:
        for action in ("teleport", of_the_other_endpoint):
            response = await client.request(action, {"chat_id": "ch_1"}, id=f"odd-{action}")
            assert response["id"] == f"odd-{action}"
            assert response["ok"] is False and response["error"]["code"] == "unknown_action"
    for client in (ann, arrived):
        await client.ok("ping")  # still open, still answering
    assert await database_text(server) == before


@pytest.mark.asyncio
async def test_oversized_frame_closes_with_1009(server):
    client = await AsyncClient.connect(server.visitor_url, max_size=None)
    await client.send_raw("x" * (256 * 1024 + 1))
    assert await asyncio.wait_for(client.closed, WAIT) == 1009


@pytest.mark.asyncio
async def test_too_long_message_is_refused_clearly_and_nothing_is_stored(server):
    ann = await login(server, "ann")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Vera"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    before = await database_text(server)
    long_text = "y" * (MAX_MESSAGE_TEXT + 1)
    response = await visitor.request("chat.send", {"client_msg_id": "c1", "text": long_text})
    assert response["error"]["code"] == "bad_request"
    assert "10000" in response["error"]["message"] and "text" in response["error"]["message"]
    response = await ann.request(
        "chat.send", {"chat_id": chat["id"], "client_msg_id": "c1", "text": long_text}
    )
    assert response["error"]["code"] == "bad_request"
    assert await visitor.refused("chat.send", {"client_msg_id": "c2", "text": ""}) == "bad_request"
    assert await database_text(server) == before
    # At the limit it is fine.
    await visitor.ok("chat.send", {"client_msg_id": "c3", "text": "z" * MAX_MESSAGE_TEXT})


@pytest.mark.asyncio
async def test_requests_before_hello_are_refused(server):
    visitor = await AsyncClient.connect(server.visitor_url)
    assert await visitor.refused("chat.start", {}) == "unauthenticated"
    assert await visitor.refused("visitor.page", {"url": "http://x/", "title": ""}) == "unauthenticated"
    assert "visitors:" not in await database_text(server)


@pytest.mark.asyncio
async def test_visitor_origin_check(server):
    with pytest.raises(InvalidStatus) as refused:
        await AsyncClient.connect(server.visitor_url, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    # Demo mode allows loopback pages; the server's own origin is always allowed; no Origin is fine.
    for origin in ("http://localhost:3000", f"http://127.0.0.1:{server.port}"):
        client = await AsyncClient.connect(server.visitor_url, origin=origin)
        assert (await client.ok("visitor.hello", {"page": {"url": "http://shop.example/"}}))["visitor_id"]
        await client.close()
    client = await AsyncClient.connect(server.visitor_url)


@pytest.mark.asyncio
async def test_origin_check_outside_demo_mode(tmp_path):
    from tests.kit.servers import start

    config = tmp_path / "site.toml"
    config.write_text('[origins]\nallowed = ["https://shop.example"]\n')
    async with await start(tmp_path, config_path=config) as server:
        for origin, allowed in (
            ("https://shop.example", True),
            ("http://localhost:3000", False),
            (f"http://127.0.0.1:{server.port}", True),
        ):
            if allowed:
                await (await AsyncClient.connect(server.visitor_url, origin=origin)).close()
            else:
                with pytest.raises(InvalidStatus):
                    await AsyncClient.connect(server.visitor_url, origin=origin)


def http_get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.asyncio
async def test_http_routes(server, tmp_path):
    status, _, body = await asyncio.to_thread(http_get, server.port, "/healthz")
    assert (status, body) == (200, b"ok\n")
    for path in (
        "/nope",
        "/widget/../server.key",
        "/widget/%2e%2e/db.py",
        "/widget/hub.py",
        "/widget/.hidden",
    ):
        status, _, _ = await asyncio.to_thread(http_get, server.port, path)
        assert status == 404, path
    status, headers, _ = await asyncio.to_thread(http_get, server.port, "/widget")
    assert status == 301 and headers["Location"] == "/widget/"


@pytest.mark.asyncio
async def test_widget_files_are_served_with_a_strict_policy(tmp_path):
    from websockets.datastructures import Headers
    from websockets.http11 import Request

    from operator_desk.server.http import HttpRoutes, load_widget_files

    folder = tmp_path / "widget"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html><title>Shop</title>")
    (folder / "widget.js").write_text("console.log(1)")
    (folder / "notes.py").write_text("secret")
    routes = HttpRoutes((), tls=False, widget_files=load_widget_files(folder))

    def get(path: str):
        return routes.process_request(None, Request(path, Headers({"Host": "127.0.0.1:8765"})))

    index = get("/widget/")
    assert index.status_code == 200 and index.body.startswith(b"<!doctype html>")
    assert index.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = index.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self' ws://127.0.0.1:8765" in policy
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert get("/widget/widget.js").headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert get("/widget/notes.py").status_code == 404
    assert get("/widget/../widget/index.html").status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["operator_url", "visitor_url"])
async def test_a_binary_frame_closes_the_connection_with_1003(server, path):
    client = await AsyncClient.connect(getattr(server, path))
    await client.send_raw(b'{"v": 1, "type": "req", "id": "b1", "action": "ping", "payload": {}}')
    assert await asyncio.wait_for(client.closed, WAIT) == 1003
    assert not any('"id":"b1"' in frame for frame in client.raw)  # not read as a request


@pytest.mark.asyncio
async def test_a_browser_page_cannot_open_the_operator_endpoint(server):
    """Any page an operator opens could otherwise try passwords and lock accounts out: a browser's
    Origin is refused, the server's own origin (the widget's pages) and loopback in demo mode too."""
    for origin in ("https://evil.example", f"http://127.0.0.1:{server.port}", "http://localhost:3000"):
        with pytest.raises(InvalidStatus) as refused:
            await AsyncClient.connect(server.operator_url, origin=origin)
        assert refused.value.response.status_code == 403
    await login(server, "ann")  # the desk sends no Origin


@pytest.mark.asyncio
async def test_operator_origins_can_be_allowed_by_configuration(tmp_path):
    from tests.kit.servers import start

    config = tmp_path / "site.toml"
    config.write_text('[origins]\noperators = ["https://console.example"]\n')
    async with await start(tmp_path, config_path=config) as server:
        await (await AsyncClient.connect(server.operator_url, origin="https://console.example")).close()
        with pytest.raises(InvalidStatus):
            await AsyncClient.connect(server.operator_url, origin="https://shop.example")


def test_a_send_queue_bound_written_under_its_old_name_still_counts(tmp_path):
    """``[limits] outbox_bytes`` was renamed ``send_queue_bytes``: a site's configuration that still says
    the old name keeps its bound."""
    from operator_desk.server.config import load_config

    for name in ("outbox_bytes", "send_queue_bytes"):
        config = tmp_path / f"{name}.toml"
        config.write_text(f"[limits]\n{name} = 1048576\n")
        assert load_config(config).limits.send_queue_bytes == 1048576
