"""The operator's status on the desk against the real server (services/presence.py): set with
presence.set, held once the server has it, told again to a new session after a restart, and back to
away at sign-out."""

from __future__ import annotations

import desk_harness
import pytest
from desk_harness import Events, open_server, signed_in

from operator_desk.protocol.messages import Empty
from operator_desk.services.events import ConnectionChanged, ConnectionState, PresenceChanged, SignedIn

desks, memory_keyring = desk_harness.desks, desk_harness.memory_keyring


async def status_on_server(desk, operator_id: str) -> str:
    listed = await desk.session.request("presence.list", Empty())
    return next(p.status for p in listed.operators if p.operator.id == operator_id)


@pytest.mark.asyncio
async def test_the_status_is_set_on_the_server_and_told_again_to_a_new_session(tmp_path, memory_keyring,
                                                                              desks):
    data = tmp_path / "server"
    running = await open_server(data)
    try:
        events = Events()
        desk = await signed_in(desks(running.url, events, None, profile="lead"), events, "lead")
        assert (await events.wait_for(PresenceChanged)).status == "away"   # the server's at sign-in
        me = desk.operator.id

        await desk.set_presence("busy")
        assert events.of(PresenceChanged)[-1].status == "busy" and desk.presence.status == "busy"
        assert await status_on_server(desk, me) == "busy"

        port = running.port
        await running.close()   # the server restarts: no session to resume, every status gone
        await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
        mark = len(events.log)
        running = await open_server(data, port)
        assert not (await events.wait_for(SignedIn, after=mark)).resumed
        await events.wait_for(PresenceChanged, after=mark)
        assert await status_on_server(desk, me) == "busy"   # the desk said it again
        assert desk.presence.status == "busy"

        await desk.sign_out()
        assert events.of(PresenceChanged)[-1].status == "away"
    finally:
        await running.close()
