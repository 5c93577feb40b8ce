"""The server's disk is full while an operator types: the server answers ``storage_unavailable``, and the
desk keeps the message in its outbox, still sending, instead of dropping it as refused; once space is
back, the next message takes it along, in order. Nothing typed is lost. (A real full disk: the server's
data folder on a small tmpfs; see tests/kit/faults.py for when this skips.)"""

from __future__ import annotations

import pytest

from operator_desk.services.events import DeliveryState, Failure, FailureCode, MessageDelivered
from tests.kit.desks import Events, desk_accepts, signed_in
from tests.kit.faults import small_disk
from tests.kit.servers import start_demo
from tests.kit.visitors import arrive


@pytest.mark.asyncio
@pytest.mark.allow_log_warnings
async def test_a_message_the_server_cannot_store_waits_in_the_outbox(tmp_path, store, memory_keyring, desks):
    with small_disk(tmp_path / "server-disk") as disk:
        server = await start_demo(disk.root / "data")
        visitor = await arrive(server)
        events = Events()
        desk = desks(server.url, events, store)
        try:
            await signed_in(desk, events)
            chat_id = await desk_accepts(desk, events, visitor, name="Ada")

            disk.fill()
            first = await desk.send_message(chat_id, "typed while the disk was full")
            failure = await events.wait_for(Failure, lambda e: e.action == "chat.send")
            assert failure.code is FailureCode.INTERNAL  # "nothing was changed; try again in a moment"
            assert [m.state for m in desk.messages_of(chat_id) if m.client_msg_id == first] == [
                DeliveryState.SENDING]
            assert [e.text for e in await store.outbox_pending()] == ["typed while the disk was full"]

            disk.free()
            mark = len(events.log)
            second = await desk.send_message(chat_id, "and after")
            await events.wait_for(MessageDelivered, lambda e: e.client_msg_id == second, after=mark)
            assert [m.state for m in desk.messages_of(chat_id)] == [DeliveryState.DELIVERED] * 2
            assert await store.outbox_pending() == []
            texts = [(await visitor.push("chat.message"))["message"]["text"] for _ in range(2)]
            assert texts == ["typed while the disk was full", "and after"]  # once each, in order
        finally:
            # The desk first: left connected, it would reconnect while the server closes, and the
            # connection accepted then outlives the test (an unclosed-socket warning in the next one).
            await desk.close()
            await visitor.close()
            await server.close()
