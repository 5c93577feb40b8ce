"""The visitor list's row store on its own, without Qt: whatever batches, orders, filters and snapshots
arrive, the rows are the filtered items, in the order a plain sort gives once re-sorted, and the events
tell a view exactly what changed."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from operator_desk.ui.models.sorted_rows import MAX_REMOVE_RUNS, RowEvents, SortedRows, text_place


@dataclass(frozen=True)
class Item:
    id: str
    value: int
    group: int = 0


KEYS = {"value": lambda item: item.value, "group then value": lambda item: (item.group, -item.value),
        "text": lambda item: TEXTS[item.value]}
TEXT_KEYS = {"text"}   # keys that give a str: the store keys their rows by single strings
TEXTS = ["b", "a\0", "", "a", "\0\1", "a\1"]   # (NULs and what sorts next to them, by value 0-5)
FILTERS = {"group 0": lambda item: item.group == 0, "odd values": lambda item: item.value % 2 == 1}


class ReplayedView(RowEvents):
    """A view that knows only what the events say: it must end up with the store's rows."""

    def __init__(self) -> None:
        self.rows: SortedRows[Item] | None = None
        self.ids: list[str] = []
        self.calls: list[str] = []
        self.told: set[str] = set()   # ids whose rows were told as changed
        self._span: tuple[int, int] | None = None

    def inserting(self, first: int, last: int) -> None:
        assert first == len(self.ids)   # new rows come at the end
        self._span = (first, last)
        self.calls.append("inserting")

    def inserted(self) -> None:
        assert self.rows is not None and self._span is not None
        first, last = self._span
        self.ids[first:first] = self.rows.ids[first:last + 1]
        self.calls.append("inserted")

    def removing(self, first: int, last: int) -> None:
        self._span = (first, last)
        self.calls.append("removing")

    def removed(self) -> None:
        assert self._span is not None
        first, last = self._span
        del self.ids[first:last + 1]
        self.calls.append("removed")

    def changed(self, rows) -> None:
        assert rows and all(0 <= row < len(self.ids) for row in rows) and len(set(rows)) == len(rows)
        self.told.update(self.ids[row] for row in rows)
        self.calls.append("changed")

    def reordering(self) -> None:
        self._before = sorted(self.ids)
        self.calls.append("reordering")

    def reordered(self) -> None:
        assert self.rows is not None
        assert set(self.rows.ids) <= set(self._before)   # a reorder adds no row (many removals go in one)
        self.ids = list(self.rows.ids)
        self.calls.append("reordered")

    def resetting(self) -> None:
        self.calls.append("resetting")

    def reset(self) -> None:
        assert self.rows is not None
        self.ids = list(self.rows.ids)
        self.calls.append("reset")


def make_rows() -> tuple[SortedRows[Item], ReplayedView]:
    view = ReplayedView()
    rows: SortedRows[Item] = SortedRows(view)
    view.rows = rows
    return rows, view


ids = st.sampled_from([f"v{i:02d}" for i in range(40)])
items = st.builds(Item, ids, st.integers(0, 5), st.integers(0, 1))
operations = st.one_of(
    # (seen: the ids a view has read since they changed, None: all)
    st.tuples(st.just("update"), st.lists(items, max_size=12), st.lists(ids, max_size=6),
              st.one_of(st.none(), st.sets(ids))),
    st.tuples(st.just("order"), st.sampled_from([None, *KEYS]), st.booleans()),
    st.tuples(st.just("filter"), st.sampled_from([None, *FILTERS])),
    # (indexed: the caller also gives the snapshot by id, as the desk's roster does)
    st.tuples(st.just("snapshot"), st.lists(items, max_size=40, unique_by=lambda item: item.id),
              st.integers(0, 10), st.booleans()),
    st.tuples(st.just("load"), st.integers(1, 5)),
    st.tuples(st.just("resort")),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(operations, max_size=25))
def test_rows_match_a_naive_filter_and_sort(steps) -> None:
    rows, view = make_rows()
    known: dict[str, Item] = {}
    key, descending, accepts = None, False, None
    for step in steps:
        match step:
            case ("update", upserts, removed, seen):
                had_rows = set(rows.ids)
                for item in upserts:
                    known[item.id] = item
                for item_id in removed:
                    known.pop(item_id, None)
                view.told.clear()
                rows.update(upserts, removed, seen)
                # Told: exactly the rows changed in place that a view may show (seen, still shown).
                still = had_rows & set(rows.ids)
                assert view.told == {item.id for item in upserts if item.id in still
                                     and (seen is None or item.id in seen)} - set(removed)
            case ("order", name, down):
                key, descending = (KEYS[name] if name else None), down
                rows.set_order(key, descending, text=name in TEXT_KEYS)
            case ("filter", name):
                accepts = FILTERS[name] if name else None
                rows.set_filter(accepts)
            case ("snapshot", snapshot, first_page, indexed):
                known = {item.id: item for item in snapshot}
                rows.replace_all(snapshot, first_page, dict(known) if indexed else None)
                assert len(rows) <= first_page
            case ("load", batch):
                rows.load(60.0, batch)
            case ("resort",):
                rows.resort()

        assert view.ids == list(rows.ids)                              # the events said it all
        assert [rows.row_of(i) for i in rows.ids] == list(range(len(rows)))
        assert rows.total == len(known)
        shown = {i for i, item in known.items() if accepts is None or accepts(item)}
        if rows.is_loading:
            assert set(rows.ids) <= shown
            continue
        assert set(rows.ids) == shown
        assert all(rows.item(i) == known[i] for i in rows.ids)
        if key is not None and not rows.needs_resort:
            expected = sorted(shown, key=lambda i: (key(known[i]), i), reverse=descending)
            assert list(rows.ids) == expected

    rows.load_all()
    rows.resort()
    shown = [i for i, item in known.items() if accepts is None or accepts(item)]
    if key is not None:
        shown.sort(key=lambda i: (key(known[i]), i), reverse=descending)
        assert list(rows.ids) == shown
    else:
        assert sorted(rows.ids) == sorted(shown)


def test_a_changed_row_is_updated_in_place_and_moves_only_at_the_re_sort() -> None:
    rows, view = make_rows()
    rows.update([Item("a", 1), Item("b", 2), Item("c", 3)], [])
    rows.set_order(KEYS["value"])
    assert list(rows.ids) == ["a", "b", "c"]
    view.calls.clear()
    rows.update([Item("a", 9), Item("b", 2), Item("d", 0)], [])
    assert list(rows.ids) == ["a", "b", "c", "d"] and rows.row_at(0) == Item("a", 9) and rows.needs_resort
    assert view.calls == ["changed", "inserting", "inserted"]   # a change in place, a new row at the end
    assert [rows.in_place(i) for i in "abcdx"] == [False, True, True, False, False]   # (b: same key)
    rows.resort()
    assert list(rows.ids) == ["d", "b", "c", "a"] and all(rows.in_place(i) for i in "abcd")
    assert view.calls == ["changed", "inserting", "inserted", "reordering", "reordered"]


def test_removals_go_in_runs_and_many_runs_in_one_reorder() -> None:
    rows, view = make_rows()
    rows.update([Item(f"v{i:03d}", i) for i in range(200)], [])
    view.calls.clear()
    rows.update([], ["v010", "v011", "v012", "v050"])
    assert view.calls == ["removing", "removed", "removing", "removed"]   # two runs, bottom up
    view.calls.clear()
    rows.update([], [f"v{i:03d}" for i in range(100, 100 + 2 * (MAX_REMOVE_RUNS + 1), 2)])
    assert view.calls == ["reordering", "reordered"]   # no reset: the view keeps its selection
    assert view.ids == list(rows.ids) and len(rows) == 200 - 4 - (MAX_REMOVE_RUNS + 1)


def test_a_batch_of_many_scattered_removals_and_new_rows_shows_each_new_row_once() -> None:
    """Past MAX_REMOVE_RUNS the removal rebuilt every row from the known items, the new ones among
    them, which were then appended a second time (58 duplicates in the 50,000-visitor demo)."""
    for key in (None, KEYS["value"]):
        rows, view = make_rows()
        rows.update([Item(f"v{i:03d}", i % 7) for i in range(200)], [])
        rows.set_order(key)
        gone = [f"v{i:03d}" for i in range(0, 2 * (MAX_REMOVE_RUNS + 1), 2)]
        rows.update([Item("new1", 3), Item("new2", 4)], gone)
        assert sorted(rows.ids) == sorted({f"v{i:03d}" for i in range(200)} - set(gone) | {"new1", "new2"})
        assert view.ids == list(rows.ids) and len(rows) == rows.total


def test_a_snapshot_shows_its_first_page_and_newer_news_wins_over_what_still_waits() -> None:
    rows, _view = make_rows()
    rows.replace_all([Item(f"v{i}", i) for i in range(10)], first_page=3)
    assert list(rows.ids) == ["v0", "v1", "v2"] and rows.is_loading and rows.total == 10
    assert rows.item("v9") == Item("v9", 9)                      # known before its row exists
    rows.update([Item("v8", 80)], ["v7"])
    rows.load(60.0, batch=2)
    assert not rows.is_loading
    assert rows.row_of("v7") is None and rows.item("v7") is None
    assert rows.row_at(rows.row_of("v8")) == Item("v8", 80)
    assert len(rows) == rows.total == 9


def test_an_id_upserted_and_removed_in_one_batch_is_gone_row_and_all() -> None:
    rows, view = make_rows()
    rows.update([Item("a", 1), Item("b", 2)], [])
    rows.update([Item("a", 5), Item("c", 3)], ["a", "c"])
    assert list(rows.ids) == view.ids == ["b"]
    assert rows.item("a") is None and rows.total == 1


def test_the_last_version_of_an_item_in_a_batch_decides_whether_it_is_shown() -> None:
    rows, view = make_rows()
    rows.set_filter(FILTERS["odd values"])
    rows.update([Item("a", 1), Item("a", 2), Item("b", 2), Item("b", 3)], [])
    assert list(rows.ids) == view.ids == ["b"]
    assert rows.row_at(0) == Item("b", 3)


def test_the_prepare_hook_sees_every_item_on_the_way_in() -> None:
    rows: SortedRows[Item] = SortedRows(prepare=lambda item: Item(item.id, 0))
    rows.update([Item("a", 5)], [])
    rows.replace_all([Item("b", 7), Item("c", 8)], first_page=1)
    assert rows.row_at(0) == Item("b", 0)
    assert rows.item("c") == Item("c", 0)      # still waiting, and prepared all the same


def test_while_sorted_a_snapshot_is_in_order_after_each_slice_it_loads() -> None:
    """At 50,000 visitors, sorting the whole snapshot once it was all in stopped the loop for 150-200 ms:
    each slice is merged into place as it comes, so the rows shown are in order all along."""
    rows, view = make_rows()
    rows.set_order(KEYS["value"], descending=True)
    rows.replace_all([Item(f"v{i:03d}", (i * 37) % 101) for i in range(100)], first_page=10)
    slices = 0
    while rows.is_loading:
        rows.load(0.0, batch=15)   # one slice: a batch of 15, then the time is up
        slices += 1
        assert not rows.needs_resort
        assert list(rows.ids) == sorted(rows.ids, key=lambda i: (rows.item(i).value, i), reverse=True)
        assert view.ids == list(rows.ids)
    assert slices > 1 and len(rows) == 100


def test_rows_are_found_by_their_place_after_moves_removals_and_waiting_rows() -> None:
    """No id -> row map is kept (rebuilding one at 50,000 rows on every re-sort and removal was most of
    their cost): a row is found by bisection on its place key, also while rows wait for a re-sort."""
    for descending in (False, True):
        rows, view = make_rows()
        rows.update([Item(f"v{i:03d}", i % 7) for i in range(60)], [])
        rows.set_order(KEYS["value"], descending)
        rows.update([Item("v005", 99), Item("new", 3)], ["v010", "v011", "v040"])  # moved, waiting, gone
        assert rows.needs_resort
        assert [rows.row_of(i) for i in rows.ids] == list(range(len(rows)))
        assert rows.row_of("v010") is None and rows.row_at(rows.row_of("new")) == Item("new", 3)
        rows.resort()
        assert list(rows.ids) == sorted(rows.ids, key=lambda i: (rows.item(i).value, i), reverse=descending)
        assert [rows.row_of(i) for i in rows.ids] == list(range(len(rows))) and view.ids == list(rows.ids)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="\0\1ab", max_size=4), st.text(alphabet="\0\1ab", max_size=3)),
                max_size=30, unique=True))
def test_text_places_sort_as_their_value_and_id_pairs(pairs) -> None:
    """A text key's place is one string (a re-sort compares one object per probe, not three): it sorts
    as the (value, id) pair does, NULs in the value and values that extend others included."""
    assert sorted(pairs, key=lambda pair: text_place(*pair)) == sorted(pairs)
