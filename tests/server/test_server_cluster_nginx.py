"""docs/scaling.md, "Three nodes behind nginx", followed from the file: its upstream block and the
server block of docs/deploy.md (with ``proxy_pass http://operator_desk;``) run in Debian's nginx in front
of three nodes on one PostgreSQL database and one real Redis. Connections through nginx land on
different nodes, and a visitor on one chats with an operator on another."""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import pytest

from tests.deploy.test_deploy_docs import BLOCKS as DEPLOY_BLOCKS
from tests.deploy.test_deploy_docs import Nginx
from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient
from tests.kit.cluster import started_nodes
from tests.kit.tls import TestCA

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]

DOC = Path(__file__).resolve().parents[2] / "docs/scaling.md"


def scaling_blocks() -> dict[str, str]:
    """Each fenced block of docs/scaling.md whose first line names a file: ```` ```lang NAME ````."""
    text = DOC.read_text("utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^```\w+ (\S+)\n(.*?)^```", text, re.M | re.S)}


def site_config(ports: list[int]) -> str:
    """The document's upstream block with the nodes' loopback ports, and deploy.md's server block
    passing to it, as the document says."""
    upstream = scaling_blocks()["operator-desk-upstream.conf"]
    for number, port in enumerate(ports, 11):
        upstream = upstream.replace(f"server 10.0.0.{number}:8765", f"server 127.0.0.1:{port}")
    assert "10.0.0." not in upstream
    server = DEPLOY_BLOCKS["operator-desk.conf"]
    assert server.count("proxy_pass http://127.0.0.1:8765;") == 1
    return upstream + server.replace("proxy_pass http://127.0.0.1:8765;", "proxy_pass http://operator_desk;")


async def sign_in(base: str, username: str, context: ssl.SSLContext) -> tuple[AsyncClient, str]:
    """An operator signed in through nginx: the client and its session's id."""
    client = await AsyncClient.connect(base + "/v1/operator", ssl=context)
    answer = await client.ok("auth.login", {"username": username, "password": PASSWORD})
    return client, answer["session_id"]


async def test_three_nodes_behind_nginx_take_any_connection_and_chat_across_them(tmp_path, redis_server):
    async with started_nodes(tmp_path, redis_server.url, names=("a", "b", "c")) as site:
        ca = TestCA(tmp_path / "ca")
        config = site_config([node.port for node in site])
        with Nginx(tmp_path / "nginx", ca.issue("127.0.0.1"), site[0].port, site=config) as nginx:
            context = ssl.create_default_context(cafile=str(ca.cafile))
            base = f"wss://127.0.0.1:{nginx.https_port}"
            ben, ben_session = await sign_in(base, "ben", context)
            await ben.ok("visitors.subscribe")
            visitor = await AsyncClient.connect(base + "/v1/visitor", ssl=context)
            page = {"url": "https://shop.example/", "title": "Shop"}
            hello = await visitor.ok("visitor.hello", {"page": page})
            _ann, ann_session = await sign_in(base, "ann", context)

            # nginx spread the three connections over the three nodes.
            holders = [
                [n for n, node in enumerate(site) if ben_session in node.hub.sessions],
                [n for n, node in enumerate(site) if node.hub.visitors[hello["visitor_id"]].home is None],
                [n for n, node in enumerate(site) if ann_session in node.hub.sessions],
            ]
            assert sorted(holders) == [[0], [1], [2]]

            notice = next(n for n in hello["notices"] if "chat" in n["purposes"])
            await visitor.ok("consent.set", {"purpose": "chat", "granted": True, "notice_id": notice["id"],
                                             "notice_version": notice["version"], "method": "prechat_form"})
            chat = (await visitor.ok("chat.start", {"name": "Vera", "message": "Hello?"}))["chat"]
            await ben.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
            await ben.ok("chat.accept", {"chat_id": chat["id"]})
            await ben.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "b1", "text": "Hi Vera"})
            assert (await visitor.push("chat.message"))["message"]["text"] == "Hi Vera"
            await visitor.ok("chat.send", {"client_msg_id": "v2", "text": "Thanks"})
            heard = await ben.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v2")
            assert heard["message"]["text"] == "Thanks"
