"""The server's log at DEBUG holds no message text, name, e-mail, address, detail, token or password."""

from __future__ import annotations

import logging

import pytest

from tests.kit.accounts import PASSWORD
from tests.kit.clients import login
from tests.kit.visitors import arrive, consent, details_given

SECRETS = {
    "name": "Zacharias Privatmann",
    "email": "zacharias.private@example.org",
    "message": "my confidential question about invoice 88231",
    "reply": "operator answer with marker 55102",
    "phone": "+49 170 5550199",
    "draft": "half typed marker 99120",
    "ip": "198.51.100.23",
    "note": "hand-over note marker 77341",
}


@pytest.mark.asyncio
async def test_a_whole_chat_leaves_no_personal_data_in_the_log(server, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("websockets").setLevel(logging.INFO)  # as the server pins it
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    visitor = await arrive(server, ip=SECRETS["ip"])
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await consent(visitor, "chat", granted=True, method="prechat_form")
    await consent(visitor, "typing_preview", granted=True, method="prechat_form")
    chat = (
        await visitor.ok(
            "chat.start", {"name": SECRETS["name"], "email": SECRETS["email"], "message": SECRETS["message"]}
        )
    )["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await visitor.ok("chat.typing", {"typing": True, "draft": SECRETS["draft"]})
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": SECRETS["reply"]})
    await details_given(ann, visitor, chat["id"], {"phone": SECRETS["phone"]})
    await ann.push("details.received")
    # Handed on with a note for the colleague, who reads the visitor's earlier chats too.
    ben = await login(server, "ben")
    await ann.ok("chat.transfer", {"chat_id": chat["id"], "to_operator_id": ben.login["operator"]["id"],
                                   "note": SECRETS["note"]})
    await ben.push("chat.transferred")
    await ben.ok("visitor.earlier_chats", {"visitor_id": visitor.visitor_id})
    await ben.close()
    await visitor.request("chat.send", {"client_msg_id": "too-long", "text": SECRETS["message"] * 400})
    await ann.request("auth.login", {"username": "ann", "password": "wrong " + PASSWORD})
    await visitor.ok("subject.forget_me")
    await ann.push("subject.erased")
    await ann.close()

    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert any(r.name.startswith("operator_desk.server") for r in caplog.records), "nothing was logged"
    for what, secret in {
        **SECRETS,
        "token": ann.login["token"],
        "password": PASSWORD,
        "visitor_token": visitor.hello["visitor_token"],
    }.items():
        assert secret not in text, f"the log holds the {what}"
