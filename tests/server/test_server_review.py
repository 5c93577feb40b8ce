"""Transcript review on the server: every search filter (a chat that must match and one that must not),
orders and pages, snippets, the consents in force during a chat, reviews, the team's status and daily
report, the audit log's filters, and watching a live chat read-only."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import pytest

from operator_desk.server import repository, subjects
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import schema_at
from tests.kit.visitors import accepted_chat, arrive, consent, details_given

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


async def chat_with(server, operator: AsyncClient, *, name: str, email: str, texts: list[str],
                    details: bool = False, close: bool = True) -> tuple[AsyncClient, dict[str, Any]]:
    """A visitor's chat, accepted by ``operator``: the visitor writes ``texts``; with ``details`` the
    operator asks for a phone number and gets it; closed unless told otherwise."""
    visitor, chat = await accepted_chat(server, operator, name=name, email=email, message=texts[0])
    for n, text in enumerate(texts[1:]):
        await visitor.ok("chat.send", {"client_msg_id": f"k{n}", "text": text})
    if details:
        request_id = await details_given(operator, visitor, chat["id"], {"phone": "+44 20 7946 0000"})
        await operator.push("details.received", lambda p: p["request_id"] == request_id)
    if close:
        await operator.ok("chat.close", {"chat_id": chat["id"]})
    return visitor, chat


async def found_ids(client: AsyncClient, **query: Any) -> list[str]:
    return [c["id"] for c in (await client.ok("transcripts.search", query))["chats"]]


@pytest.mark.asyncio
async def test_every_filter_keeps_what_must_match_and_drops_what_must_not(server):
    ann, ben, lee = await login(server, "ann"), await login(server, "ben"), await login(server, "lee")
    va, refund = await chat_with(server, ann, name="Ada Lovelace", email="ada@example.org",
                                 texts=["My tent has a hole", "I want a refund please"], details=True)
    vb, boots = await chat_with(server, ben, name="Bob Byte", email="bob@example.net",
                                texts=["Do the boots come in size 46?"])
    vc, open_chat = await chat_with(server, ann, name="Cleo", email="cleo@example.com",
                                    texts=["Is the refund policy 30 days?"], close=False)

    # text: every word in one message
    assert set(await found_ids(lee, text="refund")) == {refund["id"], open_chat["id"]}
    assert await found_ids(lee, text="REFUND please") == [refund["id"]]
    assert await found_ids(lee, text="refund boots") == []
    # operator
    ann_id, ben_id = ann.login["operator"]["id"], ben.login["operator"]["id"]
    assert set(await found_ids(lee, operator_id=ann_id)) == {refund["id"], open_chat["id"]}
    assert await found_ids(lee, operator_id=ben_id) == [boots["id"]]
    # visitor: an id, part of a name, part of an e-mail address
    assert await found_ids(lee, visitor=va.visitor_id) == [refund["id"]]
    assert await found_ids(lee, visitor="byte") == [boots["id"]]
    assert await found_ids(lee, visitor="@example.com") == [open_chat["id"]]
    assert await found_ids(lee, visitor="nobody") == []
    # dates: since inclusive, until exclusive
    assert await found_ids(lee, since=boots["started_at"], until=open_chat["started_at"]) == [boots["id"]]
    assert await found_ids(lee, until=boots["started_at"]) == [refund["id"]]
    # state
    assert await found_ids(lee, state="active") == [open_chat["id"]]
    assert set(await found_ids(lee, state="closed")) == {refund["id"], boots["id"]}
    # details collected, or not
    assert await found_ids(lee, details=True) == [refund["id"]]
    assert set(await found_ids(lee, details=False)) == {boots["id"], open_chat["id"]}
    # all together
    assert await found_ids(lee, text="refund", operator_id=ann_id, state="closed",
                           details=True, visitor="ada") == [refund["id"]]
    for client in (ann, ben, lee, va, vb, vc):
        await client.close()


@pytest.mark.asyncio
async def test_results_come_ordered_and_paged_with_snippets_and_the_details_flag(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    chats = []
    for n in range(5):
        _visitor, chat = await chat_with(server, ann, name=f"V{n}", email=f"v{n}@example.org",
                                         texts=[f"hello number {n}"] + ["more words"] * n)
        chats.append(chat["id"])
        await _visitor.close()
    newest = list(reversed(chats))
    for order, expected in (("newest", newest), ("oldest", chats), ("most_messages", newest),
                            ("fewest_messages", chats)):
        seen, cursor = [], None
        while True:
            query = {"order": order, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = await lee.ok("transcripts.search", query)
            seen += [c["id"] for c in page["chats"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, order
    page = await lee.ok("transcripts.search", {"text": "NUMBER 3"})
    [summary] = page["chats"]
    snippet = summary["snippet"]
    assert snippet == "hello number 3"
    assert [snippet[a:b] for a, b in summary["highlights"]] == ["number", "3"]
    assert summary["details_collected"] is False and summary["message_count"] == 4
    assert await lee.refused("transcripts.search", {"order": "most_messages", "cursor": "nonsense"}) == \
        "bad_request"
    await ann.close()
    await lee.close()


@pytest.mark.asyncio
async def test_an_operator_searches_only_their_own_chats(server):
    ann, ben = await login(server, "ann"), await login(server, "ben")
    va, mine = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["hello there"])
    vb, theirs = await chat_with(server, ben, name="Bob", email="b@example.org", texts=["hello there"])
    assert await found_ids(ann, text="hello") == [mine["id"]]
    assert await found_ids(ben) == [theirs["id"]]
    others = {"operator_id": ben.login["operator"]["id"]}
    assert await ann.refused("transcripts.search", others) == "forbidden"
    assert await ann.refused("transcripts.get", {"chat_id": theirs["id"]}) == "forbidden"
    for client in (ann, ben, va, vb):
        await client.close()


@pytest.mark.asyncio
async def test_a_transcript_says_which_consents_were_recorded_before_and_during_the_chat(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    visitor = await arrive(server)
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Ada", "message": "hi"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")   # during
    await ann.ok("chat.close", {"chat_id": chat["id"]})
    await consent(visitor, "typing_preview", granted=True, method="widget_settings")                   # after
    transcript = await lee.ok("transcripts.get", {"chat_id": chat["id"]})
    seqs = {(e["purpose"], e["granted"]): e["seq"] for e in transcript["consents"]}
    start, close = transcript["consent_seq_at_start"], transcript["consent_seq_at_close"]
    assert seqs[("visitor_insights", True)] < seqs[("chat", True)] <= start
    assert start < seqs[("visitor_insights", False)] <= close < seqs[("typing_preview", True)]
    await visitor.close()
    await ann.close()
    await lee.close()


@pytest.mark.asyncio
async def test_reviews_are_kept_for_leads_audited_and_go_with_the_chat(server):
    ann, lee, sue = await login(server, "ann"), await login(server, "lee"), await login(server, "sue")
    visitor, chat = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["complaint"])
    first = (await lee.ok("reviews.add", {"chat_id": chat["id"], "rating": 2,
                                          "note": "Too slow to\nanswer."}))["review"]
    await sue.ok("reviews.add", {"chat_id": chat["id"], "note": "Agreed; coached."})
    listed = (await sue.ok("reviews.list", {"chat_id": chat["id"]}))["reviews"]
    assert [(r["author_name"], r["rating"], r["note"]) for r in listed] == [
        ("Lee", 2, "Too slow to\nanswer."), ("Sue", None, "Agreed; coached.")]
    assert listed[0]["id"] == first["id"]
    assert await ann.refused("reviews.list", {"chat_id": chat["id"]}) == "forbidden"
    assert await ann.refused("reviews.add", {"chat_id": chat["id"], "rating": 5}) == "forbidden"
    assert await lee.refused("reviews.add", {"chat_id": chat["id"]}) == "bad_request"         # nothing said
    assert await lee.refused("reviews.add", {"chat_id": chat["id"], "rating": 6}) == "bad_request"
    assert await lee.refused("reviews.add", {"chat_id": "ch_nope", "rating": 3}) == "not_found"
    entries, _ = await server.db.call(functools.partial(repository.audit_page, action="reviews.add"))
    assert [(e.actor_name, e.detail["chat_id"]) for e in entries] == [("Sue", chat["id"]),
                                                                       ("Lee", chat["id"])]
    assert all("coached" not in str(e.detail) for e in entries)   # the note is not in the log
    # Erased (as an approved erasure does it: this site needs four eyes for subjects.erase).
    await subjects.erase_subject(server.hub, visitor.visitor_id, sue.login["operator"]["id"], "request")
    gone = await server.db.call(lambda conn: conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    assert gone == 0
    for client in (ann, lee, sue):
        await client.close()


@pytest.mark.asyncio
async def test_the_team_view_lists_who_is_online_their_chats_and_the_queue_longest_wait_first(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    second_ann = await login(server, "ann")
    _v1, taken = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["hi"], close=False)
    waiting = []
    for n in range(2):
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        waiting.append((await visitor.ok("chat.start", {"name": f"W{n}", "message": "anyone?"}))["chat"])
    status = await lee.ok("team.status")
    members = {m["name"]: m for m in status["operators"]}
    assert {"Ann", "Ben", "Lee", "Sue"} <= set(members)   # and the demo accounts
    assert (members["Ann"]["sessions"], members["Ben"]["sessions"], members["Lee"]["sessions"]) == (2, 0, 1)
    assert [c["chat_id"] for c in members["Ann"]["open_chats"]] == [taken["id"]]
    assert members["Ann"]["status"] is None     # reserved for operator statuses
    assert status["queue"]["waiting"] == 2
    assert [c["chat_id"] for c in status["queue"]["chats"]] == [w["id"] for w in waiting]  # oldest first
    assert "W0" not in str(status) and "Ada" not in str(status)  # no visitor's name
    assert await ann.refused("team.status") == "forbidden"
    await second_ann.close()
    status = await lee.ok("team.status")
    assert {m["name"]: m["sessions"] for m in status["operators"]}["Ann"] == 1
    for client in (ann, lee):
        await client.close()


def _insert_chats(conn, rows) -> None:
    """Chats with the given (started, accepted, closed, operator id) times, straight into the database."""
    conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) VALUES "
                 "('v_r', 'x', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')")
    for n, (started, accepted, closed, operator_id) in enumerate(rows):
        state = "closed" if closed else ("active" if accepted else "waiting")
        conn.execute(
            "INSERT INTO chats (id, visitor_id, state, operator_id, started_at, closed_at, accepted_at) "
            "VALUES (?, 'v_r', ?, ?, ?, ?, ?)", (f"ch_r{n}", state, operator_id, started, closed, accepted))


@pytest.mark.asyncio
async def test_the_daily_report_counts_each_day_and_operator(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    ann_id = ann.login["operator"]["id"]
    lee_id = lee.login["operator"]["id"]
    day1, day2 = "2026-11-23T", "2026-11-24T"
    rows = [
        (day1 + "09:00:00.000Z", day1 + "09:00:10.000Z", day1 + "09:10:10.000Z", ann_id),   # 10 s, 600 s
        (day1 + "10:00:00.000Z", day1 + "10:00:30.000Z", day1 + "10:05:30.000Z", ann_id),   # 30 s, 300 s
        (day1 + "11:00:00.000Z", None, day1 + "11:03:00.000Z", None),                       # missed
        (day2 + "08:00:00.000Z", day2 + "08:01:00.000Z", None, lee_id),                     # 60 s, open
        ("2026-11-25T08:00:00.000Z", None, None, None),                                     # outside
    ]
    await server.db.call(_insert_chats, rows)
    bounds = [day1 + "00:00:00.000Z", day2 + "00:00:00.000Z", "2026-11-25T00:00:00.000Z"]
    report = await lee.ok("reports.daily", {"bounds": bounds})
    first, second = report["days"]
    assert (first["start"], first["chats"], first["accepted"], first["missed"]) == (bounds[0], 3, 2, 1)
    assert (first["accept_p50"], first["accept_p95"]) == (10.0, 30.0)
    assert (first["length_p50"], first["length_p95"]) == (300.0, 600.0)
    assert (second["chats"], second["accepted"], second["missed"], second["accept_p50"]) == (1, 1, 0, 60.0)
    assert second["length_p50"] is None
    by_name = {o["name"]: o for o in report["operators"]}
    assert (by_name["Ann"]["chats"], by_name["Ann"]["accept_p95"]) == (2, 30.0)
    assert by_name["Lee"]["chats"] == 1
    assert report["total"]["chats"] == 4 and report["total"]["missed"] == 1
    assert await ann.refused("reports.daily", {"bounds": bounds}) == "forbidden"
    assert await lee.refused("reports.daily", {"bounds": [bounds[1], bounds[0]]}) == "bad_request"
    for client in (ann, lee):
        await client.close()


@pytest.mark.asyncio
async def test_accepting_records_when_for_the_report(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    visitor, chat = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["hi"])
    accepted = await server.db.call(
        lambda conn: conn.execute("SELECT accepted_at FROM chats WHERE id = ?", (chat["id"],)).fetchone()[0])
    assert accepted is not None and accepted >= chat["started_at"]
    for client in (ann, lee, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_the_audit_log_is_filtered_and_paged_newest_first(server):
    sue = await login(server, "sue")
    sue_id = sue.login["operator"]["id"]

    def fill(conn) -> None:
        for n in range(30):
            repository.audit(conn, f"2026-11-23T10:{n:02d}:00.000Z", sue_id if n % 2 else "system",
                             "transcripts.get" if n % 3 else "retention.purge", None, {"n": n})

    await server.db.call(fill)
    query = {"action": "transcripts.get", "actor": sue_id, "limit": 4}
    seen, cursor = [], None
    while True:
        page = await sue.ok("audit.list", {**query, **({"cursor": cursor} if cursor else {})})
        seen += page["entries"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    numbers = [e["detail"]["n"] for e in seen]
    assert numbers == [n for n in range(29, -1, -1) if n % 2 and n % 3]
    assert {e["actor_name"] for e in seen} == {"Sue"}
    window = await sue.ok("audit.list", {"since": "2026-11-23T10:05:00.000Z",
                                         "until": "2026-11-23T10:08:00.000Z"})
    assert [e["detail"]["n"] for e in window["entries"]] == [7, 6, 5]
    assert await sue.refused("audit.list", {"cursor": "x1"}) == "bad_request"
    await sue.close()


@pytest.mark.asyncio
async def test_a_lead_watches_a_live_chat_read_only_and_it_is_audited(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    visitor, chat = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["first"],
                                    close=False)
    watched = await lee.ok("chat.observe", {"chat_id": chat["id"]})
    assert [m["text"] for m in watched["messages"]] == ["first"]
    await visitor.ok("chat.send", {"client_msg_id": "k9", "text": "second"})
    pushed = await lee.push("chat.message", lambda p: p["message"]["text"] == "second")
    assert pushed["chat_id"] == chat["id"] and pushed["message"]["author"] == "visitor"
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "o1", "text": "answer"})
    pushed = await lee.push("chat.message", lambda p: p["message"]["text"] == "answer")
    assert pushed["message"]["author"] == "operator"
    # read-only: the lead cannot write into it
    assert await lee.refused("chat.send", {"chat_id": chat["id"], "client_msg_id": "x", "text": "hi"}) == \
        "conflict"
    entries, _ = await server.db.call(functools.partial(repository.audit_page, action="chat.observe"))
    assert [(e.actor, e.subject, e.detail) for e in entries] == [
        (lee.login["operator"]["id"], visitor.visitor_id, {"chat_id": chat["id"]})]
    assert await ann.refused("chat.observe", {"chat_id": chat["id"]}) == "forbidden"
    await lee.ok("chat.unobserve", {"chat_id": chat["id"]})
    await visitor.ok("chat.send", {"client_msg_id": "k10", "text": "third"})
    await ann.push("chat.message", lambda p: p["message"]["text"] == "third")
    await lee.ok("ping")   # anything pushed to lee before this answer has arrived by now
    assert "third" not in [p["message"]["text"] for p in lee.pushes_of("chat.message")]
    # observing again, then the chat closes: the observer hears it, and nothing after
    await lee.ok("chat.observe", {"chat_id": chat["id"]})
    await ann.ok("chat.close", {"chat_id": chat["id"]})
    closed = await lee.push("chat.updated", lambda p: p["chat"]["id"] == chat["id"]
                            and p["chat"]["state"] == "closed")
    assert closed["chat"]["closed_at"]
    assert await lee.refused("chat.observe", {"chat_id": chat["id"]}) == "not_found"
    await asyncio.gather(*(c.close() for c in (ann, lee, visitor)))


@pytest.mark.asyncio
async def test_views_of_cached_transcripts_reach_the_audit_log(server):
    ann = await login(server, "ann")
    visitor, chat = await chat_with(server, ann, name="Ada", email="a@example.org", texts=["hi"])
    read_at = "2026-11-23T10:00:00.000Z"
    await ann.ok("audit.report", {"views": [{"chat_id": chat["id"], "at": read_at},
                                            {"chat_id": "ch_gone", "at": read_at}]})
    read_cached = functools.partial(repository.audit_page, action="transcripts.read_cached")
    entries, _ = await server.db.call(read_cached)
    assert sorted((e.subject or "", e.detail["chat_id"], e.detail["read_at"], e.actor) for e in entries) == [
        ("", "ch_gone", read_at, ann.login["operator"]["id"]),
        (visitor.visitor_id, chat["id"], read_at, ann.login["operator"]["id"]),
    ]
    assert await ann.refused("audit.report", {"views": []}) == "bad_request"
    await ann.close()
    await visitor.close()


def test_migration_50_keeps_existing_chats_and_adds_reviews(tmp_path):
    import sqlcipher3

    from operator_desk.server import migrations

    conn = schema_at(tmp_path / "db", 40)
    conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) "
                 "VALUES ('v_1', 'x', 't', 't')")
    conn.execute("INSERT INTO chats (id, visitor_id, state, started_at) "
                 "VALUES ('ch_1', 'v_1', 'closed', 't')")
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    dict(migrations.MIGRATIONS)[50](conn)
    conn.execute("COMMIT")
    assert conn.execute("SELECT id, accepted_at, consent_seq_at_start FROM chats").fetchall() == [
        ("ch_1", None, None)]   # an old chat counts in no duration and has no consent window
    conn.execute("INSERT INTO reviews (id, chat_id, author_name, rating, note, at) "
                 "VALUES ('rv_1', 'ch_1', 'Lee', 3, '', 't')")
    with pytest.raises(sqlcipher3.IntegrityError):   # neither a rating nor a note
        conn.execute("INSERT INTO reviews (id, chat_id, author_name, note, at) "
                     "VALUES ('rv_2', 'ch_1', 'L', '', 't')")
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("UPDATE reviews SET note = 'changed'")
    conn.execute("DELETE FROM chats")
    assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)   # they go with the chat
    conn.close()
