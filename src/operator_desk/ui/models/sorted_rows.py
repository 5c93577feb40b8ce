"""The visitor list's rows without Qt: which items are shown, in which order, kept so at 50,000 items and
2,000 updates a second.

``SortedRows`` holds every known item (by id) and the visible ones, filtered and in sort order. It tells
a view about each change through :class:`RowEvents` before and after it happens (the Qt model turns
those into ``beginInsertRows``/``endInsertRows`` and friends), so the algorithm can be read and tested
here on its own, the way napari keeps its ``EventedList`` apart from the Qt model over it.

How it stays fast:

- the rows are ``(place key, id)`` entries in :class:`OrderedBlocks` (blocks of a few hundred, in
  place-key order), then the ids of the rows that wait for a re-sort; the items themselves are in one
  map by id. While sorted, the place key is the row's sort key as of the last re-sort (the rows are the
  blocks read backwards while sorted descending); unsorted, a number given in arrival order. A row is
  found by its place key: no map from id to row, which every re-sort and removal would shift;
- a changed item replaces the old one in the map, which is all its row needs (no bisection per update:
  at 2,000 updates a second that was most of the list's cost), and is marked unsorted if its key
  changed (its place key stays until it moves); the view is told of the change only for a row whose
  data it may show (``seen``: read since its last change; a row nobody looked at needs no repaint, and
  finding its row number costs a bisection). Rows added while sorted wait at the end. :meth:`resort`
  takes out only the rows that moved and adds them back at their new keys, in two batches (at 50,000
  rows a merge over one flat list touched every entry and cost 25-55 ms), or sorts everything when most
  moved;
- removals go in runs of adjacent rows, one event pair per run (one reorder when the runs are many);
- a snapshot (:meth:`replace_all`) shows a first page at once; the rest waits in a
  :class:`SnapshotQueue` for :meth:`load` to take it in slices across event-loop turns.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from operator_desk.ui.models.ordered_blocks import OrderedBlocks
from operator_desk.ui.models.row_events import HasId, RowEvents
from operator_desk.ui.models.snapshot_queue import SnapshotQueue

# Beyond this many separate runs of removed rows, one reorder is cheaper than a remove event each.
MAX_REMOVE_RUNS = 8
# When more than 1/FULL_SORT_SHARE of the rows are out of place, one sort beats moving them one by one.
FULL_SORT_SHARE = 3

T = TypeVar("T", bound=HasId)
# The column's sort key, then the id: equal keys keep one order, none are equal. For a text key, one
# string that sorts as that pair would (see text_place).
Key = tuple[Any, str] | str

__all__ = ["MAX_REMOVE_RUNS", "RowEvents", "SortedRows", "text_place"]


def text_place(value: str, item_id: str) -> str:
    """One string that sorts among others made so as ``(value, item_id)`` sorts among such pairs.

    A re-sort at 50,000 rows is mostly bisection probes into memory nothing else touched lately: a pair
    is three objects to reach per comparison, this string one (a re-sort of 500 moved rows 9-10 -> 6-7
    ms). Two NULs end the value; a NUL inside it becomes NUL, 1, which sorts after that end and before
    every other character, so a value sorts before its own extensions, as in the pair."""
    return value.replace("\0", "\0\1") + "\0\0" + item_id


class SortedRows(Generic[T]):
    def __init__(self, events: RowEvents | None = None, *, prepare: Callable[[T], T] = lambda item: item,
                 ) -> None:
        """``prepare`` is applied to every item on the way in (the visitor list redacts there)."""
        self._events = events or RowEvents()
        self._prepare = prepare
        self._all: dict[str, T] = {}
        # The rows, by id (the items are in _all): those in _order (by place key), then those _waiting
        # (added while sorted, for the re-sort to place; _waiting_at: id -> index there).
        self._order: OrderedBlocks[str] = OrderedBlocks()
        self._waiting: list[str] = []
        self._waiting_at: dict[str, int] = {}
        self._place_of: dict[str, Any] = {}
        self._arrivals = itertools.count()   # place keys while unsorted
        self._unsorted: set[str] = set()     # placed rows whose sort key changed since they were placed
        self._sort_key: Callable[[T], Any] | None = None
        self._text_keys = False
        self.descending = False
        self._backwards = False              # sorted descending: rows are the blocks read backwards
        self._accepts: Callable[[T], bool] | None = None
        self._key_of: dict[str, Key] = {}  # sort key cache for the current order, visible or not
        self._snapshot: SnapshotQueue[T] = SnapshotQueue()

    # -- reading --------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._order) + len(self._waiting)

    def row_at(self, row: int) -> T | None:
        item_id = self._id_at(row)
        return None if item_id is None else self._all[item_id]

    def id_at(self, row: int) -> str:
        item_id = self._id_at(row)
        assert item_id is not None, "no such row"
        return item_id

    def row_of(self, item_id: str) -> int | None:
        place = self._place_of.get(item_id)
        if place is None:
            behind = self._waiting_at.get(item_id)
            return None if behind is None else len(self._order) + behind
        position = self._order.find(place)
        assert position is not None, "place keys out of step"
        return len(self._order) - 1 - position if self._backwards else position

    def item(self, item_id: str) -> T | None:
        """A known item, shown or not, also one still waiting in a snapshot."""
        item = self._all.get(item_id)
        if item is None:
            waiting = self._snapshot.get(item_id)
            item = None if waiting is None else self._prepare(waiting)
        return item

    @property
    def ids(self) -> Sequence[str]:
        """The shown rows' ids, in row order (a new list each time)."""
        placed = list(self._order.items())
        if self._backwards:
            placed.reverse()
        return placed + self._waiting

    @property
    def total(self) -> int:
        """Every known item, shown, filtered out or still waiting in a snapshot."""
        return len(self._all) + len(self._snapshot)

    @property
    def sorted(self) -> bool:
        return self._sort_key is not None

    @property
    def needs_resort(self) -> bool:
        return bool(self._unsorted or self._waiting)

    def in_place(self, item_id: str) -> bool:
        """Whether the item's row is where the current order puts it: shown, and not waiting for a
        re-sort (its key unchanged since it was placed). Unsorted, every shown row is."""
        return item_id in self._place_of and item_id not in self._unsorted

    @property
    def is_loading(self) -> bool:
        return bool(len(self._snapshot))

    def sort_key(self, item: T) -> Key:
        """The item's key in the current order (remembered for later rebuilds)."""
        key = self._key_of.get(item.id)
        return key if key is not None else self._fresh_key(item)

    # -- changing -------------------------------------------------------------------------------------

    def replace_all(self, items: Sequence[T], first_page: int, by_id: Mapping[str, T] | None = None) -> None:
        """A snapshot: these items and no others (``by_id``: the same by id, only read, if the caller has
        it). ``first_page`` of them are shown at once; the rest wait for :meth:`load`."""
        self._snapshot.fill(items, by_id)
        self._all, self._key_of = {}, {}
        self._take_waiting(first_page)
        self.rebuild()

    def update(self, upserts: Iterable[T], removed: Iterable[str], seen: Container[str] | None = None,
               ) -> bool:
        """One batch: new and changed items, and ids that are gone. Returns whether rows were shown or
        hidden (the count changed); changed rows are updated in place, their order waits for
        :meth:`resort`. ``seen``: the ids whose data a view may show (read since they last changed;
        None: every one): only their rows are told as changed."""
        removed = tuple(removed)
        upserts = tuple(upserts)
        snapshot = self._snapshot
        if len(snapshot):   # this batch is newer than the snapshot still loading
            for item in upserts:
                snapshot.forget(item.id)
            for item_id in removed:
                snapshot.forget(item_id)
        sorting = self._sort_key is not None
        inserted: dict[str, T] = {}
        dropped: set[str] = set(removed)
        place_of, waiting_at = self._place_of, self._waiting_at
        told: list[str] = []   # rows changed in place that a view may show
        for raw in upserts:
            item = self._prepare(raw)
            item_id = item.id
            dropped.discard(item_id)
            self._all[item_id] = item
            place = place_of.get(item_id)
            if place is None and item_id not in waiting_at:   # no row yet
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
            if seen is None or item_id in seen:
                told.append(item_id)
            if sorting and place is not None and self._fresh_key(item) != place:
                self._unsorted.add(item_id)
        # An id both upserted and removed in one batch is gone (the removal is applied last): not shown,
        # whether it had a row or not.
        gone = set(removed)
        dropped |= gone
        added = [item for item in inserted.values() if item.id not in gone]
        changed_rows = {row for item_id in told if item_id not in dropped
                        and (row := self.row_of(item_id)) is not None}
        if changed_rows:
            self._events.changed(list(changed_rows))
        self._remove(dropped)
        for item_id in gone:   # (after their rows went: a view may read a row until it is removed)
            self._all.pop(item_id, None)
            self._key_of.pop(item_id, None)
        self._append(added)
        return bool(added or dropped)

    def load(self, seconds: float, batch: int = 250) -> None:
        """Show more of a waiting snapshot, in batches, for about ``seconds``, in order."""
        if not len(self._snapshot):
            self.resort()   # the snapshot is in: put it in order at once, not at the next re-sort
            return
        deadline = time.perf_counter() + seconds
        while True:   # at least one batch, however late this turn came
            self._append([item for item in self._take_waiting(batch) if self._shows(item)])
            # While sorted, each batch goes into place now: sorting 50,000 waiting rows at the end at
            # once stopped the event loop for 150-200 ms; placing a batch costs a millisecond or two.
            self.resort()
            if not len(self._snapshot) or time.perf_counter() >= deadline:
                break

    def load_all(self) -> None:
        """Show the rest of a waiting snapshot now, in order."""
        self._append([item for item in self._take_waiting(len(self._snapshot)) if self._shows(item)])
        self.resort()

    def set_order(self, key: Callable[[T], Any] | None, descending: bool = False, *, text: bool = False,
                  ) -> None:
        """Sort by ``key`` (None: in arrival order from now on), now. ``text``: ``key`` gives a ``str``
        for every item, and the place keys are single strings (:func:`text_place`)."""
        if key is not self._sort_key or text != self._text_keys:
            self._key_of = {}
        if key is not None:
            self._sort_key, self.descending, self._text_keys = key, descending, text
            self.resort(full=True)
        else:   # the rows stay as they are, and are placed in that order
            self._events.reordering()
            rows = [self._all[item_id] for item_id in self.ids]
            self._sort_key, self.descending, self._backwards = None, descending, False
            self._place_in_order(rows)
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
        """Put the rows whose key changed (or that wait at the end) in order: one reorder.

        The other rows are still in order, so only those are taken out and added back at their new
        keys; when most rows moved, or on a new order, all of them go through one sort instead."""
        if self._sort_key is None:
            self._unsorted.clear()
            return
        strays = len(self._unsorted) + len(self._waiting)
        if not full and not strays:
            return
        full = full or strays * FULL_SORT_SHARE > len(self)
        self._events.reordering()
        self._backwards = self.descending   # (a new direction takes effect here, after the view asked)
        if full:
            self._sort_all([*map(self._all.__getitem__, itertools.chain(self._order.items(), self._waiting))])
        else:   # the moved rows out, then back in with the waiting ones, each batch in key order
            place_of, key_of = self._place_of, self._key_of
            self._order.discard_all([place_of.pop(item_id) for item_id in self._unsorted])
            # (A moved row's key was made when it changed: no need to reach its item again.)
            entries = [(key_of.get(item_id) or self._fresh_key(self._all[item_id]), item_id)
                       for item_id in itertools.chain(self._unsorted, self._waiting)]
            self._order.add_all(entries)
            place_of.update((item_id, place) for place, item_id in entries)
            self._waiting, self._waiting_at, self._unsorted = [], {}, set()
        self._events.reordered()

    # -- inside ---------------------------------------------------------------------------------------

    def _id_at(self, row: int) -> str | None:
        placed = len(self._order)
        if 0 <= row < placed:
            return self._order.item_at(placed - 1 - row if self._backwards else row)
        if placed <= row < placed + len(self._waiting):
            return self._waiting[row - placed]
        return None

    def _shows(self, item: T) -> bool:
        return self._accepts is None or self._accepts(item)

    def _fresh_key(self, item: T) -> Key:
        assert self._sort_key is not None
        value = self._sort_key(item)
        key = text_place(value, item.id) if self._text_keys else (value, item.id)
        self._key_of[item.id] = key
        return key

    def _sort_all(self, rows: list[T]) -> None:
        """These rows, every one keyed by its sort key, in order."""
        entries = sorted((self.sort_key(item), item.id) for item in rows)   # (the keys are unique)
        self._order.reset(entries)
        self._place_of = {item_id: key for key, item_id in entries}
        self._waiting, self._waiting_at, self._unsorted = [], {}, set()

    def _place_in_order(self, rows: list[T]) -> None:
        """Unsorted: these rows, keyed by arrival in the order given."""
        entries = list(zip(self._arrivals, (item.id for item in rows), strict=False))   # (never ends)
        self._order.reset(entries)
        self._place_of = {item_id: place for place, item_id in entries}
        self._waiting, self._waiting_at, self._unsorted = [], {}, set()

    def _take_waiting(self, limit: int) -> list[T]:
        """Move up to ``limit`` items of the waiting snapshot into the known items (not yet the rows)."""
        taken = [self._prepare(raw) for raw in self._snapshot.take(limit)]
        for item in taken:
            self._all[item.id] = item
        return taken

    def _append(self, items: list[T]) -> None:
        """New rows go at the end in one block; while sorted they wait there for the next re-sort to put
        them in place; unsorted, they are keyed by arrival at once."""
        if not items:
            return
        first = len(self)
        self._events.inserting(first, first + len(items) - 1)
        if self._sort_key is not None:
            ids = [item.id for item in items]
            self._waiting_at.update(zip(ids, itertools.count(len(self._waiting))))
            self._waiting.extend(ids)
        else:
            entries = list(zip(self._arrivals, (item.id for item in items), strict=False))
            self._order.extend_after(entries)
            self._place_of.update((item_id, place) for place, item_id in entries)
        self._events.inserted()

    def _remove(self, ids: Iterable[str]) -> None:
        """Take these rows out: in runs of adjacent rows, one event pair each; past MAX_REMOVE_RUNS, all
        in one reorder (each run costs the view about a millisecond at 50,000 rows; a rebuild reset
        the view: its selection and scroll position)."""
        rows = sorted(((row, item_id) for item_id in ids if (row := self.row_of(item_id)) is not None),
                      reverse=True)
        if not rows:
            return
        runs: list[list[tuple[int, str]]] = []  # bottom-up, each run bottom-up
        for row in rows:
            if runs and runs[-1][-1][0] == row[0] + 1:
                runs[-1].append(row)
            else:
                runs.append([row])
        many = len(runs) > MAX_REMOVE_RUNS
        if many:
            self._events.reordering()
        for run in runs:   # bottom-up, so the rows (and waiting indexes) above are still valid
            if not many:
                self._events.removing(run[-1][0], run[0][0])
            places = []
            for _, item_id in run:
                self._unsorted.discard(item_id)
                place = self._place_of.pop(item_id, None)
                if place is not None:
                    places.append(place)
                else:
                    del self._waiting[self._waiting_at[item_id]]
            self._order.discard_all(places)
            if not many:
                self._events.removed()
        if len(self._waiting_at) != len(self._waiting):   # some waiting rows went
            self._waiting_at = {item_id: at for at, item_id in enumerate(self._waiting)}
        if many:
            self._events.reordered()

