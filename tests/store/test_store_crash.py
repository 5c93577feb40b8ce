"""A writer killed with SIGKILL mid-write leaves a cache that opens with every committed row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from store_helpers import BlockingStore

from operator_desk.store import RawKey

# Writes one message and one outbox entry per transaction, forever, and prints each committed index.
WRITER = """
import asyncio, os, sys
from pathlib import Path
from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.store import RawKey, Store

async def write_forever():
    db = await Store.open(Path(sys.argv[1]), RawKey(bytes.fromhex(os.environ["CACHE_KEY_HEX"])))
    await db.upsert_chats([Chat(id="c1", visitor_id="v1", state=ChatState.ACTIVE, started_at=now_ts())])
    i = 0
    while True:
        message = Message(id=f"m{i}", chat_id="c1", author=Author.OPERATOR, text=f"line {i}", at=now_ts())
        await db.upsert_messages([message])
        await db.outbox_add("c1", f"cm{i}", f"unsent {i}")
        print(i, flush=True)
        i += 1

asyncio.run(write_forever())
"""

COMMITTED_BEFORE_KILL = 300


def test_killed_writer_loses_no_committed_row(cache_file: Path, key: RawKey) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(cache_file)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "CACHE_KEY_HEX": key.material.hex()},
    )
    committed: list[int] = []
    try:
        assert child.stdout is not None
        while len(committed) < COMMITTED_BEFORE_KILL:
            line = child.stdout.readline()
            assert line, "the writer stopped before it was killed"
            committed.append(int(line))
        child.send_signal(signal.SIGKILL)  # while it is in the middle of further writes
        rest, _ = child.communicate()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    committed.extend(int(line) for line in rest.split())

    db = BlockingStore.open(cache_file, key)
    try:
        stored = {m.id for m in db.chat_messages("c1", limit=1_000_000)}
        assert {f"m{i}" for i in committed} <= stored
        # The outbox is still there, in the order written (a message may be committed before the print).
        outbox = [entry.client_msg_id for entry in db.outbox_pending()]
        assert outbox[: len(committed)] == [f"cm{i}" for i in committed]
    finally:
        db.close()
