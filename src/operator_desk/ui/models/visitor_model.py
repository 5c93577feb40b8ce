"""The live visitor list: one row per visitor on the site, fed only by coalesced ``VisitorsChanged``.

Not a ``QSortFilterProxyModel``: with 10,000 Python rows a proxy calls back into Python for every
comparison and filter test on each change. The rows live in a Qt-free ``SortedRows`` (sorted, filtered,
re-sorted by bisection, removed in runs, snapshots loaded in slices); this model is its thin Qt face:
``qt_row_events`` turns the store's events into Qt's begin/end calls; this model runs re-sorts and
snapshot slices on timers, and says what each cell shows from the column table in ``visitor_columns``
(STYLE §2). Display strings are made once per update, when a view first asks; a change is told to the
views (``dataChanged``) only for a visitor whose strings were made since its last change, as no view
can show the others' old data.

Consent gating happens here too, whatever the services sent: every visitor passes through
``redact_by_flags`` on the way in, and location, company and IP cells say "no consent" (text, icon and
tooltip) unless ``visitor_insights`` is granted.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from operator_desk.domain.consent import redact_by_flags
from operator_desk.domain.model import Purpose, Visitor, VisitorState
from operator_desk.services.events import VisitorsChanged
from operator_desk.ui import icons
from operator_desk.ui.models.qt_row_events import QtRowEvents
from operator_desk.ui.models.row_model import ModelIndex, RowTableModel
from operator_desk.ui.models.sorted_rows import SortedRows
from operator_desk.ui.models.visitor_columns import (
    COLUMNS,
    INSIGHT_COLUMNS,
    VisitorColumn,
    has_insights,
    location_text,
)
from operator_desk.ui.naming import display_name
from operator_desk.ui.timefmt import now_utc, seconds_since, short_duration

# Re-sort a sorted list at most this often (see the re-sort timer) ...
RESORT_INTERVAL_MS = 250
# ... at the end of the first batch after that, or this long after it if no batch comes (more than the
# services' 25 ms coalescing window).
RESORT_GRACE_MS = 40
# A reset shows this many rows at once (more than any window has room for) ...
FIRST_PAGE = 200
# ... and loads the rest in slices of about this long, one per event-loop turn.
LOAD_SLICE_MS = 6

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SPECS = [COLUMNS[column] for column in VisitorColumn]


class VisitorRole(enum.IntEnum):
    VISITOR_ID = Qt.ItemDataRole.UserRole + 1
    VISITOR = enum.auto()       # the (redacted) Visitor struct
    STATE = enum.auto()         # VisitorState
    HAS_INSIGHTS = enum.auto()  # bool: visitor_insights granted
    SORT_KEY = enum.auto()      # what the column sorts by


# The roles a cell answers (the delegate also asks for check state and background: never set here), and
# those that say only whether an insight cell is shown as "no consent".
_ANSWERED = frozenset({_DISPLAY, _FONT, _FOREGROUND, _ALIGNMENT, _DECORATION, _TOOLTIP, _ACCESSIBLE_TEXT,
                       *map(int, VisitorRole)})
_GATING = frozenset({_FONT, _FOREGROUND, _DECORATION})


class VisitorTableModel(RowTableModel):
    """Visitors in display order (sorted, filtered); the rest are kept but not shown."""

    visible_count_changed = Signal(int, int)  # shown, total

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], datetime] = now_utc,
                 resort_grace_ms: int = RESORT_GRACE_MS) -> None:
        super().__init__(parent)
        self._clock = clock
        self._resort_grace_ms = resort_grace_ms
        self.rows: SortedRows[Visitor] = SortedRows(
            QtRowEvents(self, len(VisitorColumn), lambda: self.rows), prepare=redact_by_flags)
        self._sort_column = -1
        self._filter_text = ""
        self._filter_states: frozenset[VisitorState] = frozenset()
        self._cells: dict[str, tuple[str, ...]] = {}    # display strings per visitor, made on demand
        self._no_consent_icon: QIcon | None = None
        self._gated_font: QFont | None = None
        self._gated_brush = QBrush(QColor("#8a6d3b"))
        self._headers = [self.tr(spec.title) for spec in _SPECS]
        # "Time on site" moves on its own: one ranged dataChanged for the column every few seconds.
        self._tick = QTimer(self)
        self._tick.setInterval(5000)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._tick.start()
        # Re-sorting is a layout change the view pays for in full; at 40 batches a second that alone
        # would saturate the loop. Changed rows update at once; their order catches up a few times a
        # second, which is also easier to read than a list that jumps forty times a second. A re-sort
        # that falls due waits for the end of the next batch: then it (and the repaint after it, each
        # ~10-15 ms at 50,000 rows) runs while the services gather the batch after, instead of holding
        # that batch up (behind a re-sort was where the flood's late batches came).
        self._resort_timer = QTimer(self)
        self._resort_timer.setSingleShot(True)
        self._resort_timer.timeout.connect(self._on_resort_timer_timeout)
        self._resort_due = False
        # The rest of a snapshot, a slice per event-loop turn.
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._on_load_timer_timeout)

    # -- words (the column texts ask for these: VisitorWords) -----------------------------------------

    def state_text(self, state: VisitorState) -> str:
        return {
            VisitorState.BROWSING: self.tr("Browsing"),
            VisitorState.WAITING: self.tr("Waiting"),
            VisitorState.CHATTING: self.tr("Chatting"),
            VisitorState.LEFT: self.tr("Left"),
        }[state]

    def unknown_text(self) -> str:
        return self.tr("unknown")

    def time_on_site_text(self, visitor: Visitor) -> str:
        return short_duration(seconds_since(visitor.on_site_since, self._clock()))

    def this_page_text(self) -> str:
        return self.tr("This page, now")

    def no_consent_text(self) -> str:
        return self.tr("No consent")

    def no_consent_tooltip(self) -> str:
        return self.tr(
            "No consent: the visitor has not agreed to share location, company and IP address "
            "(visitor insights)."
        )

    def consent_text(self, visitor: Visitor) -> str:
        short = {
            Purpose.CHAT: self.tr("Chat"),
            Purpose.VISITOR_INSIGHTS: self.tr("Insights"),
            Purpose.CONTACT_DETAILS: self.tr("Details"),
            Purpose.TYPING_PREVIEW: self.tr("Preview"),
        }
        granted = [short[p] for p in Purpose if visitor.consent.granted(p)]
        return " · ".join(granted) if granted else self.tr("none")

    def consent_tooltip(self, visitor: Visitor) -> str:
        names = {
            Purpose.CHAT: self.tr("Chat (name, e-mail, transcript)"),
            Purpose.VISITOR_INSIGHTS: self.tr("Visitor insights (location, company, IP, visits)"),
            Purpose.CONTACT_DETAILS: self.tr("Contact details on request"),
            Purpose.TYPING_PREVIEW: self.tr("Typing preview"),
        }
        lines = [
            ("✓ " if visitor.consent.granted(p) else "✗ ") + names[p] for p in Purpose
        ]
        return "\n".join(lines)

    # -- batches --------------------------------------------------------------------------------------

    def apply(self, batch: VisitorsChanged) -> None:
        """Apply one coalesced batch: the only way rows change."""
        if batch.reset:
            self._load_timer.stop()
            self._cells = {}
            self.rows.replace_all(batch.upserts, FIRST_PAGE, batch.by_id)
            self._count_changed()
            if self.rows.is_loading:
                self._load_timer.start()
            return
        # A visitor whose display strings were made since its last change may be on screen: only its
        # row is told to the view (a dataChanged costs a bisection for the row and a signal; at 50,000
        # rows nearly every changed visitor is far off screen). The strings go: they are made anew.
        cells = self._cells
        seen = {visitor.id for visitor in batch.upserts if cells.pop(visitor.id, None) is not None}
        for visitor_id in batch.removed:
            cells.pop(visitor_id, None)
        if self.rows.update(batch.upserts, batch.removed, seen):
            self._count_changed()
        if self._resort_due:
            self._resort_now()
        if self.rows.needs_resort and not self._resort_timer.isActive():
            self._resort_timer.start(RESORT_INTERVAL_MS)

    def _on_load_timer_timeout(self) -> None:
        loading = self.rows.is_loading
        self.rows.load(LOAD_SLICE_MS / 1000)   # once all is in: put it in order at once
        if not loading:
            return
        self._count_changed()
        if self.rows.is_loading or self.rows.needs_resort:
            self._load_timer.start()

    @property
    def is_loading(self) -> bool:
        """True while a snapshot is still being loaded in slices."""
        return self.rows.is_loading

    def flush_load(self) -> None:
        """Load the rest of a snapshot now, in order (tests, benchmarks)."""
        self._load_timer.stop()
        self.rows.load_all()
        self._count_changed()

    def _count_changed(self) -> None:
        self.visible_count_changed.emit(len(self.rows), self.total_count)

    # -- sorting and filtering, in the model ----------------------------------------------------------

    @property
    def resort_due(self) -> bool:
        """A re-sort is due: it runs at the end of the next batch, or the grace time from now."""
        return self._resort_due

    def _on_resort_timer_timeout(self) -> None:
        if self._resort_due:   # no batch came in the grace time
            self._resort_now()
        else:
            self._resort_due = True
            self._resort_timer.start(self._resort_grace_ms)

    def _resort_now(self) -> None:
        self._resort_timer.stop()
        self._resort_due = False
        self.rows.resort()

    def flush_sort(self) -> None:
        """Apply a pending re-sort now (tests, and before the user acts on a row position)."""
        if self._resort_timer.isActive() or self._resort_due:
            self._resort_now()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._resort_timer.stop()
        self._resort_due = False
        spec = COLUMNS[VisitorColumn(column)] if column >= 0 else None
        self.rows.set_order(spec.sort_key if spec else None, descending=order == Qt.SortOrder.DescendingOrder,
                            text=spec is not None and spec.text_key)

    def set_filter(self, text: str | None = None, states: Iterable[VisitorState] | None = None) -> None:
        """Filter by free text (name, page, and insights only where consented) and by state."""
        if text is not None:
            self._filter_text = text.strip().casefold()
        if states is not None:
            self._filter_states = frozenset(states)
        self._resort_timer.stop()   # the rebuild sorts everything anyway
        self._resort_due = False
        self.rows.set_filter(self._accepts if self._filter_text or self._filter_states else None)
        self._count_changed()

    def _accepts(self, visitor: Visitor) -> bool:
        if self._filter_states and visitor.state not in self._filter_states:
            return False
        needle = self._filter_text
        if not needle:
            return True
        haystack = [display_name(visitor), visitor.page.title, visitor.page.url]
        if has_insights(visitor) and visitor.insights is not None:
            haystack += [location_text(visitor), visitor.insights.company or "", visitor.insights.ip]
        return any(needle in part.casefold() for part in haystack if part)

    # -- lookups --------------------------------------------------------------------------------------

    def visitor(self, visitor_id: str) -> Visitor | None:
        return self.rows.item(visitor_id)

    def row_of(self, visitor_id: str) -> int | None:
        return self.rows.row_of(visitor_id)

    def visitor_at(self, row: int) -> Visitor | None:
        return self.rows.row_at(row)

    @property
    def total_count(self) -> int:
        return self.rows.total

    def _on_tick_timeout(self) -> None:
        if len(self.rows):
            column = VisitorColumn.TIME_ON_SITE
            self.dataChanged.emit(
                self.index(0, column), self.index(len(self.rows) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- Qt model interface ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section in INSIGHT_COLUMNS):
            return self.tr("Shown only with the visitor's consent to visitor insights")
        return super().headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell with seven roles on each repaint, a Python call each: roles the
        # list never answers go at once, those that depend only on the column come next, and the visitor
        # is looked up only for the rest. Display strings come from a per-visitor cache.
        if role not in _ANSWERED or not index.isValid():
            return None
        column = index.column()
        spec = _SPECS[column]
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if spec.align_right else None
        if role in _GATING and not spec.insight:
            return None
        visitor = self.rows.row_at(index.row())
        if visitor is None:
            return None
        if role == _DISPLAY:   # (the strings are made for every column: a view that read any has seen it)
            texts = self._texts(visitor)
            return spec.text(self, visitor) if spec.moves else texts[column]
        gated = spec.insight and not has_insights(visitor)
        if role == _FONT:
            if not gated:
                return None
            if self._gated_font is None:
                self._gated_font = QFont()
                self._gated_font.setItalic(True)
            return self._gated_font
        if role == _FOREGROUND:
            return self._gated_brush if gated else None
        if role == _DECORATION:
            if gated:
                if self._no_consent_icon is None:
                    self._no_consent_icon = icons.icon("no-consent")
                return self._no_consent_icon
            return None
        if role == VisitorRole.VISITOR_ID:
            return visitor.id
        if role == VisitorRole.VISITOR:
            return visitor
        if role == VisitorRole.STATE:
            return visitor.state
        if role == VisitorRole.HAS_INSIGHTS:
            return has_insights(visitor)
        if role == VisitorRole.SORT_KEY:
            return str(spec.sort_key(visitor))
        if role == _TOOLTIP:
            if gated:
                return self.no_consent_tooltip()
            return spec.tooltip(self, visitor) if spec.tooltip else None
        if role == _ACCESSIBLE_TEXT:
            texts = self._texts(visitor)
            if gated:
                return self.no_consent_tooltip()
            return spec.text(self, visitor) if spec.moves else texts[column]
        return None

    def _texts(self, visitor: Visitor) -> tuple[str, ...]:
        """The visitor's display strings by column ("No consent" where gated; columns that move with
        the clock are left out), made on first use after each update."""
        texts = self._cells.get(visitor.id)
        if texts is None:
            gated = not has_insights(visitor)
            texts = tuple(
                "" if spec.moves
                else self.no_consent_text() if gated and spec.insight
                else spec.text(self, visitor)
                for spec in _SPECS
            )
            self._cells[visitor.id] = texts
        return texts


__all__ = ["INSIGHT_COLUMNS", "VisitorColumn", "VisitorRole", "VisitorTableModel"]
