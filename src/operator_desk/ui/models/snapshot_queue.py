"""A snapshot's items still waiting to be shown (Qt-free).

At 50,000 visitors the visitor list shows a snapshot's first page at once and takes the rest in slices
across event-loop turns; meanwhile newer news about a waiting item (an update, a departure) wins, and
the item leaves the queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from operator_desk.ui.models.row_events import HasId

T = TypeVar("T", bound=HasId)


class SnapshotQueue(Generic[T]):
    def __init__(self) -> None:
        self._waiting: dict[str, T] = {}
        self._order: list[T] = []    # as they came; an entry no longer in _waiting is skipped
        self._next = 0

    def __len__(self) -> int:
        return len(self._waiting)

    def fill(self, items: Iterable[T]) -> None:
        """These items wait, in this order, and no others."""
        self._order = list(items)
        self._next = 0
        self._waiting = {item.id: item for item in self._order}

    def get(self, item_id: str) -> T | None:
        return self._waiting.get(item_id)

    def forget(self, item_id: str) -> None:
        """Newer news about this item came: it no longer waits here."""
        self._waiting.pop(item_id, None)

    def take(self, limit: int) -> list[T]:
        """Up to ``limit`` waiting items, in the order they came."""
        taken: list[T] = []
        order, waiting = self._order, self._waiting
        at = self._next
        while waiting and len(taken) < limit and at < len(order):
            item = order[at]
            at += 1
            if waiting.get(item.id) is item:   # not replaced or removed by a newer batch meanwhile
                del waiting[item.id]
                taken.append(item)
        self._next = at
        if not waiting:
            self._order, self._next = [], 0
        return taken
