"""The visitor list panel: a filter line, a state filter, the table, and a count."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import VisitorState
from operator_desk.ui.models.visitor_model import VisitorColumn, VisitorRole, VisitorTableModel


class VisitorListPanel(QWidget):
    visitor_selected = Signal(str)   # visitor id ("" when the selection is cleared)
    # The states chosen in the state filter (empty: all): the desk subscribes to just those.
    states_chosen = Signal(tuple)

    def __init__(self, model: VisitorTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter visitors (name, page, company…)"))
        self.filter_edit.setAccessibleName(self.tr("Filter visitors"))
        self.filter_edit.setClearButtonEnabled(True)
        self.state_combo = QComboBox(self)
        self.state_combo.setAccessibleName(self.tr("Show visitors in state"))
        self.state_combo.addItem(self.tr("All states"), ())
        self.state_combo.addItem(self.tr("Waiting"), (VisitorState.WAITING,))
        self.state_combo.addItem(self.tr("Chatting"), (VisitorState.CHATTING,))
        self.state_combo.addItem(self.tr("Browsing"), (VisitorState.BROWSING,))
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setObjectName("countLabel")

        self.view = QTableView(self)
        self.view.setObjectName("visitorTable")
        self.view.setAccessibleName(self.tr("Visitors on the site"))
        self.view.setModel(model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        # Wide enough for the "no consent" marker in English and German, so it is never cut short, and
        # never narrower than the header's own text ("Verweildauer").
        widths = {VisitorColumn.NAME: 150, VisitorColumn.STATE: 90, VisitorColumn.PAGE: 180,
                  VisitorColumn.TIME_ON_SITE: 95, VisitorColumn.PAGES_VIEWED: 60,
                  VisitorColumn.LOCATION: 175, VisitorColumn.COMPANY: 175, VisitorColumn.IP: 175}
        # "Pages" says "This page, now" for a visitor who consented to nothing: room for it whole.
        widths[VisitorColumn.PAGES_VIEWED] = max(widths[VisitorColumn.PAGES_VIEWED], self.view.fontMetrics(
        ).horizontalAdvance(model.this_page_text()) + 16)
        for column, width in widths.items():
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        # Typing in the filter re-filters after a short pause, not on every key, at 10,000 rows.
        self._filter_delay = QTimer(self)
        self._filter_delay.setSingleShot(True)
        self._filter_delay.setInterval(150)
        self._filter_delay.timeout.connect(self._on_filter_delay_timeout)
        self.filter_edit.textChanged.connect(self._filter_delay.start)
        self.state_combo.currentIndexChanged.connect(self._on_filter_delay_timeout)
        self.state_combo.currentIndexChanged.connect(self._on_state_combo_current_index_changed)
        model.visible_count_changed.connect(self._on_model_visible_count_changed)
        self._on_model_visible_count_changed(model.rowCount(), model.total_count)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.state_combo)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def selected_visitor_id(self) -> str:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(VisitorRole.VISITOR_ID) if rows else ""

    def select_visitor(self, visitor_id: str) -> None:
        row = self.model.row_of(visitor_id)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def _on_filter_delay_timeout(self) -> None:
        self.model.set_filter(text=self.filter_edit.text(), states=self.state_combo.currentData() or ())

    def _on_state_combo_current_index_changed(self, _index: int) -> None:
        self.states_chosen.emit(tuple(self.state_combo.currentData() or ()))

    def _on_model_visible_count_changed(self, shown: int, total: int) -> None:
        if shown == total:
            text = self.tr("%n visitor(s)", "", total)
        else:
            text = self.tr("%1 of %2 shown").replace("%1", str(shown)).replace("%2", str(total))
        self.count_label.setText(text)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.visitor_selected.emit(self.selected_visitor_id())
