"""A scripted operator endpoint for transport tests: a real websockets server on 127.0.0.1 port 0.

It speaks just enough protocol v1 for the session supervisor (login by password or token, resume from a
replay buffer, ping, logout) and lets a test misbehave on purpose: drop every connection, stop answering
pings, send malformed frames or unknown pushes, say ``session.closing``, revoke the token.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

PASSWORD = "demo"
OPERATOR = {"id": "op-1", "name": "Olga", "role": "supervisor"}


class FakeOperatorServer:
    def __init__(self) -> None:
        self.server: Server | None = None
        self.port = 0
        self.connections: set[ServerConnection] = set()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.tokens: set[str] = set()
        self.sessions: dict[str, list[tuple[int, str]]] = {}  # session id -> sent pushes (seq, frame)
        self.session_of: dict[ServerConnection, str] = {}
        self.answer_pings = True
        self.replay_limit: int | None = None  # pushes kept for resume; None: all
        self.logins: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.connected: asyncio.Queue[ServerConnection] = asyncio.Queue()
        self.handlers: dict[str, Any] = {}  # action -> callable(payload) -> response payload
        self._next_session = 0
        self._next_token = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/operator"

    async def start(self, port: int = 0) -> FakeOperatorServer:
        self.server = await serve(self._handle, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1] if port == 0 else port
        return self

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    # -- what a test does -------------------------------------------------------------------------

    async def push(self, action: str, payload: dict[str, Any]) -> None:
        """Send a push to every logged-in connection, numbered on its session."""
        for ws, session_id in list(self.session_of.items()):
            log = self.sessions[session_id]
            seq = len(log) + 1
            frame = json.dumps({"v": 1, "type": "push", "seq": seq, "action": action, "payload": payload})
            log.append((seq, frame))
            await ws.send(frame)

    async def send_raw(self, frame: str) -> None:
        for ws in list(self.session_of):
            await ws.send(frame)

    def drop_all(self) -> None:
        """Cut every connection without a closing handshake, as a crash or a network loss would."""
        for ws in list(self.connections):
            ws.transport.abort()

    def revoke_all_tokens(self) -> None:
        self.tokens.clear()

    # -- protocol ---------------------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections.add(ws)
        self.connected.put_nowait(ws)
        try:
            async for frame in ws:
                message = json.loads(frame)
                action = message["action"]
                payload = message["payload"]
                self.requests.append((action, payload))
                answer = await self._answer(ws, action, payload)
                if answer is None:
                    continue
                ok, body, after = answer
                if ok:
                    reply = {"v": 1, "type": "res", "id": message["id"], "ok": True, "payload": body}
                else:
                    reply = {"v": 1, "type": "res", "id": message["id"], "ok": False, "error": body}
                await ws.send(json.dumps(reply))
                for extra in after:
                    await ws.send(extra)
        except Exception:  # a dropped connection: the test looks at what the client did
            pass
        finally:
            self.connections.discard(ws)
            self.session_of.pop(ws, None)

    async def _answer(self, ws: ServerConnection, action: str, payload: dict[str, Any]):
        if action == "auth.login":
            return self._login(ws, payload)
        if action == "ping":
            return (True, {}, []) if self.answer_pings else None
        if action == "auth.logout":
            self.tokens.discard(payload.get("token", ""))
            self.tokens.clear()
            return True, {}, []
        handler = self.handlers.get(action)
        if handler is not None:
            result = handler(payload)
            if asyncio.iscoroutine(result):
                result = await result
            return True, result, []
        return False, {"code": "unknown_action", "message": "not scripted"}, []

    def _login(self, ws: ServerConnection, payload: dict[str, Any]):
        self.logins.put_nowait(payload)
        if payload.get("token"):
            if payload["token"] not in self.tokens:
                return False, {"code": "invalid_credentials", "message": "bad token"}, []
        elif payload.get("password") != PASSWORD:
            return False, {"code": "invalid_credentials", "message": "bad password"}, []
        self._next_token += 1
        token = payload.get("token") or f"tok-{self._next_token}"
        self.tokens.add(token)
        resume = payload.get("resume")
        replay: list[str] = []
        resumed = False
        if resume and resume["session_id"] in self.sessions:
            log = self.sessions[resume["session_id"]]
            missing = [frame for seq, frame in log if seq > resume["last_seq"]]
            if self.replay_limit is None or len(missing) <= self.replay_limit:
                resumed = True
                session_id = resume["session_id"]
                replay = missing
        if not resumed:
            self._next_session += 1
            session_id = f"s-{self._next_session}"
            self.sessions[session_id] = []
        self.session_of[ws] = session_id
        body = {"session_id": session_id, "token": token, "operator": OPERATOR, "resumed": resumed,
                "server": {"name": "fake", "version": "0"}}
        return True, body, replay
