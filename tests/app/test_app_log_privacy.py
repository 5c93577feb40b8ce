"""The whole desk (``python -m operator_desk``, signed in with a token from the keyring, with a real
encrypted cache) at DEBUG through a chat: its log holds no personal data, no sign-in token and no cache
key. Libraries log payloads at DEBUG (websockets its frames, qasync the arguments and results of every
call it runs in a thread: a token read from the keyring); the app pins them above DEBUG."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sys
from pathlib import Path

import pytest
import sqlcipher3

from tests.kit.clients import login
from tests.kit.keyrings import file_keyring_env
from tests.kit.servers import fast_settings, start
from tests.kit.visitors import arrive, consent

pytestmark = pytest.mark.slow

PROFILE = "logtest"
WAIT = 60.0
PERSON = {"name": "Grace Hopperfield", "email": "grace.hopperfield@example.net"}
WORDS = "my parcel Zebulon-4471 never arrived"
IP = "192.0.2.10"  # the bundled directory: Berlin, Spreewald Logistik GmbH


def cached_text(cache: Path, key_hex: str) -> str:
    """Every row of the desk's decrypted cache, as text ("" while it has no chat yet)."""
    if not cache.exists():
        return ""
    conn = sqlcipher3.connect(str(cache))
    try:
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    except sqlcipher3.dbapi2.DatabaseError:
        return ""   # not written yet (or mid-migration)
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_the_whole_desk_at_debug_logs_no_personal_data_token_or_key(tmp_path):
    server = await start(tmp_path / "server", demo=True, settings=fast_settings(visitor_grace=30.0))
    desk = None
    try:
        await server.add_operator("ann", "correct horse", "operator", "Ann")
        ann = await login(server, "ann", "correct horse")
        token = ann.login["token"]
        await ann.close()
        keyring_file = tmp_path / "keyring.json"
        keyring_file.write_text(json.dumps({f"operator-desk/{PROFILE}:token": token}))
        env = dict(os.environ)
        env.update(QT_QPA_PLATFORM="offscreen", OPERATOR_DESK_LOG="DEBUG", HOME=str(tmp_path / "home"),
                   XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
                   XDG_DATA_HOME=str(tmp_path / "data"))
        env = file_keyring_env(keyring_file, env)
        desk = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "operator_desk", "--server", server.url, "--profile", PROFILE,
            "--lang", "en", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        log: list[str] = []

        async def read_log() -> None:
            async for line in desk.stderr:
                log.append(line.decode())

        reader = asyncio.ensure_future(read_log())

        async def until(predicate, what: str) -> None:
            async def wait() -> None:
                while not predicate():
                    assert desk.returncode is None, f"the desk ended before {what}:\n{''.join(log)[-3000:]}"
                    await asyncio.sleep(0.05)
            await asyncio.wait_for(wait(), WAIT)

        await until(lambda: any("signed in" in line for line in log), "signing in")
        visitor = await arrive(server, ip=IP)
        for purpose in ("chat", "visitor_insights"):
            await consent(visitor, purpose, granted=True, method="prechat_form")
        await visitor.ok("chat.start", {**PERSON, "message": WORDS})
        try:
            key_hex = json.loads(keyring_file.read_text())[f"operator-desk/{PROFILE}"]
            cache = next((tmp_path / "data").rglob("cache.sqlite3"))
            # The desk got it all and cached it: so its log had every chance to show it.
            expected = (WORDS, PERSON["name"], PERSON["email"], IP)
            await until(lambda: all(v in cached_text(cache, key_hex) for v in expected), "caching the chat")
        finally:
            await visitor.close()
        desk.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(desk.wait(), WAIT) == 0
        await reader
    finally:
        if desk is not None and desk.returncode is None:
            desk.kill()
            await desk.wait()
        await server.close()
    text = "".join(log)
    assert "DEBUG" in text and "signed in" in text   # it did log at DEBUG
    key = bytes.fromhex(key_hex)
    secrets = {"token": token, "cache key": key_hex, "cache key (upper)": key_hex.upper(),
               "cache key (bytes)": repr(key)[2:-1], "cache key (base64)": base64.b64encode(key).decode()}
    personal = {**PERSON, "message": WORDS, "ip": IP, "company": "Spreewald Logistik"}
    found = {what: value for what, value in {**secrets, **personal}.items() if value in text}
    assert not found, f"in the desk's DEBUG log: {sorted(found)}"
