"""The visitor list's ordered blocks on their own: whatever is added, replaced and taken out, in blocks
small enough to be split and joined often, they hold what a plain sorted list holds, and say each
entry's position as that list would."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from operator_desk.ui.models.ordered_blocks import OrderedBlocks

keys = st.integers(0, 300)
operations = st.one_of(
    st.tuples(st.just("add"), keys),
    st.tuples(st.just("discard"), keys),
    st.tuples(st.just("replace"), keys),
    st.tuples(st.just("mark"), keys),
    st.tuples(st.just("discard marked"), st.just(None)),
    st.tuples(st.just("reset"), st.lists(keys, max_size=60, unique=True)),
    st.tuples(st.just("extend"), st.integers(0, 40)),
    st.tuples(st.just("discard all"), st.lists(keys, max_size=40)),
    st.tuples(st.just("add all"), st.lists(keys, max_size=40, unique=True)),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6), st.lists(operations, max_size=80))
def test_blocks_hold_what_a_sorted_list_holds(load: int, steps) -> None:
    blocks: OrderedBlocks[str] = OrderedBlocks(load)
    plain: list[tuple[int, str]] = []
    marked: set[int] = set()   # keys marked and still held
    for step, (what, value) in enumerate(steps):
        match what:
            case "add":
                if all(key != value for key, _ in plain):
                    blocks.add((value, f"item {step}"))
                    bisect.insort(plain, (value, f"item {step}"))
            case "discard":
                gone = blocks.discard(value)
                expected = next((entry for entry in plain if entry[0] == value), None)
                assert gone == expected
                if expected is not None:
                    plain.remove(expected)
                marked.discard(value)   # a mark goes with its entry
            case "replace":
                at = blocks.replace(value, f"new {step}")
                expected = next((i for i, entry in enumerate(plain) if entry[0] == value), None)
                assert at == expected
                if at is not None:
                    plain[at] = (value, f"new {step}")
            case "reset":
                plain = [(key, f"item {step}") for key in sorted(value)]
                blocks.reset(plain)
                marked.clear()
            case "mark":   # replaced and marked: found again by discard_marked, after whatever came since
                at = blocks.replace(value, f"marked {step}", mark=True)
                expected = next((i for i, entry in enumerate(plain) if entry[0] == value), None)
                assert at == expected
                if at is not None:
                    plain[at] = (value, f"marked {step}")
                    marked.add(value)
            case "discard marked":
                gone = blocks.discard_marked()
                assert sorted(gone) == sorted(item for key, item in plain if key in marked)
                plain = [entry for entry in plain if entry[0] not in marked]
                marked.clear()
            case "discard all":   # (in any order, some held by none, some twice)
                gone = blocks.discard_all(value)
                expected = [entry for entry in plain if entry[0] in set(value)]
                assert gone == [item for _, item in expected]
                plain = [entry for entry in plain if entry[0] not in set(value)]
                marked -= set(value)
            case "add all":
                held = {key for key, _ in plain}
                more = [(key, f"item {step}") for key in value if key not in held]
                blocks.add_all(more)
                plain = sorted(plain + more)
            case "extend":
                above = (plain[-1][0] + 1) if plain else 0
                more = [(above + n, f"item {step}") for n in range(value)]
                blocks.extend_after(more)
                plain.extend(more)
        assert list(blocks) == plain and len(blocks) == len(plain)
        assert [blocks.at(i) for i in range(len(plain))] == plain
        assert [blocks.item_at(i) for i in range(len(plain))] == [item for _, item in plain]
        assert list(blocks.items()) == [item for _, item in plain]
        assert [blocks.find(key) for key, _ in plain] == list(range(len(plain)))
        assert blocks.find(-1) is None and blocks.find(10_000) is None


def test_batches_far_larger_than_a_block_are_split_and_joined_into_blocks_of_about_the_load() -> None:
    """A re-sort at 50,000 rows moves hundreds of rows at once; a snapshot slice adds 250: the blocks
    they land in are split into pieces near the load, not left long (a long block makes every later
    lookup and insertion in it slower), and blocks emptied by a batch go."""
    blocks: OrderedBlocks[int] = OrderedBlocks(load=10)
    blocks.reset([(key, key) for key in range(0, 1000, 10)])
    blocks.add_all([(key, key) for key in range(1, 300) if key % 10])   # all into the first blocks
    sizes = [len(block) for block in blocks._keys]
    assert max(sizes) <= 20 and sum(sizes) == len(blocks) == 100 + 270
    taken = blocks.discard_all(range(0, 1000))
    assert taken == sorted(taken) and len(taken) == 370 and len(blocks) == 0 and not blocks._keys
