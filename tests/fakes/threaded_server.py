"""The real server, in-process on its own asyncio loop in a thread: for synchronous tests (selenium, a
subprocess such as nginx) that need it running beside them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from operator_desk.server.embedded import RunningServer, ServerOptions, start_server


class ThreadedServer:
    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="server-loop", daemon=True)
        self.running: RunningServer

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        self.running = self.call(start_server(self.options))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.call(self.running.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(30)
            self.loop.close()
