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
    st.tuples(st.just("reset"), st.lists(keys, max_size=60, unique=True)),
    st.tuples(st.just("extend"), st.integers(0, 40)),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6), st.lists(operations, max_size=80))
def test_blocks_hold_what_a_sorted_list_holds(load: int, steps) -> None:
    blocks: OrderedBlocks[str] = OrderedBlocks(load)
    plain: list[tuple[int, str]] = []
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
            case "replace":
                at = blocks.replace(value, f"new {step}")
                expected = next((i for i, entry in enumerate(plain) if entry[0] == value), None)
                assert at == expected
                if at is not None:
                    plain[at] = (value, f"new {step}")
            case "reset":
                plain = [(key, f"item {step}") for key in sorted(value)]
                blocks.reset(plain)
            case "extend":
                above = (plain[-1][0] + 1) if plain else 0
                more = [(above + n, f"item {step}") for n in range(value)]
                blocks.extend_after(more)
                plain.extend(more)
        assert list(blocks) == plain and len(blocks) == len(plain)
        assert [blocks.at(i) for i in range(len(plain))] == plain
        assert [blocks.find(key) for key, _ in plain] == list(range(len(plain)))
        assert blocks.find(-1) is None and blocks.find(10_000) is None
