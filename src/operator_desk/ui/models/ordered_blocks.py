"""Entries ``(key, item)`` kept in ascending key order in blocks of a few hundred: finding, adding and
removing one costs a bisection over the blocks' last keys and a short list operation, whatever the
length (the idea of the sortedcontainers package's ``SortedList``, cut to what the visitor list needs,
with a row lookup cheap enough for every painted cell).

Why not one flat list: at 50,000 rows every whole-list step (a copy, a ``compress``, a merge) touches
each entry's reference count, and each bisection probe lands on a different cache line; on a loaded
machine the visitor list's re-sort cost 25-55 ms that way. Here a re-sort removes and adds only the rows
that moved, and a lookup probes one block of at most ``2 * LOAD`` entries after a bisection over about
``len / LOAD`` keys that stay in the cache. Keys are unique.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain
from typing import Any, Generic, TypeVar

# Entries per block when built; a block is split above twice this, and joined to its neighbour below a
# quarter of it.
LOAD = 500

I = TypeVar("I")  # noqa: E741 - the item type
Entry = tuple[Any, I]

_KEY = operator.itemgetter(0)


class OrderedBlocks(Generic[I]):
    def __init__(self, load: int = LOAD) -> None:
        self._load = load
        self._blocks: list[list[Entry[I]]] = []
        self._maxes: list[Any] = []     # each block's last key
        self._starts: list[int] = []    # each block's first position, valid below _stale
        self._stale = 0
        self._fresh = True              # _starts is valid for every block
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Entry[I]]:
        return chain.from_iterable(self._blocks)

    def reset(self, entries: Sequence[Entry[I]]) -> None:
        """These entries, already in ascending key order, and no others."""
        self._blocks = [list(entries[at:at + self._load]) for at in range(0, len(entries), self._load)]
        self._maxes = [block[-1][0] for block in self._blocks]
        self._len = len(entries)
        self._stale, self._fresh = 0, False

    def at(self, position: int) -> Entry[I]:
        starts = self._starts if self._fresh else self._positions()
        block = bisect.bisect_right(starts, position) - 1
        return self._blocks[block][position - starts[block]]

    def find(self, key: Any) -> int | None:
        """The position of the entry with this key, or None."""
        block, at = self._locate(key)
        if at is None:
            return None
        return self._positions()[block] + at

    def replace(self, key: Any, item: I) -> int | None:
        """The entry with this key holds ``item`` from now on; its position (None: no such key)."""
        block, at = self._locate(key)
        if at is None:
            return None
        self._blocks[block][at] = (key, item)
        return self._positions()[block] + at

    def add(self, entry: Entry[I]) -> None:
        key = entry[0]
        maxes = self._maxes
        if not maxes:
            self._blocks, self._maxes, self._stale, self._fresh = [[entry]], [key], 0, False
            self._len = 1
            return
        block = bisect.bisect_left(maxes, key)
        if block == len(maxes):   # beyond every key: the end of the last block
            block -= 1
            self._blocks[block].append(entry)
            maxes[block] = key
        else:
            bisect.insort(self._blocks[block], entry, key=_KEY)
        self._len += 1
        self._touched(block)
        if len(self._blocks[block]) > 2 * self._load:
            self._split(block)

    def extend_after(self, entries: Sequence[Entry[I]]) -> None:
        """Entries in ascending order whose keys are all above every key held (arrivals, unsorted)."""
        if not entries:
            return
        blocks, maxes = self._blocks, self._maxes
        self._len += len(entries)
        if blocks and len(blocks[-1]) < self._load:
            last = len(blocks) - 1
            room = self._load - len(blocks[last])
            blocks[last].extend(entries[:room])
            maxes[last] = blocks[last][-1][0]
            self._touched(last)
            entries = entries[room:]
        self._touched(len(blocks) - 1)
        for at in range(0, len(entries), self._load):
            block = list(entries[at:at + self._load])
            blocks.append(block)
            maxes.append(block[-1][0])

    def discard(self, key: Any) -> Entry[I] | None:
        """Take out the entry with this key (None: there was none)."""
        block, at = self._locate(key)
        if at is None:
            return None
        entries = self._blocks[block]
        entry = entries.pop(at)
        self._len -= 1
        self._touched(block)
        if not entries:   # the blocks after it now start where it started
            del self._blocks[block], self._maxes[block]
        else:
            self._maxes[block] = entries[-1][0]
            if len(entries) < self._load // 4 and len(self._blocks) > 1:
                self._join(block)
        return entry

    # -- inside ---------------------------------------------------------------------------------------

    def _locate(self, key: Any) -> tuple[int, int | None]:
        block = bisect.bisect_left(self._maxes, key)
        if block == len(self._maxes):
            return block, None
        entries = self._blocks[block]
        at = bisect.bisect_left(entries, key, key=_KEY)
        return (block, at) if at < len(entries) and entries[at][0] == key else (block, None)

    def _positions(self) -> list[int]:
        """Each block's first position, brought up to date from the first block whose start moved."""
        if self._fresh:
            return self._starts
        blocks, starts = self._blocks, self._starts
        stale = min(self._stale, len(blocks))
        if stale < len(blocks) or len(starts) != len(blocks):
            del starts[stale:]
            if stale < len(blocks):
                first = starts[-1] + len(blocks[stale - 1]) if stale else 0
                starts.extend(accumulate((len(block) for block in blocks[stale:-1]), initial=first))
        self._stale, self._fresh = len(blocks), True
        return starts

    def _touched(self, block: int) -> None:
        """Block ``block`` changed length (or was split, joined or dropped): the blocks after it start
        elsewhere now; its own start stands."""
        self._stale = min(self._stale, block + 1)
        self._fresh = False

    def _split(self, block: int) -> None:
        entries = self._blocks[block]
        half = len(entries) // 2
        self._blocks[block:block + 1] = [entries[:half], entries[half:]]
        self._maxes[block:block + 1] = [entries[half - 1][0], entries[-1][0]]
        self._touched(block)

    def _join(self, block: int) -> None:
        """Join a small block to its neighbour (split again if that makes it too long)."""
        first = block if block + 1 < len(self._blocks) else block - 1
        joined = self._blocks[first] + self._blocks[first + 1]
        self._blocks[first:first + 2] = [joined]
        self._maxes[first:first + 2] = [joined[-1][0]]
        self._touched(first)
        if len(joined) > 2 * self._load:
            self._split(first)
