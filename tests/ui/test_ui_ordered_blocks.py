"""The visitor list's ordered blocks on their own: whatever is added and taken out, in blocks
small enough to be split and joined often, they hold what a plain sorted list holds, and say each
entry's position as that list would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from operator_desk.ui.models.ordered_blocks import OrderedBlocks

keys = st.integers(0, 300)
operations = st.one_of(
    # (small batches often: a batch of one is how single rows come and go)
    st.tuples(st.just("add all"), st.lists(keys, max_size=3, unique=True)),
    st.tuples(st.just("add all"), st.lists(keys, max_size=40, unique=True)),
    st.tuples(st.just("discard all"), st.lists(keys, max_size=3)),
    st.tuples(st.just("discard all"), st.lists(keys, max_size=40)),
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
            case "add all":   # (in any order)
                held = {key for key, _ in plain}
                more = [(key, f"item {step}") for key in value if key not in held]
                blocks.add_all(more)
                plain = sorted(plain + more)
            case "discard all":   # (in any order, some held by none, some twice)
                gone = blocks.discard_all(value)
                assert gone == [item for key, item in plain if key in set(value)]
                plain = [entry for entry in plain if entry[0] not in set(value)]
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
