"""An erasure forgets the person's pushes from every replay buffer: a resume after it carries none of
their data, and seq stays gapless (a resume that would need a forgotten push is refused)."""

from __future__ import annotations

import pytest
from test_server_resume import drop
from test_server_subjects import EMAIL, MESSAGE, NAME, PHONE, person_with_history

from tests.kit.cases import erase_with_approval
from tests.kit.clients import AsyncClient, login
from tests.kit.visitors import arrive

PERSONAL = (NAME, EMAIL, MESSAGE, PHONE)


def last_seq(client: AsyncClient) -> int:
    return client.pushes[-1]["seq"] if client.pushes else 0


async def resume(server, client: AsyncClient, seq: int) -> tuple[AsyncClient, dict]:
    again = await AsyncClient.connect(server.operator_url)
    response = await again.ok(
        "auth.login",
        {
            "token": client.login["token"],
            "resume": {"session_id": client.login["session_id"], "last_seq": seq},
        },
    )
    return again, response


def assert_no_personal_data(frames: list[str]) -> None:
    for frame in frames:
        for text in PERSONAL:
            assert text not in frame, f"{text!r} crossed the wire again"


def buffered_frames(server) -> list[str]:
    return [frame for session in server.hub.sessions.values() for frame in session.replay.frames]


async def bystander_page(visitor: AsyncClient, watcher: AsyncClient, title: str) -> None:
    await visitor.ok("visitor.page", {"url": "http://shop.example/x", "title": title})
    await watcher.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == title)


@pytest.mark.asyncio
async def test_resume_after_an_erasure_carries_none_of_the_persons_data(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    early, late = await login(server, "lee"), await login(server, "lee")
    watcher = await login(server, "ben")  # stays connected: tells us when pushes were produced
    for client in (early, late, watcher):
        await client.ok("visitors.subscribe")
    bystander = await arrive(server)
    await bystander_page(bystander, watcher, "before")

    # `early` drops before the person arrives: its buffer fills with their pushes while it is away.
    early_seq = last_seq(early)
    await drop(early)
    person, _ = await person_with_history(server, ann)
    await late.push("chat.message", lambda p: p["message"]["text"] == MESSAGE)
    assert any(NAME in frame for frame in late.raw)  # the person's data did reach `late` live
    # `late` and `ann` drop after the person's pushes, and miss pushes about someone else after them.
    await bystander_page(bystander, watcher, "after the person")
    late_seq, ann_seq = last_seq(late), last_seq(ann)
    await drop(late)
    await drop(ann)
    await bystander_page(bystander, watcher, "missed")

    await erase_with_approval(sue, await login(server, "sam"), person.visitor_id, "Art. 17 request")
    await watcher.push("subject.erased")
    assert_no_personal_data(buffered_frames(server))

    # Needs the person's pushes: refused, a fresh session, nothing replayed.
    again_early, response = await resume(server, early, early_seq)
    assert response["resumed"] is False and response["session_id"] != early.login["session_id"]
    # Everything about the person was received before the drop: resumed, gapless, without their data.
    again_late, response = await resume(server, late, late_seq)
    assert response["resumed"] is True
    erased = await again_late.push("subject.erased")
    assert erased["visitor_id"] == person.visitor_id
    missed = [p["visitor"]["page"]["title"] for p in again_late.pushes_of("visitor.upsert")]
    assert missed == ["missed"]
    seqs = [p["seq"] for p in again_late.pushes]
    assert seqs == list(range(late_seq + 1, late_seq + 1 + len(seqs)))
    # `ann` accepted the chat and received the details: her buffer held the most, and it is gone too.
    again_ann, response = await resume(server, ann, ann_seq)
    assert response["resumed"] is True
    await again_ann.push("subject.erased")
    for client in (again_early, again_late, again_ann):
        assert_no_personal_data(client.raw)


@pytest.mark.asyncio
async def test_forget_me_forgets_the_buffered_pushes_too(server):
    ann = await login(server, "ann")
    lee = await login(server, "lee")
    await lee.ok("visitors.subscribe")
    person, _ = await person_with_history(server, ann)
    seq = last_seq(lee)
    await drop(lee)
    assert any(NAME in frame for frame in buffered_frames(server))
    await person.ok("subject.forget_me")
    await ann.push("subject.erased")
    assert_no_personal_data(buffered_frames(server))
    again, response = await resume(server, lee, seq)
    assert response["resumed"] is True
    assert (await again.push("subject.erased"))["visitor_id"] == person.visitor_id
    assert_no_personal_data(again.raw)
