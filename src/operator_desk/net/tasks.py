"""An owner for background tasks: it keeps a reference to each (so none is garbage collected while
running), logs the ones that fail when they fail, and cancels them all on close (STYLE §2).

It lives in ``net`` because the session, the lowest layer that starts tasks, needs one; the services and
the app use the same."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class TaskOwner:
    def __init__(self, log: logging.Logger) -> None:
        """``log`` is the owner's logger: a failed task is logged there, as "<its name> failed"."""
        self._log = log
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def __contains__(self, task: object) -> bool:
        return task in self._tasks

    def __len__(self) -> int:
        """Tasks still running."""
        return len(self._tasks)

    def _done(self, task: asyncio.Task[Any]) -> None:
        # Retrieve a failure at once: otherwise it surfaces only as "Task exception was never
        # retrieved", if ever.
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._log.error("%s failed", task.get_name(), exc_info=task.exception())

    async def close(self) -> None:
        """Cancel every task but the one calling, and wait until they have ended."""
        tasks = [task for task in self._tasks if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
