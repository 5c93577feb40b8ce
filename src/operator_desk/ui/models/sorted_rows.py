"""The visitor list's rows without Qt: which items are shown, in which order, kept so at 50,000 items and
2,000 updates a second.

``SortedRows`` holds every known item (by id) and the visible ones, filtered and in sort order. It tells
a view about each change through :class:`RowEvents` before and after it happens (the Qt model turns
those into ``beginInsertRows``/``endInsertRows`` and friends), so the algorithm can be read and tested
here on its own, the way napari keeps its ``EventedList`` apart from the Qt model over it.

How it stays fast:

- the rows are one list of entries ``(place key, item)``, the first ``keyed`` of them in order of their
  place key (descending while sorted descending). While sorted, the place key is the row's sort key as
  of the last re-sort; unsorted, a number given in arrival order. There is no map from id to row: a row
  is found by bisection on its place key (``_place_of``). A re-sort or a removal shifts every row after
  it, and rebuilding an id -> row map of 50,000 rows each time cost 10-50 ms (most of a re-sort); now
  only the rows that moved get a new place key;
- a changed row is updated in place at once and marked unsorted (its place key stays until it moves);
  rows added while sorted wait at the end, after the keyed ones. :meth:`resort` takes those rows out
  (``compress`` over a mask), gives them their new keys and merges them back by bisection (list copies
  in C, a few Python steps per moved row), or sorts everything when many moved. One list of entries,
  not parallel lists of rows, ids and keys: each copy of a 50,000-row list costs a few milliseconds;
- removals go in runs of adjacent rows, one event pair per run (a rebuild when the runs are many);
- a snapshot (:meth:`replace_all`) shows a first page at once; the rest waits, in arrival order, for
  :meth:`load` to take it in slices across event-loop turns, and newer news about a waiting item wins.
"""

from __future__ import annotations

import bisect
import itertools
import operator
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


class SortedRows(Generic[T]):
    def __init__(self, events: RowEvents | None = None, *, prepare: Callable[[T], T] = lambda item: item,
                 ) -> None:
        """``prepare`` is applied to every item on the way in (the visitor list redacts there)."""
        self._events = events or RowEvents()
        self._prepare = prepare
        self._all: dict[str, T] = {}
        # The rows: (place key, item). The first _keyed are in place-key order; the rest (_tail: id ->
        # index after the keyed rows) were added while sorted and wait for the re-sort (place key None).
        self._entries: list[tuple[Any, T]] = []
        self._keyed = 0
        self._place_of: dict[str, Any] = {}
        self._tail: dict[str, int] = {}
        self._arrivals = itertools.count()   # place keys while unsorted
        self._unsorted: set[str] = set()     # keyed rows whose sort key changed since they were placed
        self._sort_key: Callable[[T], Any] | None = None
        self.descending = False
        self._accepts: Callable[[T], bool] | None = None
        self._key_of: dict[str, Key] = {}  # sort key cache for the current order, visible or not
        # A snapshot still being loaded: items by id, and the order they came in.
        self._pending: dict[str, T] = {}
        self._load_queue: list[T] = []
        self._load_at = 0

    # -- reading --------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def row_at(self, row: int) -> T | None:
        return self._entries[row][1] if 0 <= row < len(self._entries) else None

    def id_at(self, row: int) -> str:
        return self._entries[row][1].id

    def row_of(self, item_id: str) -> int | None:
        place = self._place_of.get(item_id)
        if place is None:
            behind = self._tail.get(item_id)
            return None if behind is None else self._keyed + behind
        if self.descending and self._sort_key is not None:
            row = _bisect_descending(self._entries, place, 0, self._keyed)
        else:
            row = bisect.bisect_left(self._entries, place, 0, self._keyed, key=_PLACE)
        assert self._entries[row][1].id == item_id, "place keys out of order"
        return row

    def item(self, item_id: str) -> T | None:
        """A known item, shown or not, also one still waiting in a snapshot."""
        item = self._all.get(item_id)
        if item is None and item_id in self._pending:
            item = self._prepare(self._pending[item_id])
        return item

    @property
    def ids(self) -> Sequence[str]:
        """The shown rows' ids, in row order (a new list each time)."""
        return [item.id for _, item in self._entries]

    @property
    def total(self) -> int:
        """Every known item, shown, filtered out or still waiting in a snapshot."""
        return len(self._all) + len(self._pending)

    @property
    def sorted(self) -> bool:
        return self._sort_key is not None

    @property
    def needs_resort(self) -> bool:
        return bool(self._unsorted or self._tail)

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
        entries = self._entries
        for raw in upserts:
            item = self._prepare(raw)
            item_id = item.id
            dropped.discard(item_id)
            self._all[item_id] = item
            row = self.row_of(item_id)
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
            place = entries[row][0]
            entries[row] = (place, item)
            changed_rows.append(row)
            if sorting and row < self._keyed and self._fresh_key(item) != place:
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
        """Show more of a waiting snapshot, in batches, for about ``seconds``, in order."""
        if not self._pending:
            self.resort()   # the snapshot is in: put it in order at once, not at the next re-sort
            return
        deadline = time.perf_counter() + seconds
        while True:   # at least one batch, however late this turn came
            self._append([item for item in self._take_pending(batch) if self._shows(item)])
            if not self._pending or time.perf_counter() >= deadline:
                break
        # While sorted, each slice goes into place now: sorting 50,000 waiting rows at the end at once
        # stopped the event loop for 150-200 ms; merging a slice costs a few milliseconds.
        self.resort()

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
            self.resort(full=True)
        else:   # the rows stay as they are, and are placed in that order
            self._events.reordering()
            self._place_in_order([item for _, item in self._entries])
            self._events.reordered()

    def set_filter(self, accepts: Callable[[T], bool] | None) -> None:
        """Show only the items ``accepts`` lets through (None: all)."""
        self._accepts = accepts
        self.rebuild()

    def rebuild(self) -> None:
        """Every shown row anew, filtered and sorted: one reset."""
        self._events.resetting()
        rows = [item for item in self._all.values() if self._shows(item)] if self._accepts else list(
            self._all.values())
        if self._sort_key is not None:
            self._sort_all(rows)
        else:
            self._place_in_order(rows)
        self._events.reset()

    def resort(self, *, full: bool = False) -> None:
        """Put the rows whose key changed (or that were appended) back in order: one reorder.

        The other rows are still in order, so those few are taken out (``compress`` over a mask), given
        their new place keys and merged back by bisection (list copies in C, a few Python steps per
        moved row). Only when many rows moved, or on a new order, do all rows go through ``sorted``."""
        if self._sort_key is None:
            self._unsorted.clear()
            return
        entries, keyed = self._entries, self._keyed
        count = len(entries)
        if not full and not self._unsorted and keyed == count:
            return
        full = full or (len(self._unsorted) + count - keyed) * FULL_SORT_SHARE > count
        self._events.reordering()
        if full:
            self._sort_all([item for _, item in entries])
        else:
            moved = [row for row in map(self.row_of, self._unsorted) if row is not None]
            mask = bytearray(b"\x01") * keyed + bytes(count - keyed)   # the waiting rows move too
            for row in moved:
                mask[row] = 0
            moved.extend(range(keyed, count))
            descending = self.descending
            strays = sorted(((self.sort_key(item), item) for item in (entries[row][1] for row in moved)),
                            key=_PLACE, reverse=descending)
            stay = list(compress(entries, mask))
            entries, start, place_of = [], 0, self._place_of
            for stray in strays:
                place = stray[0]
                at = (_bisect_descending(stay, place, start, len(stay)) if descending
                      else bisect.bisect_left(stay, place, start, key=_PLACE))
                entries += stay[start:at]
                entries.append(stray)
                place_of[stray[1].id] = place
                start = at
            entries += stay[start:]
            self._entries, self._keyed = entries, count
        self._tail, self._unsorted = {}, set()
        self._events.reordered()

    # -- inside ---------------------------------------------------------------------------------------

    def _shows(self, item: T) -> bool:
        return self._accepts is None or self._accepts(item)

    def _fresh_key(self, item: T) -> Key:
        assert self._sort_key is not None
        key = (self._sort_key(item), item.id)
        self._key_of[item.id] = key
        return key

    def _sort_all(self, rows: list[T]) -> None:
        """These rows, every one keyed by its sort key, in order."""
        entries = [(self.sort_key(item), item) for item in rows]
        entries.sort(reverse=self.descending)
        self._entries, self._keyed = entries, len(entries)
        self._place_of = {item.id: key for key, item in entries}
        self._tail, self._unsorted = {}, set()

    def _place_in_order(self, rows: list[T]) -> None:
        """Unsorted: these rows, keyed by arrival in the order given."""
        places = [next(self._arrivals) for _ in rows]
        self._entries, self._keyed = list(zip(places, rows, strict=True)), len(rows)
        self._place_of = {item.id: place for place, item in self._entries}
        self._tail, self._unsorted = {}, set()

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
        """New rows go at the end in one block; while sorted they wait there, unkeyed, for the next
        re-sort to put them in place; unsorted, they are keyed by arrival at once."""
        if not items:
            return
        entries = self._entries
        first = len(entries)
        self._events.inserting(first, first + len(items) - 1)
        if self._sort_key is not None:
            behind = first - self._keyed
            entries.extend((None, item) for item in items)
            self._tail.update(zip((item.id for item in items), itertools.count(behind)))
        else:
            places = [next(self._arrivals) for _ in items]
            entries.extend(zip(places, items, strict=True))
            self._place_of.update(zip((item.id for item in items), places, strict=True))
            self._keyed += len(items)
        self._events.inserted()

    def _remove(self, ids: Iterable[str]) -> None:
        rows = sorted((row for row in map(self.row_of, ids) if row is not None), reverse=True)
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
        entries = self._entries
        tail_changed = False
        for first, last in runs:
            self._events.removing(first, last)
            for _, item in entries[first:last + 1]:
                self._place_of.pop(item.id, None)
                self._unsorted.discard(item.id)
            tail_changed = tail_changed or last >= self._keyed
            self._keyed -= max(0, min(last + 1, self._keyed) - first)
            del entries[first:last + 1]
            self._events.removed()
        if tail_changed:
            keyed = self._keyed
            self._tail = {entries[row][1].id: row - keyed for row in range(keyed, len(entries))}


def _bisect_descending(entries: Sequence[tuple[Any, Any]], place: Any, lo: int, hi: int) -> int:
    """Where ``place`` goes among ``entries[lo:hi]``, sorted from largest place to smallest (places are
    unique)."""
    while lo < hi:
        middle = (lo + hi) // 2
        if entries[middle][0] > place:
            lo = middle + 1
        else:
            hi = middle
    return lo


_PLACE = operator.itemgetter(0)
