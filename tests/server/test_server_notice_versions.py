"""Consent belongs to the notice version it was given to: after an edit that asks for fresh consent,
consents to older versions stop counting (the widget is told, chat.start refuses, operators see no
insights) until the visitor agrees to the new version. An edit that does not ask keeps them."""

from __future__ import annotations

import contextlib

import pytest

from operator_desk.server.embedded import RunningServer
from operator_desk.server.repository import AlreadyExists
from tests.kit.clients import login
from tests.kit.servers import start
from tests.kit.visitors import arrive, consent, notice_for

NOTICE = """
[[notices]]
key = "prechat"
purposes = ["chat", "visitor_insights"]
fresh_consent = {fresh}

[notices.text.en]
title = "Before we chat"
body = "{body}"
"""


async def with_notice(tmp_path, body: str, fresh: bool = True) -> RunningServer:
    config = tmp_path / "site.toml"
    config.write_text(NOTICE.format(body=body, fresh=str(fresh).lower()))
    server = await start(tmp_path, demo=True, config_path=config)
    with contextlib.suppress(AlreadyExists):  # the second run of the server on the same data
        await server.add_operator("ann", "correct horse battery staple", "operator", "Ann")
    return server


async def agreed_to_version_1(tmp_path) -> str:
    server = await with_notice(tmp_path, "We store this chat for 30 days.")
    visitor = await arrive(server, ip="192.0.2.10")
    assert notice_for(visitor, "chat")["version"] == 1
    await consent(visitor, "chat", granted=True, method="prechat_form")
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    token = visitor.hello["visitor_token"]
    await visitor.close()
    await server.close()
    return token


@pytest.mark.asyncio
async def test_consents_to_an_older_version_stop_counting_when_the_new_one_asks_again(tmp_path):
    token = await agreed_to_version_1(tmp_path)
    server = await with_notice(tmp_path, "We store this chat for 30 days and read it to train our team.")
    try:
        ann = await login(server, "ann", "correct horse battery staple")
        visitor = await arrive(server, ip="192.0.2.10", token=token)
        notice = notice_for(visitor, "chat")
        assert (notice["version"], notice["fresh_consent"], notice["counts_from"]) == (2, True, 2)
        # The visitor is not taken to have agreed to version 2, and the widget is told why it asks.
        assert visitor.hello["consent"] == {"chat": False, "visitor_insights": False,
                                            "contact_details": False, "typing_preview": False}
        assert sorted(visitor.hello["consent_outdated"]) == ["chat", "visitor_insights"]
        assert await visitor.refused("chat.start", {"message": "hi"}) == "consent_required"
        seen = next(v for v in (await ann.ok("visitors.subscribe"))["visitors"]
                    if v["id"] == visitor.visitor_id)
        assert seen["insights"] is None and not seen["consent"]["visitor_insights"]
        # Agreeing again to version 1 is refused: it would never count.
        refused = await visitor.request("consent.set", {"purpose": "chat", "granted": True,
                                                        "notice_id": notice["id"], "notice_version": 1,
                                                        "method": "prechat_form"})
        assert refused["error"]["code"] == "conflict"
        # An affirmative action on version 2 counts.
        await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
        upsert = await ann.push("visitor.upsert", lambda p: p["visitor"]["consent"]["visitor_insights"])
        assert upsert["visitor"]["insights"]["company"] == "Spreewald Logistik GmbH"
        await consent(visitor, "chat", granted=True, method="prechat_form")
        assert (await visitor.ok("chat.start", {"message": "hi"}))["chat"]["state"] == "waiting"
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_an_edit_that_does_not_ask_again_keeps_the_consents(tmp_path):
    token = await agreed_to_version_1(tmp_path)
    server = await with_notice(tmp_path, "We store this chat for 30 days. (Typo fixed.)", fresh=False)
    try:
        visitor = await arrive(server, token=token)
        notice = notice_for(visitor, "chat")
        assert (notice["version"], notice["fresh_consent"], notice["counts_from"]) == (2, False, 1)
        assert visitor.hello["consent"]["chat"] and visitor.hello["consent_outdated"] == []
        assert (await visitor.ok("chat.start", {"message": "hi"}))["chat"]["state"] == "waiting"
    finally:
        await server.close()
