"""The async facade: every call runs on the store's worker thread, in order, with the same errors."""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from store_helpers import NOW, make_chat, make_message

from operator_desk.store import RawKey, Store, StoreClosed, WrongKey


@pytest.mark.asyncio
async def test_round_trip_off_the_event_loop_thread(cache_file: Path, key: RawKey) -> None:
    threads: set[int] = set()

    def clock() -> datetime:  # the store asks for the time on whatever thread it runs on
        threads.add(threading.get_ident())
        return NOW

    async with await Store.open(cache_file, key, clock=clock) as store:
        await store.upsert_chats([make_chat()])
        assert await store.upsert_messages([make_message("m1", "async hello")]) == 1
        await store.outbox_add("c1", "cm1", "pending reply")
        assert [h.message.id for h in (await store.search("hello")).hits] == ["m1"]
        assert [e.client_msg_id for e in await store.outbox_pending()] == ["cm1"]
    assert threads and threading.get_ident() not in threads
    assert len(threads) == 1


@pytest.mark.asyncio
async def test_concurrent_calls_run_one_after_another_in_order(cache_file: Path, key: RawKey) -> None:
    async with await Store.open(cache_file, key) as store:
        await store.upsert_chats([make_chat()])
        await asyncio.gather(*(store.outbox_add("c1", f"cm{i}", f"text {i}") for i in range(50)))
        assert [e.client_msg_id for e in await store.outbox_pending()] == [f"cm{i}" for i in range(50)]
        assert await store.outbox_ack("cm0")
        assert len(await store.outbox_pending("c1")) == 49


@pytest.mark.asyncio
async def test_errors_reach_the_awaiting_caller(cache_file: Path, key: RawKey) -> None:
    store = await Store.open(cache_file, key)
    await store.close()
    with pytest.raises(StoreClosed):
        await store.list_chats()
    with pytest.raises(WrongKey):
        await Store.open(cache_file, RawKey(os.urandom(32)))
