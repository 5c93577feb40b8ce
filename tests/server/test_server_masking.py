"""No card number reaches an operator or the database: the server masks messages (the visitor's and the
operator's) and typing previews before it stores or sends them. Every frame an operator receives and
every row of the database are searched, and the raw database files too."""

from __future__ import annotations

import re

import pytest

from operator_desk.server.config import ConfigError, load_config
from tests.kit.clients import login
from tests.kit.servers import database_text, raw_stored, start
from tests.kit.visitors import arrive, consent

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

CARDS = {   # published test numbers, written the way visitors write them
    "visa": ("4111111111111111", "4111 1111 1111 1111"),
    "mastercard": ("5555555555554444", "5555-5555-5555-4444"),
    "amex": ("378282246310005", "3782 822463 10005"),
    "discover": ("6011111111111117", "6011111111111117"),
    "unionpay 19": ("6205500000000000004", "6205 5000 0000 0000 004"),
}


def traces(number: str, written: str) -> tuple[str, ...]:
    """The number as digits, as written, and its first twelve digits (all that masking hides)."""
    return number, written, number[:12]


def leaks(text: str) -> list[str]:
    flat = re.sub(r"[\s\-.]", "", text)
    return [name for name, (number, written) in CARDS.items()
            if any(trace in text or trace in flat for trace in traces(number, written))]


@pytest.mark.asyncio
async def test_no_card_number_in_any_frame_an_operator_receives_nor_in_the_database(server, tmp_path):
    ann = await login(server, "ann")
    lee = await login(server, "lee")          # a team lead watching the team: subscribed too
    for operator in (ann, lee):
        await operator.ok("visitors.subscribe")
    visitor = await arrive(server)
    for purpose in ("chat", "typing_preview"):
        await consent(visitor, purpose, granted=True, method="prechat_form")
    first, *others = CARDS.values()
    chat = (await visitor.ok("chat.start", {"name": "Kim", "message": f"My card is {first[1]}"}))["chat"]
    await ann.push("chat.incoming")
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    for n, (_number, written) in enumerate(others):
        answer = await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"or this one: {written}"})
        # The visitor's own copy comes back masked: what they see is what is kept.
        assert "••••" in answer["message"]["text"] and not leaks(answer["message"]["text"])
        await ann.push("chat.message", lambda p, n=n: p["message"]["client_msg_id"] == f"v{n}")
    await visitor.ok("chat.typing", {"typing": True, "draft": "and the old one 4111-1111-1111-1111"})
    preview = await ann.push("chat.typing", lambda p: p["preview"] is not None)
    assert preview["preview"] == "and the old one ••••-••••-••••-1111"
    sent = await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1",
                                      "text": "Please never send 5555 5555 5555 4444 here."})
    assert sent["message"]["text"] == "Please never send •••• •••• •••• 4444 here."
    await visitor.push("chat.message", lambda p: p["message"]["author"] == "operator")
    transcript = await lee.ok("transcripts.get", {"chat_id": chat["id"]})
    assert [m["text"] for m in transcript["messages"]][:2] == [
        "My card is •••• •••• •••• 1111", "or this one: ••••-••••-••••-4444"]
    for operator in (ann, lee):
        assert operator.raw and not leaks("\n".join(operator.raw))
    assert not leaks("\n".join(visitor.raw))
    assert not leaks(await database_text(server))
    assert not leaks(raw_stored(tmp_path / "data").decode("latin-1"))


@pytest.mark.asyncio
async def test_a_site_pattern_is_masked_as_well(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text("[masking]\npatterns = ['\\bDE\\d{2}(?: ?\\d{4}){4} ?\\d{2}\\b']\n", encoding="utf-8")
    server = await start(tmp_path, demo=True, config_path=config)
    try:
        await server.add_operator("ann", "correct horse battery staple", "operator", "Ann")
        ann = await login(server, "ann")
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        chat = (await visitor.ok("chat.start", {"message": "IBAN DE89 3704 0044 0532 0130 00, ok?"}))["chat"]
        incoming = await ann.push("chat.message", lambda p: p["chat_id"] == chat["id"])
        assert incoming["message"]["text"] == "IBAN •••• •••• •••• •••• •••• ••, ok?"
        assert "3704" not in await database_text(server)
    finally:
        await server.close()


@pytest.mark.parametrize(("patterns", "problem"), [
    ("['(unclosed']", "not a regular expression"),
    ("['x*']", "matches empty text"),
])
def test_a_site_pattern_that_cannot_work_is_refused_at_start(tmp_path, patterns, problem):
    config = tmp_path / "site.toml"
    config.write_text(f"[masking]\npatterns = {patterns}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_config(config)
