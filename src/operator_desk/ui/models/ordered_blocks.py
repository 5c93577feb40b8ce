"""Entries ``(key, item)`` kept in ascending key order in blocks of a few hundred: finding, adding and
removing one costs a bisection over the blocks' last keys and a short list operation, whatever the
length (the idea of the sortedcontainers package's ``SortedKeyList``, cut to what the visitor list needs,
with a row lookup cheap enough for every painted cell).

Why not one flat list: at 50,000 rows every whole-list step (a copy, a ``compress``, a merge) touches
each entry's reference count, and each bisection probe lands on a different cache line; on a loaded
machine the visitor list's re-sort cost 25-55 ms that way. Here a re-sort removes and adds only the rows
that moved, and a lookup probes one block of at most ``2 * LOAD`` keys after a bisection over about
``len / LOAD`` keys that stay in the cache. Keys are unique.

Each block is two lists, its keys and its items, side by side: a bisection then compares keys as they
are, with no key function called per probe. Entries come and go in batches (:meth:`add_all`,
:meth:`discard_all`), keys in order, so each bisection starts at the block the last one ended in and
blocks are split or joined once per batch: a re-sort of the visitor list moves hundreds of rows at once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain
from typing import Any, Generic, TypeVar

# Entries per block when built; a block is split above twice this, and joined to its neighbour below a
# quarter of it.
LOAD = 500

I = TypeVar("I")  # noqa: E741 - the item type
Entry = tuple[Any, I]


class OrderedBlocks(Generic[I]):
    def __init__(self, load: int = LOAD) -> None:
        self._load = load
        self._keys: list[list[Any]] = []     # each block's keys, ascending
        self._items: list[list[I]] = []      # each block's items, beside its keys
        self._maxes: list[Any] = []          # each block's last key
        self._starts: list[int] = []         # each block's first position, valid below _stale
        self._stale = 0
        self._fresh = True                   # _starts is valid for every block
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Entry[I]]:
        return chain.from_iterable(map(zip, self._keys, self._items))

    def items(self) -> Iterator[I]:
        """The items alone, in key order."""
        return chain.from_iterable(self._items)

    def reset(self, entries: Sequence[Entry[I]]) -> None:
        """These entries, already in ascending key order, and no others."""
        load = self._load
        keys = [key for key, _ in entries]
        items = [item for _, item in entries]
        self._keys = [keys[at:at + load] for at in range(0, len(keys), load)]
        self._items = [items[at:at + load] for at in range(0, len(items), load)]
        self._maxes = [block[-1] for block in self._keys]
        self._len = len(keys)
        self._stale, self._fresh = 0, False

    def at(self, position: int) -> Entry[I]:
        block, at = self._block_at(position)
        return self._keys[block][at], self._items[block][at]

    def item_at(self, position: int) -> I:
        """The item at this position (what a painted cell asks: no entry tuple made for it)."""
        block, at = self._block_at(position)
        return self._items[block][at]

    def find(self, key: Any) -> int | None:
        """The position of the entry with this key, or None."""
        block, at = self._locate(key)
        if at is None:
            return None
        return self._positions()[block] + at

    def add_all(self, entries: Iterable[Entry[I]]) -> None:
        """Add these entries (their keys held by none yet), in any order."""
        ordered = sorted(entries, key=_first)
        if not ordered:
            return
        if not self._maxes:
            self.reset(ordered)
            return
        keys_of, items_of, maxes = self._keys, self._items, self._maxes
        last = len(maxes) - 1
        block = 0
        first_touched = None
        grown: list[int] = []
        bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
        for key, item in ordered:
            # Keys come in ascending order: each lands in the block the last one did, or a later one.
            block = bisect_left(maxes, key, block)
            if block > last:   # beyond every key: the end of the last block
                block = last
                keys_of[block].append(key)
                items_of[block].append(item)
                maxes[block] = key
            else:
                keys = keys_of[block]
                at = bisect_right(keys, key)
                keys.insert(at, key)
                items_of[block].insert(at, item)
            if first_touched is None:
                first_touched = block
            if not grown or grown[-1] != block:
                grown.append(block)
        self._len += len(ordered)
        self._touched(first_touched)
        for block in reversed(grown):   # from the last, so the earlier blocks' indexes stand
            if len(keys_of[block]) > 2 * self._load:
                self._split(block)

    def extend_after(self, entries: Sequence[Entry[I]]) -> None:
        """Entries in ascending order whose keys are all above every key held (arrivals, unsorted)."""
        if not entries:
            return
        load = self._load
        keys = [key for key, _ in entries]
        items = [item for _, item in entries]
        keys_of, items_of, maxes = self._keys, self._items, self._maxes
        self._len += len(keys)
        if keys_of and len(keys_of[-1]) < load:
            last = len(keys_of) - 1
            room = load - len(keys_of[last])
            keys_of[last].extend(keys[:room])
            items_of[last].extend(items[:room])
            maxes[last] = keys_of[last][-1]
            self._touched(last)
            keys, items = keys[room:], items[room:]
        self._touched(len(keys_of) - 1)
        for at in range(0, len(keys), load):
            keys_of.append(keys[at:at + load])
            items_of.append(items[at:at + load])
            maxes.append(keys_of[-1][-1])

    def discard_all(self, keys: Iterable[Any]) -> list[I]:
        """Take out the entries with these keys (any order; keys held by none are passed over): their
        items, in key order."""
        keys_of, items_of, maxes = self._keys, self._items, self._maxes
        count = len(maxes)
        block = 0
        taken: list[I] = []
        shrunk: list[int] = []
        bisect_left = bisect.bisect_left
        for key in sorted(keys):
            # Ascending keys: each bisection starts at the block the last one ended in. A block's last
            # key stays in ``maxes`` until the blocks are settled, so ``maxes`` stays in order.
            block = bisect_left(maxes, key, block)
            if block == count:
                break
            held = keys_of[block]
            at = bisect_left(held, key)
            if at < len(held) and held[at] == key:
                del held[at]
                taken.append(items_of[block].pop(at))
                if not shrunk or shrunk[-1] != block:
                    shrunk.append(block)
        if taken:
            self._len -= len(taken)
            self._settle(shrunk)
        return taken

    # -- inside ---------------------------------------------------------------------------------------

    def _block_at(self, position: int) -> tuple[int, int]:
        starts = self._starts if self._fresh else self._positions()
        block = bisect.bisect_right(starts, position) - 1
        return block, position - starts[block]

    def _locate(self, key: Any) -> tuple[int, int | None]:
        block = bisect.bisect_left(self._maxes, key)
        if block == len(self._maxes):
            return block, None
        keys = self._keys[block]
        at = bisect.bisect_left(keys, key)
        return (block, at) if at < len(keys) and keys[at] == key else (block, None)

    def _settle(self, shrunk: list[int]) -> None:
        """Blocks ``shrunk`` (ascending) lost entries: their last keys anew, empty ones dropped, small ones
        joined to a neighbour. From the last, so the earlier ones' indexes stand."""
        if not shrunk:
            return
        keys_of, maxes = self._keys, self._maxes
        self._touched(shrunk[0])
        for block in reversed(shrunk):
            if block >= len(keys_of):   # joined into its neighbour already
                continue
            keys = keys_of[block]
            if not keys:   # the blocks after it now start where it started
                del keys_of[block], self._items[block], maxes[block]
                self._touched(block - 1)
                continue
            maxes[block] = keys[-1]
            if len(keys) < self._load // 4 and len(keys_of) > 1:
                self._join(block)

    def _positions(self) -> list[int]:
        """Each block's first position, brought up to date from the first block whose start moved."""
        if self._fresh:
            return self._starts
        keys_of, starts = self._keys, self._starts
        stale = min(self._stale, len(keys_of))
        if stale < len(keys_of) or len(starts) != len(keys_of):
            del starts[stale:]
            if stale < len(keys_of):
                first = starts[-1] + len(keys_of[stale - 1]) if stale else 0
                starts.extend(accumulate((len(block) for block in keys_of[stale:-1]), initial=first))
        self._stale, self._fresh = len(keys_of), True
        return starts

    def _touched(self, block: int) -> None:
        """Block ``block`` changed length (or was split, joined or dropped): the blocks after it start
        elsewhere now; its own start stands."""
        self._stale = max(0, min(self._stale, block + 1))
        self._fresh = False

    def _split(self, block: int) -> None:
        """A block grown past twice the load: into pieces of about the load each."""
        keys, items = self._keys[block], self._items[block]
        size = -(-len(keys) // max(2, round(len(keys) / self._load)))   # (the pieces of even size)
        starts = range(0, len(keys), size)
        self._keys[block:block + 1] = [keys[at:at + size] for at in starts]
        self._items[block:block + 1] = [items[at:at + size] for at in starts]
        self._maxes[block:block + 1] = [keys[min(at + size, len(keys)) - 1] for at in starts]
        self._touched(block)

    def _join(self, block: int) -> None:
        """Join a small block to its neighbour (split again if that makes it too long)."""
        first = block if block + 1 < len(self._keys) else block - 1
        self._keys[first:first + 2] = [self._keys[first] + self._keys[first + 1]]
        self._items[first:first + 2] = [self._items[first] + self._items[first + 1]]
        self._maxes[first:first + 2] = [self._keys[first][-1]]
        self._touched(first)
        if len(self._keys[first]) > 2 * self._load:
            self._split(first)


def _first(entry: Entry[Any]) -> Any:
    return entry[0]
