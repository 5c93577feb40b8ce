"""A snapshot's items still waiting to be shown (Qt-free).

At 50,000 visitors the visitor list shows a snapshot's first page at once and takes the rest in slices
across event-loop turns; meanwhile newer news about a waiting item (an update, a departure) wins, and
the item leaves the queue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

from operator_desk.ui.models.row_events import HasId

T = TypeVar("T", bound=HasId)


class SnapshotQueue(Generic[T]):
    def __init__(self) -> None:
        self._order: Sequence[T] = ()         # as they came
        self._by_id: Mapping[str, T] = {}     # the snapshot's items, never changed here
        self._gone: set[str] = set()          # ids of it taken, or forgotten for newer news
        self._next = 0

    def __len__(self) -> int:
        return len(self._by_id) - len(self._gone)

    def fill(self, items: Sequence[T], by_id: Mapping[str, T] | None = None) -> None:
        """These items wait, in this order, and no others. ``by_id``: the same items by id, when the
        caller has them so (indexing 50,000 items again costs 20-50 ms); it is only read."""
        self._order = items
        self._by_id = by_id if by_id is not None else {item.id: item for item in items}
        self._gone = set()
        self._next = 0

    def get(self, item_id: str) -> T | None:
        return None if item_id in self._gone else self._by_id.get(item_id)

    def forget(self, item_id: str) -> None:
        """Newer news about this item came: it no longer waits here."""
        if item_id in self._by_id:
            self._gone.add(item_id)

    def take(self, limit: int) -> list[T]:
        """Up to ``limit`` waiting items, in the order they came."""
        taken: list[T] = []
        order, by_id, gone = self._order, self._by_id, self._gone
        at = self._next
        while len(taken) < limit and at < len(order):
            item = order[at]
            at += 1
            # Not taken or forgotten yet, and its last version if the snapshot named it twice.
            if item.id not in gone and by_id.get(item.id) is item:
                gone.add(item.id)
                taken.append(item)
        self._next = at
        if len(gone) >= len(by_id):
            self.fill(())
        return taken
