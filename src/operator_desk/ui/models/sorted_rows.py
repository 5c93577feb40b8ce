"""The visitor list's rows without Qt: which items are shown, in which order, kept so at 10,000 items and
1,000 updates a second.

``SortedRows`` holds every known item (by id) and the visible ones, filtered and in sort order, with an
id -> row map. It tells a view about each change through :class:`RowEvents` before and after it
happens (the Qt model turns those into ``beginInsertRows``/``endInsertRows`` and friends), so the
algorithm can be read and tested here on its own, the way napari keeps its ``EventedList`` apart from
the Qt model over it.

How it stays fast:

- while sorted, each row's sort key is kept next to it; a changed or new row is updated in place at
  once and marked unsorted; :meth:`resort` takes only the unsorted rows out and merges them back by
  bisection (list copies in C, a few Python steps per moved row), or sorts everything when many moved;
- removals go in runs of adjacent rows, one event pair per run (a rebuild when the runs are many);
- a snapshot (:meth:`replace_all`) shows a first page at once; the rest waits, in arrival order, for
  :meth:`load` to take it in slices across event-loop turns, and newer news about a waiting item wins.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from typing import Any, Generic, Protocol, TypeVar

# Beyond this many separate runs of removed rows a rebuild is cheaper than many remove events.
MAX_REMOVE_RUNS = 32
# When more than 1/FULL_SORT_SHARE of the rows are out of place, one sort beats bisection.
FULL_SORT_SHARE = 8


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)
Key = tuple[Any, str]   # the column's sort key, then the id: equal keys keep one order, none are equal


class RowEvents:
    """What a view of the rows hears, around each change. These do nothing: a view overrides what it
    needs (the Qt model all of them), and rows nobody watches use this as it is."""

    def inserting(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` are about to be added (at the end)."""

    def inserted(self) -> None: ...

    def removing(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` are about to be removed."""

    def removed(self) -> None: ...

    def changed(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` (and some between) were updated in place."""

    def reordering(self) -> None:
        """The rows are about to change order (none added or removed)."""

    def reordered(self) -> None: ...

    def resetting(self) -> None:
        """Every row is about to be replaced."""

    def reset(self) -> None: ...


def _bisect_descending(keys: Sequence[Key], key: Key, lo: int) -> int:
    """Where ``key`` goes in ``keys`` sorted from largest to smallest (keys are unique)."""
    hi = len(keys)
    while lo < hi:
        middle = (lo + hi) // 2
        if keys[middle] > key:
            lo = middle + 1
        else:
            hi = middle
    return lo


class SortedRows(Generic[T]):
    def __init__(self, events: RowEvents | None = None, *, prepare: Callable[[T], T] = lambda item: item,
                 ) -> None:
        """``prepare`` is applied to every item on the way in (the visitor list redacts there)."""
        self._events = events or RowEvents()
        self._prepare = prepare
        self._all: dict[str, T] = {}
        self._rows: list[T] = []
        self._ids: list[str] = []          # the rows' ids, in row order (rebuilds _row_of fastest)
        self._row_of: dict[str, int] = {}
        # While sorted: each row's key, in row order. Rows not in _unsorted are in key order.
        self._keys: list[Key] = []
        self._unsorted: set[str] = set()
        self._sort_key: Callable[[T], Any] | None = None
        self.descending = False
        self._accepts: Callable[[T], bool] | None = None
        self._key_of: dict[str, Key] = {}  # key cache for the current order, visible or not
        # A snapshot still being loaded: items by id, and the order they came in.
        self._pending: dict[str, T] = {}
        self._load_queue: list[T] = []
        self._load_at = 0

    # -- reading --------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, item_id: str) -> int | None:
        return self._row_of.get(item_id)

    def item(self, item_id: str) -> T | None:
        """A known item, shown or not, also one still waiting in a snapshot."""
        item = self._all.get(item_id)
        if item is None and item_id in self._pending:
            item = self._prepare(self._pending[item_id])
        return item

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    @property
    def total(self) -> int:
        """Every known item, shown, filtered out or still waiting in a snapshot."""
        return len(self._all) + len(self._pending)

    @property
    def sorted(self) -> bool:
        return self._sort_key is not None

    @property
    def needs_resort(self) -> bool:
        return bool(self._unsorted)

    @property
    def is_loading(self) -> bool:
        return bool(self._pending)

    def sort_key(self, item: T) -> Key:
        """The item's key in the current order (remembered for later rebuilds)."""
        key = self._key_of.get(item.id)
        return key if key is not None else self._fresh_key(item)

    # -- changing -------------------------------------------------------------------------------------

    def replace_all(self, items: Iterable[T], first_page: int) -> None:
        """A snapshot: these items and no others. ``first_page`` of them are shown at once; the rest wait
        for :meth:`load`."""
        self._load_queue = list(items)
        self._load_at = 0
        self._pending = {item.id: item for item in self._load_queue}
        self._all, self._key_of = {}, {}
        self._take_pending(first_page)
        self.rebuild()

    def update(self, upserts: Iterable[T], removed: Iterable[str]) -> bool:
        """One batch: new and changed items, and ids that are gone. Returns whether rows were shown or
        hidden (the count changed); changed rows are updated in place, their order waits for
        :meth:`resort`."""
        removed = tuple(removed)
        upserts = tuple(upserts)
        if self._pending:   # this batch is newer than the snapshot still loading
            for item in upserts:
                self._pending.pop(item.id, None)
            for item_id in removed:
                self._pending.pop(item_id, None)
        sorting = self._sort_key is not None
        inserted: dict[str, T] = {}
        changed_rows: list[int] = []
        dropped: set[str] = set(removed)
        for raw in upserts:
            item = self._prepare(raw)
            item_id = item.id
            dropped.discard(item_id)
            self._all[item_id] = item
            row = self._row_of.get(item_id)
            if row is None:
                self._key_of.pop(item_id, None)
                if self._shows(item):
                    inserted[item_id] = item
                else:
                    inserted.pop(item_id, None)   # an earlier version in this batch matched, this does not
                continue
            if not self._shows(item):
                self._key_of.pop(item_id, None)
                dropped.add(item_id)  # it no longer matches the filter: hide it
                continue
            self._rows[row] = item
            changed_rows.append(row)
            if sorting:
                key = self._fresh_key(item)
                if key != self._keys[row]:
                    self._keys[row] = key
                    self._unsorted.add(item_id)
        for item_id in removed:
            self._all.pop(item_id, None)
            self._key_of.pop(item_id, None)
        # An id both upserted and removed in one batch is gone (the removal is applied last): not shown,
        # whether it had a row or not.
        dropped.update(removed)
        added = [item for item in inserted.values() if item.id in self._all]
        if changed_rows:
            self._events.changed(min(changed_rows), max(changed_rows))
        self._remove(dropped)
        self._append(added)
        return bool(added or dropped)

    def load(self, seconds: float, batch: int = 250) -> None:
        """Show more of a waiting snapshot, in batches, for about ``seconds``; in order once all is in."""
        if not self._pending:
            self.resort()   # the snapshot is in: put it in order at once, not at the next re-sort
            return
        deadline = time.perf_counter() + seconds
        while self._pending and time.perf_counter() < deadline:
            self._append([item for item in self._take_pending(batch) if self._shows(item)])

    def load_all(self) -> None:
        """Show the rest of a waiting snapshot now, in order."""
        self._append([item for item in self._take_pending(len(self._pending)) if self._shows(item)])
        self.resort()

    def set_order(self, key: Callable[[T], Any] | None, descending: bool = False) -> None:
        """Sort by ``key`` (None: in arrival order from now on), now."""
        if key is not self._sort_key:
            self._key_of = {}
        self._sort_key = key
        self.descending = descending
        if key is not None:
            self._keys = list(map(self.sort_key, self._rows))
            self.resort(full=True)
        else:
            self._keys, self._unsorted = [], set()

    def set_filter(self, accepts: Callable[[T], bool] | None) -> None:
        """Show only the items ``accepts`` lets through (None: all)."""
        self._accepts = accepts
        self.rebuild()

    def rebuild(self) -> None:
        """Every shown row anew, filtered and sorted: one reset."""
        self._events.resetting()
        rows = [item for item in self._all.values() if self._shows(item)] if self._accepts else list(
            self._all.values())
        keys: list[Key] = []
        if self._sort_key is not None:
            keys = list(map(self.sort_key, rows))
            order = sorted(range(len(rows)), key=keys.__getitem__, reverse=self.descending)
            rows = [rows[i] for i in order]
            keys = [keys[i] for i in order]
        self._rows, self._keys, self._unsorted = rows, keys, set()
        self._ids = [item.id for item in rows]
        self._row_of = dict(zip(self._ids, range(len(rows)), strict=True))
        self._events.reset()

    def resort(self, *, full: bool = False) -> None:
        """Put the rows whose key changed (or that were appended) back in order: one reorder.

        The other rows are still in order, so those few are taken out (``compress`` over a mask) and
        merged back by bisection on the cached keys. Only when many rows moved, or on a new order, do
        all rows go through ``sorted``."""
        if self._sort_key is None:
            self._unsorted.clear()
            return
        rows, keys, ids = self._rows, self._keys, self._ids
        count = len(rows)
        unsorted, self._unsorted = self._unsorted, set()
        if not full and not unsorted:
            return
        full = full or len(unsorted) * FULL_SORT_SHARE > count
        descending = self.descending
        self._events.reordering()
        if full:
            order = sorted(range(count), key=keys.__getitem__, reverse=descending)
            rows = [rows[i] for i in order]
            keys = [keys[i] for i in order]
            ids = [ids[i] for i in order]
        else:
            row_of = self._row_of
            moved = [row_of[i] for i in unsorted if i in row_of]
            mask = bytearray(b"\x01") * count
            for row in moved:
                mask[row] = 0
            moved.sort(key=keys.__getitem__, reverse=descending)
            stay_rows, stay_keys, stay_ids = (list(compress(rows, mask)), list(compress(keys, mask)),
                                              list(compress(ids, mask)))
            out = [(rows[r], keys[r], ids[r]) for r in moved]
            rows, keys, ids = [], [], []
            start = 0
            for item, key, item_id in out:
                at = (_bisect_descending(stay_keys, key, start) if descending
                      else bisect.bisect_left(stay_keys, key, start))
                rows.extend(stay_rows[start:at])
                keys.extend(stay_keys[start:at])
                ids.extend(stay_ids[start:at])
                rows.append(item)
                keys.append(key)
                ids.append(item_id)
                start = at
            rows.extend(stay_rows[start:])
            keys.extend(stay_keys[start:])
            ids.extend(stay_ids[start:])
        self._rows, self._keys, self._ids = rows, keys, ids
        self._row_of = dict(zip(ids, range(count), strict=True))
        self._events.reordered()

    # -- inside ---------------------------------------------------------------------------------------

    def _shows(self, item: T) -> bool:
        return self._accepts is None or self._accepts(item)

    def _fresh_key(self, item: T) -> Key:
        assert self._sort_key is not None
        key = (self._sort_key(item), item.id)
        self._key_of[item.id] = key
        return key

    def _take_pending(self, limit: int) -> list[T]:
        """Move up to ``limit`` items of the waiting snapshot into the known items (not yet the rows)."""
        taken: list[T] = []
        queue, pending = self._load_queue, self._pending
        at = self._load_at
        while pending and len(taken) < limit and at < len(queue):
            raw = queue[at]
            at += 1
            if pending.get(raw.id) is raw:   # not replaced or removed by a newer batch meanwhile
                del pending[raw.id]
                item = self._prepare(raw)
                self._all[item.id] = item
                taken.append(item)
        self._load_at = at
        if not pending:
            self._load_queue, self._load_at = [], 0
        return taken

    def _append(self, items: list[T]) -> None:
        """New rows go at the end in one block; while sorted they are put in place by the next re-sort."""
        if not items:
            return
        first = len(self._rows)
        self._events.inserting(first, first + len(items) - 1)
        ids = [item.id for item in items]
        self._rows.extend(items)
        self._ids.extend(ids)
        self._row_of.update(zip(ids, range(first, first + len(items)), strict=True))
        if self._sort_key is not None:
            self._keys.extend(map(self._fresh_key, items))
            self._unsorted.update(ids)
        self._events.inserted()

    def _remove(self, ids: Iterable[str]) -> None:
        rows = sorted((self._row_of[i] for i in ids if i in self._row_of), reverse=True)
        if not rows:
            return
        runs: list[tuple[int, int]] = []  # (first, last), bottom-up
        for row in rows:
            if runs and runs[-1][0] == row + 1:
                runs[-1] = (row, runs[-1][1])
            else:
                runs.append((row, row))
        if len(runs) > MAX_REMOVE_RUNS:
            self.rebuild()
            return
        sorting = self._sort_key is not None
        for first, last in runs:
            self._events.removing(first, last)
            self._unsorted.difference_update(self._ids[first:last + 1])
            del self._rows[first:last + 1]
            del self._ids[first:last + 1]
            if sorting:
                del self._keys[first:last + 1]
            self._events.removed()
        self._row_of = dict(zip(self._ids, range(len(self._ids)), strict=True))
