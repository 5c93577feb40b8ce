"""The visitor list model: fed by coalesced batches, sorted and filtered in the model, consent-gated."""

from __future__ import annotations

import random

import msgspec
import pytest
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import QTableView
from ui_factories import make_visitor

from operator_desk.domain.model import ConsentFlags, Insights, VisitorState
from operator_desk.services.events import VisitorsChanged
from operator_desk.ui.models.qt_row_events import MAX_ROW_SIGNALS
from operator_desk.ui.models.sorted_rows import MAX_REMOVE_RUNS
from operator_desk.ui.models.visitor_columns import COLUMNS, INSIGHT_COLUMNS
from operator_desk.ui.models.visitor_model import (
    FIRST_PAGE,
    VisitorColumn,
    VisitorRole,
    VisitorTableModel,
)
from operator_desk.ui.naming import pseudonym


class PaintCatcher(QObject):
    """Notes the region of each paint of the widget it filters."""

    def __init__(self, painted: list[QRect]) -> None:
        super().__init__()
        self._painted = painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._painted.extend(event.region())
        return False


@pytest.fixture
def model(qtbot):
    return VisitorTableModel()


def ids(model: VisitorTableModel) -> list[str]:
    return [model.data(model.index(r, 0), VisitorRole.VISITOR_ID) for r in range(model.rowCount())]


def text(model: VisitorTableModel, row: int, column: VisitorColumn) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_every_column_is_declared_once_in_column_order():
    assert list(COLUMNS) == list(VisitorColumn)
    assert {VisitorColumn.LOCATION, VisitorColumn.COMPANY, VisitorColumn.IP} == INSIGHT_COLUMNS


def test_model_passes_qt_model_tester(qtmodeltester, model):
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i}", insights=i % 2 == 0) for i in range(40))))
    model.sort(VisitorColumn.NAME)
    model.apply(VisitorsChanged(upserts=(make_visitor("v3", state=VisitorState.WAITING),), removed=("v4",)))
    qtmodeltester.check(model)
    # The tester stays connected: many scattered removals go in one layout change, which it checks too.
    selected = QPersistentModelIndex(model.index(model.row_of("v31"), 0))
    model.apply(VisitorsChanged(removed=tuple(f"v{i}" for i in range(5, 5 + 2 * (MAX_REMOVE_RUNS + 1), 2))))
    assert model.rowCount() == 40 - 1 - (MAX_REMOVE_RUNS + 1)
    assert selected.isValid() and selected.data(VisitorRole.VISITOR_ID) == "v31"
    qtmodeltester.check(model)


def shown(model: VisitorTableModel, rows) -> None:
    """Read these rows as a view painting them does (the model tells views only of rows read since their
    last change)."""
    for row in rows:
        text(model, row, VisitorColumn.NAME)


def test_one_batch_inserts_in_one_block_and_updates_each_row_with_its_own_signal(qtbot, model):
    inserts = []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i}") for i in range(MAX_ROW_SIGNALS + 10))))
    assert inserts == [(0, MAX_ROW_SIGNALS + 9)]
    shown(model, range(model.rowCount()))
    changes = []
    model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.row())))
    model.apply(VisitorsChanged(upserts=(
        make_visitor("v10", chat=True, pages_viewed=5), make_visitor("v20", chat=True, pages_viewed=7),
    )))
    assert sorted(changes) == [(10, 10), (20, 20)]
    assert text(model, 20, VisitorColumn.PAGES_VIEWED) == "7"
    shown(model, range(model.rowCount()))
    changes.clear()   # a batch that changes many rows: one range, not a signal each
    model.apply(VisitorsChanged(upserts=tuple(
        make_visitor(f"v{i}", pages_viewed=2) for i in range(3, MAX_ROW_SIGNALS + 5))))
    assert changes == [(3, MAX_ROW_SIGNALS + 4)]


def test_adjacent_changed_rows_go_in_one_signal_a_run(qtbot, model):
    """Rows next to each other changed in one batch repaint as one range: one Python signal for the run
    (at 40 batches a second each signal costs), and no row outside the runs is said to have changed."""
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i:02d}", chat=True) for i in range(40))))
    shown(model, range(40))
    changes = []
    model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.row(), tl.column(),
                                                                        br.column())))
    model.apply(VisitorsChanged(upserts=tuple(
        make_visitor(f"v{i:02d}", chat=True, pages_viewed=3) for i in (12, 5, 6, 30, 7, 13, 20))))
    last = len(VisitorColumn) - 1
    assert changes == [(5, 7, 0, last), (12, 13, 0, last), (20, 20, 0, last), (30, 30, 0, last)]
    assert all(text(model, row, VisitorColumn.PAGES_VIEWED) == "3" for row in (5, 6, 7, 12, 13, 20, 30))


def test_a_row_no_view_has_read_since_it_changed_is_not_told_as_changed_and_shows_its_news(qtbot, model):
    """At 50,000 rows almost every changed visitor is off screen: telling the view cost a bisection for
    the row and a signal each (2,000 a second). No view can show old data for a visitor whose cells
    nobody read since its last change; once read, its next change is told again."""
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i:04d}", chat=True) for i in range(2000))))
    view.show()
    qtbot.waitUntil(lambda: view.rowAt(0) == 0 and text(model, 0, VisitorColumn.NAME) != "")
    changes = []
    model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.row())))
    model.apply(VisitorsChanged(upserts=(make_visitor("v1900", chat=True, pages_viewed=4),)))
    assert changes == []   # off screen, never painted
    painted: list[QRect] = []
    view.viewport().installEventFilter(catcher := PaintCatcher(painted))
    view.scrollTo(model.index(1900, 0))   # the operator scrolls to it: it is painted with its news
    qtbot.waitUntil(lambda: any(rect.intersects(view.visualRect(model.index(1900, 0))) for rect in painted))
    model.apply(VisitorsChanged(upserts=(make_visitor("v1900", chat=True, pages_viewed=5),)))   # on screen
    assert catcher and changes == [(1900, 1900)]
    assert text(model, 1900, VisitorColumn.PAGES_VIEWED) == "5"


def test_a_change_off_screen_does_not_repaint_the_rows_on_screen(qtbot, model):
    """At 50,000 rows and 40 batches a second, a ranged signal from the top row changed to the bottom one
    repainted everything the view showed each time (most of the list's cost in the flood)."""
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i:04d}") for i in range(2000))))
    painted: list[QRect] = []
    view.viewport().installEventFilter(catcher := PaintCatcher(painted))
    view.show()
    qtbot.waitUntil(lambda: bool(painted))   # the first paint, of everything
    painted.clear()
    model.apply(VisitorsChanged(upserts=(
        make_visitor("v0001", pages_viewed=4), make_visitor("v1900", pages_viewed=4))))   # on, off screen
    qtbot.waitUntil(lambda: bool(painted))
    assert catcher and all(rect.height() < 2 * view.rowHeight(1) for rect in painted)   # one row's height
    assert view.rowViewportPosition(1) in {rect.top() for rect in painted}


def test_removal_and_reset(model):
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i}") for i in range(10))))
    model.apply(VisitorsChanged(removed=("v2", "v3", "v7")))
    assert ids(model) == ["v0", "v1", "v4", "v5", "v6", "v8", "v9"]
    assert model.row_of("v8") == 5
    model.apply(VisitorsChanged(upserts=(make_visitor("x1"), make_visitor("x2")), reset=True))
    assert ids(model) == ["x1", "x2"]
    assert model.total_count == 2


def test_sort_is_kept_as_batches_arrive(model, qtbot):
    model.apply(VisitorsChanged(upserts=tuple(
        make_visitor(f"v{i}", chat=True, pages_viewed=n) for i, n in enumerate([5, 1, 9, 3])
    )))
    model.sort(VisitorColumn.PAGES_VIEWED, Qt.SortOrder.DescendingOrder)
    assert [text(model, r, VisitorColumn.PAGES_VIEWED) for r in range(4)] == ["9", "5", "3", "1"]
    selected = QPersistentModelIndex(model.index(0, 0))  # v2, 9 pages
    model.apply(VisitorsChanged(upserts=(
        make_visitor("v1", chat=True, pages_viewed=20), make_visitor("new", chat=True, pages_viewed=4),
    )))
    assert text(model, 3, VisitorColumn.PAGES_VIEWED) == "20"   # updated in place at once ...
    with qtbot.waitSignal(model.layoutChanged, timeout=2000):   # ... and re-sorted shortly after
        pass
    assert [text(model, r, VisitorColumn.PAGES_VIEWED) for r in range(5)] == ["20", "9", "5", "4", "3"]
    assert model.data(QModelIndex(selected), VisitorRole.VISITOR_ID) == "v2"  # selection follows its row


def test_a_re_sort_that_falls_due_runs_at_the_end_of_the_next_batch(qtbot):
    """At 50,000 rows a re-sort and the repaint after it take 10-15 ms each: run at their own time they
    held up the next batch (every batch that came 30-60 ms late in the flood came after one). Once due,
    the re-sort waits for the end of the next batch, while the services gather the one after."""
    model = VisitorTableModel(resort_grace_ms=60_000)   # (no batch in 40 ms on a loaded machine: not here)
    model.apply(VisitorsChanged(upserts=tuple(
        make_visitor(f"v{i}", chat=True, pages_viewed=n) for i, n in enumerate([5, 1, 9, 3]))))
    model.sort(VisitorColumn.PAGES_VIEWED)
    layouts = []
    model.layoutChanged.connect(lambda *args: layouts.append(model.rowCount()))
    model.apply(VisitorsChanged(upserts=(make_visitor("v0", chat=True, pages_viewed=7),)))
    qtbot.waitUntil(lambda: model.resort_due, timeout=2000)
    assert layouts == [] and model.rows.needs_resort   # due, not run
    model.apply(VisitorsChanged(upserts=(make_visitor("v1", chat=True, pages_viewed=8),)))
    assert layouts == [4] and not model.resort_due     # at the end of that batch, that batch's change in
    assert [text(model, r, VisitorColumn.PAGES_VIEWED) for r in range(4)] == ["3", "7", "8", "9"]


def test_filter_by_text_and_state_in_the_model(model):
    model.apply(VisitorsChanged(upserts=(
        make_visitor("a", page_title="Tents"),
        make_visitor("b", page_title="Boots", state=VisitorState.WAITING),
        make_visitor("c", page_title="Jackets", insights=True, company="Globex"),
        make_visitor("d", page_title="Jackets", insights=False, company="Globex"),
    )))
    model.set_filter(text="boots")
    assert ids(model) == ["b"]
    model.set_filter(text="globex")  # company matches only where consent lets us see it
    assert ids(model) == ["c"]
    model.set_filter(text="", states={VisitorState.WAITING})
    assert ids(model) == ["b"]
    # A visitor that starts matching arrives; one that stops matching leaves.
    model.apply(VisitorsChanged(upserts=(
        make_visitor("a", state=VisitorState.WAITING), make_visitor("b", state=VisitorState.CHATTING),
    )))
    assert ids(model) == ["a"]
    model.set_filter(states=())
    assert sorted(ids(model)) == ["a", "b", "c", "d"]


def test_name_needs_chat_consent_else_a_stable_pseudonym(model):
    model.apply(VisitorsChanged(upserts=(
        make_visitor("v-named", name="Ada Lovelace", chat=True),
        msgspec.structs.replace(make_visitor("v-anon"), name="Leaked Name"),  # name without consent
    )))
    assert text(model, 0, VisitorColumn.NAME) == "Ada Lovelace"
    assert text(model, 1, VisitorColumn.NAME) == pseudonym("v-anon")
    assert pseudonym("v-anon") == pseudonym("v-anon") != pseudonym("v-other")
    assert pseudonym("v-anon").startswith("Visitor ")


def test_a_visitor_who_consented_to_nothing_is_this_page_now(model):
    model.apply(VisitorsChanged(upserts=(
        make_visitor("v-plain", pages_viewed=3),
        make_visitor("v-chat", chat=True, pages_viewed=3),
        make_visitor("v-insights", insights=True, pages_viewed=4),
    )))
    shown = {model.index(row, 0).data(VisitorRole.VISITOR_ID): text(model, row, VisitorColumn.PAGES_VIEWED)
             for row in range(model.rowCount())}
    assert shown == {"v-plain": "This page, now", "v-chat": "3", "v-insights": "4"}
    # Sorted as shown (one page): the order, and the sort key a view may read, do not tell the count.
    model.apply(VisitorsChanged(upserts=(make_visitor("v-plain", pages_viewed=9),
                                         make_visitor("v-one", chat=True, pages_viewed=1))))
    model.sort(VisitorColumn.PAGES_VIEWED, Qt.SortOrder.DescendingOrder)
    assert ids(model)[:2] == ["v-insights", "v-chat"] and set(ids(model)[2:]) == {"v-plain", "v-one"}
    row = model.row_of("v-plain")
    assert model.data(model.index(row, VisitorColumn.PAGES_VIEWED), VisitorRole.SORT_KEY) == "1"


def _all_role_values(model: VisitorTableModel) -> str:
    roles = [*range(0, 40), *VisitorRole]
    values = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            values.extend(str(model.data(index, role)) for role in roles)
    return "\n".join(values)


def test_insights_are_gated_in_every_role_and_change_the_moment_consent_changes(model):
    with_consent = make_visitor("v1", insights=True, city="Grenoble", company="Initech", ip="198.51.100.23")
    # A server that sent insights without consent: the model must not show them anyway.
    leaky = msgspec.structs.replace(
        make_visitor("v1"), insights=Insights(ip="198.51.100.23", company="Initech"),
    )
    model.apply(VisitorsChanged(upserts=(leaky,)))
    dump = _all_role_values(model)
    for secret in ("Grenoble", "Initech", "198.51.100.23"):
        assert secret not in dump
    for column in (VisitorColumn.LOCATION, VisitorColumn.COMPANY, VisitorColumn.IP):
        assert text(model, 0, column) == "No consent"
        assert not model.data(model.index(0, column), Qt.ItemDataRole.DecorationRole).isNull()
        assert "consent" in model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)

    model.apply(VisitorsChanged(upserts=(with_consent,)))
    assert text(model, 0, VisitorColumn.LOCATION) == "Grenoble, France"
    assert text(model, 0, VisitorColumn.COMPANY) == "Initech"
    assert text(model, 0, VisitorColumn.IP) == "198.51.100.23"

    withdrawn = msgspec.structs.replace(with_consent, consent=ConsentFlags(visitor_insights=False))
    model.apply(VisitorsChanged(upserts=(withdrawn,)))
    assert text(model, 0, VisitorColumn.IP) == "No consent"
    assert "198.51.100.23" not in _all_role_values(model)


def test_a_large_snapshot_shows_a_first_page_at_once_and_loads_the_rest_in_later_turns(
        qtbot, qtmodeltester, model):
    count = FIRST_PAGE + 700
    model.apply(VisitorsChanged(upserts=tuple(make_visitor(f"v{i:04d}") for i in range(count)), reset=True))
    assert model.rowCount() == FIRST_PAGE          # shown at once ...
    assert model.total_count == count              # ... and counted in full
    assert model.is_loading
    last = f"v{count - 1:04d}"
    assert model.visitor(last) is not None         # looked up before its row exists
    # Newer news about visitors still waiting in the snapshot wins over the snapshot.
    model.apply(VisitorsChanged(upserts=(make_visitor(last, chat=True, pages_viewed=99),),
                                removed=("v0500",)))
    qtbot.waitUntil(lambda: not model.is_loading, timeout=5000)
    assert model.rowCount() == model.total_count == count - 1
    assert model.row_of("v0500") is None
    assert text(model, model.row_of(last), VisitorColumn.PAGES_VIEWED) == "99"
    assert len(set(ids(model))) == count - 1
    qtmodeltester.check(model)


def test_a_sorted_snapshot_is_in_order_once_loaded(qtbot, qtmodeltester, model):
    qtmodeltester.check(model)   # and every change after this, as it happens
    model.sort(VisitorColumn.PAGES_VIEWED, Qt.SortOrder.DescendingOrder)
    rng = random.Random(3)
    pages = {f"v{i:04d}": rng.randrange(50) for i in range(FIRST_PAGE * 3)}
    model.apply(VisitorsChanged(
        upserts=tuple(make_visitor(i, chat=True, pages_viewed=n) for i, n in pages.items()), reset=True))
    qtbot.waitUntil(lambda: not model.is_loading and ids(model) == sorted(
        pages, key=lambda i: (pages[i], i), reverse=True), timeout=5000)


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("changes", [2, 12, 100])   # a few rows move by bisection; many by one sort
def test_re_sorting_the_changed_rows_gives_the_order_of_a_full_sort(qtmodeltester, model, order, changes):
    rng = random.Random(changes)
    pages = {f"v{i:03d}": rng.randrange(30) for i in range(120)}
    model.apply(VisitorsChanged(
        upserts=tuple(make_visitor(i, chat=True, pages_viewed=n) for i, n in pages.items())))
    qtmodeltester.check(model)
    model.sort(VisitorColumn.PAGES_VIEWED, order)
    for _ in range(3):
        selected = QPersistentModelIndex(model.index(rng.randrange(model.rowCount()), 2))
        selected_id = selected.data(VisitorRole.VISITOR_ID)
        changed = rng.sample(sorted(pages), changes)
        for visitor_id in changed:
            pages[visitor_id] = rng.randrange(30)
        new = {f"n{rng.randrange(10**6):06d}": rng.randrange(30) for _ in range(2)}
        pages.update(new)
        gone = rng.sample(sorted(set(pages) - {selected_id, *new}), 2)
        for visitor_id in gone:
            del pages[visitor_id]
        model.apply(VisitorsChanged(
            upserts=tuple(make_visitor(i, chat=True, pages_viewed=pages[i])
                          for i in [*changed, *new] if i in pages),
            removed=tuple(gone)))
        model.flush_sort()
        expected = sorted(pages, key=lambda i: (pages[i], i), reverse=order == Qt.SortOrder.DescendingOrder)
        assert ids(model) == expected
        assert [model.row_of(i) for i in expected] == list(range(len(expected)))
        assert selected.data(VisitorRole.VISITOR_ID) == selected_id    # the selection follows its row
        assert selected.column() == 2
