"""An ok answer means it is stored: the server process is killed (SIGKILL: no goodbye, no last commit)
right after each kind of answer that changes stored state, started again on the same data, and the
change is there.

Before, only ``chat.send`` waited for its commit: a consent withdrawal, a ``details.submit``, a new
visitor's token were answered and then lost, and after the restart operators saw the withdrawn IP and
company again.
"""

from __future__ import annotations

import pytest

from tests.kit.cases import erase_with_approval
from tests.kit.clients import AsyncClient
from tests.kit.servers import ServerProcess
from tests.kit.visitors import arrive, consent

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

VISITOR_IP = "192.0.2.10"


async def operator(server: ServerProcess, username: str = "operator",
                   token: str | None = None) -> AsyncClient:
    client = await AsyncClient.connect(server.operator_url)
    credentials = {"token": token} if token else {"username": username, "password": "demo"}
    client.login = await client.ok("auth.login", credentials)
    return client


async def test_every_kind_of_ok_answer_survives_a_kill(tmp_path):
    server = await ServerProcess(tmp_path / "data").start()
    clients: list[AsyncClient] = []

    async def killed_and_back() -> None:
        await server.restart()
        for client in clients:
            await client.close()
        clients.clear()

    def keep(client: AsyncClient) -> AsyncClient:
        clients.append(client)
        return client

    try:
        # A new visitor is present in memory only (docs/privacy.md): after a kill, their token names
        # nobody. Their first consent stores them, with their token, before it is answered.
        visitor = keep(await arrive(server, ip=VISITOR_IP))
        token, visitor_id = visitor.hello["visitor_token"], visitor.hello["visitor_id"]
        await killed_and_back()
        assert keep(await arrive(server, token=token, ip=VISITOR_IP)).hello["visitor_id"] != visitor_id
        visitor = keep(await arrive(server, ip=VISITOR_IP))
        token, visitor_id = visitor.hello["visitor_token"], visitor.hello["visitor_id"]

        # A grant, then a withdrawal, of visitor_insights: the withdrawal is what stays.
        await consent(visitor, "visitor_insights", granted=True, method="widget_settings")
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        assert visitor.hello["consent"]["visitor_insights"] is True
        await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        assert visitor.hello["consent"]["visitor_insights"] is False
        lead = keep(await operator(server, "lead"))
        listed = (await lead.ok("visitors.subscribe"))["visitors"]
        assert [v["insights"] for v in listed if v["id"] == visitor_id] == [None]

        # An operator's sign-in token.
        ann = keep(await operator(server))
        ann_token = ann.login["token"]
        await killed_and_back()
        ann = keep(await operator(server, token=ann_token))

        # A chat started, accepted, a message each way.
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        await consent(visitor, "chat", granted=True, method="widget_settings")
        chat_id = (await visitor.ok("chat.start", {"name": "Vera"}))["chat"]["id"]
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        ann = keep(await operator(server, token=ann_token))
        assert [c["id"] for c in (await ann.ok("chats.list"))["chats"]] == [chat_id]
        await ann.ok("chat.accept", {"chat_id": chat_id})
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        ann = keep(await operator(server, token=ann_token))
        [chat] = (await ann.ok("chats.list"))["chats"]
        assert (chat["id"], chat["state"]) == (chat_id, "active")
        await visitor.ok("chat.send", {"client_msg_id": "v1", "text": "from the visitor"})
        await killed_and_back()
        ann = keep(await operator(server, token=ann_token))
        await ann.ok("chat.send", {"chat_id": chat_id, "client_msg_id": "a1", "text": "from the operator"})
        await killed_and_back()
        ann = keep(await operator(server, token=ann_token))
        transcript = await ann.ok("transcripts.get", {"chat_id": chat_id})
        assert [m["text"] for m in transcript["messages"]] == ["from the visitor", "from the operator"]

        # A details request, received; another, declined.
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        await consent(visitor, "contact_details", granted=True, method="widget_settings")
        request = {"chat_id": chat_id, "notice_id": "details-en", "notice_version": 1, "fields": ["phone"]}
        first = (await ann.ok("details.request", request))["request_id"]
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        await visitor.ok("details.submit", {"request_id": first, "fields": {"phone": "+49 30 1234"}})
        await killed_and_back()
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        ann = keep(await operator(server, token=ann_token))
        second = (await ann.ok("details.request", request))["request_id"]
        await visitor.ok("details.decline", {"request_id": second})
        await killed_and_back()
        ann = keep(await operator(server, token=ann_token))
        details = (await ann.ok("transcripts.get", {"chat_id": chat_id}))["details"]
        assert [(d["request_id"], d["status"], d["values"]) for d in details] == [
            (first, "received", {"phone": "+49 30 1234"}),
            (second, "declined", None),
        ]

        # Closed by the operator; another chat ended by the visitor.
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        await ann.ok("chat.close", {"chat_id": chat_id})
        await killed_and_back()
        ann = keep(await operator(server, token=ann_token))
        assert (await ann.ok("transcripts.get", {"chat_id": chat_id}))["chat"]["state"] == "closed"
        visitor = keep(await arrive(server, token=token, ip=VISITOR_IP))
        second_chat = (await visitor.ok("chat.start", {}))["chat"]["id"]
        await visitor.ok("chat.end")
        await killed_and_back()
        lead = keep(await operator(server, "lead"))
        assert (await lead.ok("transcripts.get", {"chat_id": second_chat}))["chat"]["state"] == "closed"

        # A sign-out revokes the token for good.
        ann = keep(await operator(server, token=ann_token))
        await ann.ok("auth.logout")
        await killed_and_back()
        again = keep(await AsyncClient.connect(server.operator_url))
        assert await again.refused("auth.login", {"token": ann_token}) == "invalid_credentials"

        # An erasure by a supervisor, and a visitor's own.
        supervisor = keep(await operator(server, "supervisor"))
        dpo = keep(await operator(server, "dpo"))
        await erase_with_approval(supervisor, dpo, visitor_id, "request 7")   # killed after the approval
        await killed_and_back()
        supervisor = keep(await operator(server, "supervisor"))
        assert await supervisor.refused("subjects.export", {"visitor_id": visitor_id}) == "not_found"
        other = keep(await arrive(server, ip="192.0.2.11"))
        other_id = other.hello["visitor_id"]
        await other.ok("subject.forget_me")
        await killed_and_back()
        supervisor = keep(await operator(server, "supervisor"))
        assert await supervisor.refused("subjects.export", {"visitor_id": other_id}) == "not_found"
    finally:
        for client in clients:
            await client.close()
        await server.kill()
