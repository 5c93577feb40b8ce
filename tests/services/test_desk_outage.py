"""The key promise of the outbox: messages the operator sends while the server cannot be reached
arrive once each when it can again, and nothing is lost or duplicated in either transcript.

Two outages: the network between desk and server cut (the server keeps running: the session resumes),
and the server itself stopped and started again on the same data and port (the session cannot resume:
the desk resyncs)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from operator_desk.services.events import (
    ConnectionChanged,
    ConnectionState,
    DeliveryState,
    MessageDelivered,
    SignedIn,
)
from tests.kit.desks import Events, desk_accepts, signed_in
from tests.kit.servers import start_demo
from tests.kit.visitors import arrive, transcript_after_return


class TcpProxy:
    """A TCP relay on a fixed port: closing it is a network outage the server does not notice."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()
        self._cut = False

    async def start(self, port: int = 0) -> TcpProxy:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The desk reconnects at once, so a connection can arrive while (or just after) the proxy is
        # cut: it is tracked from its first moment and aborted if the cut came first, or its socket
        # would outlive the test (an unclosed-socket warning in a later test's setup).
        self._writers.add(writer)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.add(upstream_writer)
        if self._cut:
            self._abort_all()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        for task in (asyncio.create_task(pipe(reader, upstream_writer)),
                     asyncio.create_task(pipe(upstream_reader, writer))):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _abort_all(self) -> None:
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    async def cut(self) -> None:
        self._cut = True
        self._server.close()
        self._abort_all()
        await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._abort_all()  # a relay that was still opening its upstream when the listener closed



def texts(messages, author=None):
    return [m["text"] if isinstance(m, dict) else m.text for m in messages
            if author is None or (m["author"] if isinstance(m, dict) else m.author) == author]


@pytest.mark.asyncio
async def test_messages_sent_during_a_network_outage_arrive_once(server, store, memory_keyring, desks,
                                                                 visitors):
    proxy = await TcpProxy(server.port).start()
    events = Events()
    desk = desks(f"ws://127.0.0.1:{proxy.port}", events, store)
    await signed_in(desk, events)
    client = await visitors(server)
    chat_id = await desk_accepts(desk, events, client, name="Ada", message="Hi")
    await desk.send_message(chat_id, "before the outage")
    await events.wait_for(MessageDelivered)

    port = proxy.port
    await proxy.cut()
    await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
    offline = [await desk.send_message(chat_id, f"offline {n}") for n in range(3)]
    states = {m.client_msg_id: m.state for m in desk.messages_of(chat_id)}
    assert [states[c] for c in offline] == [DeliveryState.SENDING] * 3
    assert [e.text for e in await store.outbox_pending()] == ["offline 0", "offline 1", "offline 2"]
    await client.ok("chat.send", {"client_msg_id": "v-2", "text": "are you there?"})

    proxy = await TcpProxy(server.port).start(port)
    try:
        await events.until(lambda: all(m.state is DeliveryState.DELIVERED for m in desk.messages_of(chat_id)))
    finally:
        await proxy.cut()
    assert await store.outbox_pending() == []

    seen_by_visitor = []
    while len(seen_by_visitor) < 4:
        seen_by_visitor.append((await client.push("chat.message"))["message"]["text"])
    assert seen_by_visitor == ["before the outage", "offline 0", "offline 1", "offline 2"]
    expected = ["Hi", "before the outage", "are you there?", "offline 0", "offline 1", "offline 2"]
    other = desks(server.url, Events(), None, profile="lead")
    await other.sign_in("supervisor", "demo")
    transcript = await other.get_transcript(chat_id)
    assert texts(transcript.messages) == expected
    # The desk heard the visitor's message sent during the outage (replayed on resume), once.
    assert sorted(texts(desk.messages_of(chat_id))) == sorted(expected)
    await desk.flush()
    assert sorted(texts(await store.chat_messages(chat_id))) == sorted(expected)


@pytest.mark.asyncio
async def test_messages_sent_while_the_server_is_down_arrive_once_after_restart(
        tmp_path, store, memory_keyring, desks):
    data = tmp_path / "server-data"
    running = await start_demo(data)
    port = running.port
    client = await arrive(running)
    try:
        events = Events()
        desk = desks(running.url, events, store)
        await signed_in(desk, events)
        chat_id = await desk_accepts(desk, events, client, name="Ada", message="Hi")
        await desk.send_message(chat_id, "before the crash")
        await events.wait_for(MessageDelivered)
        await client.push("chat.message")

        await running.close()
        await client.close()
        await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
        offline = [await desk.send_message(chat_id, f"while down {n}") for n in range(3)]
        assert {m.state for m in desk.messages_of(chat_id) if m.client_msg_id in offline} == {
            DeliveryState.SENDING}

        mark = len(events.log)
        running = await start_demo(data, port=port)
        # The visitor's browser comes back as the widget does: visitor.hello with its visitor_token.
        client = await arrive(running, token=client.token)
        assert client.hello["chat"]["id"] == chat_id
        await events.wait_for(SignedIn, after=mark)
        await events.until(lambda: all(m.state is not DeliveryState.SENDING
                                       for m in desk.messages_of(chat_id)))
        states = [m.state for m in desk.messages_of(chat_id) if m.client_msg_id in offline]
        assert states == [DeliveryState.DELIVERED] * 3
        assert await store.outbox_pending() == []
        expected = ["Hi", "before the crash", "while down 0", "while down 1", "while down 2"]

        # The visitor's transcript: what its hello showed (the desk may have flushed before the
        # browser was back), then what was pushed after; each message once.
        assert await transcript_after_return(client, len(expected)) == expected

        transcript = await desk.get_transcript(chat_id)
        assert texts(transcript.messages) == expected
        assert texts(desk.messages_of(chat_id)) == expected
        await desk.flush()
        assert sorted(texts(await store.chat_messages(chat_id))) == sorted(expected)
    finally:
        await client.close()
        await running.close()
