"""Two server nodes joined by a real Redis (``ServerOptions.bus``): an erasure on node A reaches node B's
operators and purges B's replay buffers; when the bus loses its history (Redis restarted empty) node B's
operators are disconnected and their resume is refused (``resumed: false``), never continued over the
gap. The nodes share one PostgreSQL database (several nodes on SQLCipher files are refused:
test_server_cluster.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from test_server_erasure_replay import last_seq, resume
from test_server_subjects import NAME, person_with_history

from operator_desk.domain.model import Page, Visitor, VisitorState
from operator_desk.protocol.messages import VisitorUpsert
from operator_desk.server.bus import Erasure
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.cluster import Site, started_nodes
from tests.kit.visitors import arrive

# Losing Redis on purpose logs warnings. Several nodes share one PostgreSQL database.
pytestmark = [pytest.mark.asyncio, pytest.mark.allow_log_warnings, pytest.mark.postgresql_only]


@pytest_asyncio.fixture
async def site(tmp_path, redis_server) -> AsyncIterator[Site]:
    async with started_nodes(tmp_path, redis_server.url) as nodes:
        yield nodes


def about(visitor_id: str) -> VisitorUpsert:
    return VisitorUpsert(visitor=Visitor(id=visitor_id, state=VisitorState.BROWSING, name=NAME,
                                         page=Page(url="http://shop.example/", title="Shop"),
                                         on_site_since="2026-12-01T10:00:00.000Z"))


async def test_an_erasure_on_one_node_reaches_the_operators_and_buffers_of_the_other(site):
    a, b = site
    ann = await login(a, "ann")
    ben = await login(b, "ben")
    person, _ = await person_with_history(a, ann)
    # Node B holds a push about the person in ben's buffer, as a node holds pushes about a visitor
    # connected to it.
    session = b.hub.sessions[ben.login["session_id"]]
    b.hub.push([session], "visitor.upsert", about(person.visitor_id), subject=person.visitor_id)
    assert any(NAME in frame for frame in session.replay.frames)

    await erase_with_approval(await login(a, "sue"), await login(a, "sam"), person.visitor_id, "Art. 17")
    erased = await ben.push("subject.erased")
    assert erased["visitor_id"] == person.visitor_id
    assert not any(NAME in frame for frame in session.replay.frames)
    # On A, through the bus as well: told once.
    assert (await ann.push("subject.erased"))["visitor_id"] == person.visitor_id
    # The bus keeps one order: once a later event is in, a second notice would have come before it.
    a.hub.bus.publish(Erasure(visitor_id="v_marker", origin="test"))
    await ann.push("subject.erased", lambda p: p["visitor_id"] == "v_marker")
    assert [p["visitor_id"] for p in ann.pushes_of("subject.erased")] == [person.visitor_id, "v_marker"]


async def test_an_erasure_on_one_node_drops_the_persons_key_from_every_nodes_cache(site):
    a, b = site
    person, chat_id = await person_with_history(a, await login(a, "ann"))
    # Node B reads the person's transcript: its worker opens their sealed fields and keeps their key.
    transcript = await (await login(b, "lee")).ok("transcripts.get", {"chat_id": chat_id})
    assert NAME in str(transcript)
    keys_of = {node: node.db._engine.sealer._keys for node in site}
    assert person.visitor_id in keys_of[b]

    ben = await login(b, "ben")
    await erase_with_approval(await login(a, "sue"), await login(a, "sam"), person.visitor_id, "Art. 17")
    await ben.push("subject.erased", lambda p: p["visitor_id"] == person.visitor_id)
    await b.db.call(lambda conn: None)   # the worker runs jobs in order: B's drop has run
    assert person.visitor_id not in keys_of[a] and person.visitor_id not in keys_of[b]


async def test_a_lost_bus_history_refuses_every_resume_on_the_node(site, redis_server):
    a, b = site
    ben = await login(b, "ben")
    await ben.ok("visitors.subscribe")
    visitor = await arrive(a)
    await ben.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor.visitor_id)
    copy = b.hub.visitors[visitor.visitor_id]
    seq = last_seq(ben)

    redis_server.restart()   # persistence off: the stream and its epoch are gone; B may have missed events
    await ben.closed
    again, response = await resume(b, ben, seq)
    assert response["resumed"] is False and response["session_id"] != ben.login["session_id"]
    # B dropped its copies of A's visitors (they may be stale) and asked A for them again.
    await site.until(lambda: b.hub.visitors.get(visitor.visitor_id) not in (None, copy))
    listed = (await again.ok("visitors.subscribe"))["visitors"]
    assert visitor.visitor_id in {v["id"] for v in listed}

