"""The live visitor list: one row per visitor on the site, fed only by coalesced ``VisitorsChanged``.

Why not a ``QSortFilterProxyModel``: with 10,000 Python rows a proxy calls back into Python for every
comparison and every filter test on each change. Here the model owns the visible rows in their sorted,
filtered order plus an id -> row map, and applies each batch as one insert block, one ranged
``dataChanged`` and (when sorted) one layout change (STYLE §2).

Consent gating happens here too, whatever the services sent: every visitor passes through
``redact_by_flags`` on the way in, and location, company and IP cells say "no consent" (text, icon and
tooltip) unless ``visitor_insights`` is granted.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from operator_desk.domain.consent import redact_by_flags
from operator_desk.domain.model import Purpose, Visitor, VisitorState
from operator_desk.services.events import VisitorsChanged
from operator_desk.ui import icons
from operator_desk.ui.naming import display_name
from operator_desk.ui.timefmt import now_utc, seconds_since, short_duration

ModelIndex = QModelIndex | QPersistentModelIndex

# Re-sort a sorted list at most this often (see _schedule_resort).
RESORT_INTERVAL_MS = 250
# Beyond this many separate runs of removed rows a reset is cheaper than many remove blocks.
_MAX_REMOVE_RUNS = 32


class VisitorRole(enum.IntEnum):
    VISITOR_ID = Qt.ItemDataRole.UserRole + 1
    VISITOR = enum.auto()       # the (redacted) Visitor struct
    STATE = enum.auto()         # VisitorState
    HAS_INSIGHTS = enum.auto()  # bool: visitor_insights granted
    SORT_KEY = enum.auto()      # what the column sorts by


class VisitorColumn(enum.IntEnum):
    NAME = 0
    STATE = 1
    PAGE = 2
    TIME_ON_SITE = 3
    PAGES_VIEWED = 4
    LOCATION = 5
    COMPANY = 6
    IP = 7
    CONSENT = 8


INSIGHT_COLUMNS = frozenset({VisitorColumn.LOCATION, VisitorColumn.COMPANY, VisitorColumn.IP})
_STATE_ORDER = {VisitorState.WAITING: 0, VisitorState.CHATTING: 1, VisitorState.BROWSING: 2,
                VisitorState.LEFT: 3}


def _location_text(visitor: Visitor) -> str:
    insights = visitor.insights
    if insights is None or insights.location is None:
        return ""
    parts = [p for p in (insights.location.city, insights.location.country) if p]
    return ", ".join(parts)


def _has_insights(visitor: Visitor) -> bool:
    return visitor.consent.visitor_insights and visitor.insights is not None


class VisitorTableModel(QAbstractTableModel):
    """Visitors in display order (sorted, filtered); the rest are kept but not shown."""

    visible_count_changed = Signal(int, int)  # shown, total

    def __init__(self, parent: QObject | None = None, *, clock: Callable = now_utc) -> None:
        super().__init__(parent)
        self._clock = clock
        self._all: dict[str, Visitor] = {}
        self._rows: list[Visitor] = []
        self._row_of: dict[str, int] = {}
        self._sort_column: int = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._filter_text = ""
        self._filter_states: frozenset[VisitorState] = frozenset()
        self._key_of: dict[str, tuple[Any, str]] = {}   # sort key cache for the current column
        self._no_consent_icon: QIcon | None = None
        self._headers = {
            VisitorColumn.NAME: self.tr("Visitor"),
            VisitorColumn.STATE: self.tr("State"),
            VisitorColumn.PAGE: self.tr("Current page"),
            VisitorColumn.TIME_ON_SITE: self.tr("On site"),
            VisitorColumn.PAGES_VIEWED: self.tr("Pages"),
            VisitorColumn.LOCATION: self.tr("Location"),
            VisitorColumn.COMPANY: self.tr("Company"),
            VisitorColumn.IP: self.tr("IP address"),
            VisitorColumn.CONSENT: self.tr("Consent"),
        }
        # "Time on site" moves on its own: one ranged dataChanged for the column every few seconds.
        self._tick = QTimer(self)
        self._tick.setInterval(5000)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._tick.start()
        # Re-sorting is a layout change the view pays for in full; at 40 batches a second that alone
        # would saturate the loop. Changed rows update at once; their order catches up a few times a
        # second, which is also easier to read than a list that jumps forty times a second.
        self._resort_timer = QTimer(self)
        self._resort_timer.setSingleShot(True)
        self._resort_timer.setInterval(RESORT_INTERVAL_MS)
        self._resort_timer.timeout.connect(self._on_resort_timer_timeout)

    # -- words ----------------------------------------------------------------------------------------

    def state_text(self, state: VisitorState) -> str:
        return {
            VisitorState.BROWSING: self.tr("Browsing"),
            VisitorState.WAITING: self.tr("Waiting"),
            VisitorState.CHATTING: self.tr("Chatting"),
            VisitorState.LEFT: self.tr("Left"),
        }[state]

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
            self._all = {v.id: redact_by_flags(v) for v in batch.upserts}
            self._rebuild()
            return
        inserted: list[Visitor] = []
        changed_rows: list[int] = []
        dropped: set[str] = set(batch.removed)
        sort_touched = False
        for raw in batch.upserts:
            visitor = redact_by_flags(raw)
            dropped.discard(visitor.id)
            self._all[visitor.id] = visitor
            row = self._row_of.get(visitor.id)
            if row is None:
                if self._accepts(visitor):
                    inserted.append(visitor)
                continue
            if not self._accepts(visitor):
                dropped.add(visitor.id)  # it no longer matches the filter: hide it
                continue
            self._rows[row] = visitor
            changed_rows.append(row)
            if self._sort_column >= 0 and self._key_of.get(visitor.id) != self._row_key(visitor):
                sort_touched = True
        for visitor_id in batch.removed:
            self._all.pop(visitor_id, None)
            self._key_of.pop(visitor_id, None)
        # A batch may upsert and remove the same id; the removal came last only if the id is absent.
        inserted = [v for v in inserted if v.id in self._all]

        if changed_rows:
            top, bottom = min(changed_rows), max(changed_rows)
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(VisitorColumn) - 1))
        self._remove_ids(dropped)
        if inserted:
            if self._sort_column >= 0:
                inserted.sort(key=self._row_key, reverse=self._descending)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(inserted) - 1)
            for offset, visitor in enumerate(inserted):
                self._rows.append(visitor)
                self._row_of[visitor.id] = first + offset
            self.endInsertRows()
            sort_touched = sort_touched or self._sort_column >= 0
        if sort_touched:
            self._schedule_resort()
        if inserted or dropped:
            self.visible_count_changed.emit(len(self._rows), len(self._all))

    def _remove_ids(self, ids: Iterable[str]) -> None:
        rows = sorted((self._row_of[i] for i in ids if i in self._row_of), reverse=True)
        if not rows:
            return
        runs: list[tuple[int, int]] = []  # (first, last), bottom-up
        for row in rows:
            if runs and runs[-1][0] == row + 1:
                runs[-1] = (row, runs[-1][1])
            else:
                runs.append((row, row))
        if len(runs) > _MAX_REMOVE_RUNS:
            self._rebuild()
            return
        for first, last in runs:
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        self._row_of = {v.id: r for r, v in enumerate(self._rows)}

    def _rebuild(self) -> None:
        self._resort_timer.stop()   # the rebuild sorts everything anyway
        self.beginResetModel()
        self._key_of = {}
        self._rows = [v for v in self._all.values() if self._accepts(v)]
        if self._sort_column >= 0:
            self._rows.sort(key=self._row_key, reverse=self._descending)
        self._row_of = {v.id: r for r, v in enumerate(self._rows)}
        self.endResetModel()
        self.visible_count_changed.emit(len(self._rows), len(self._all))

    # -- sorting and filtering, in the model ----------------------------------------------------------

    @property
    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def _sort_key(self, visitor: Visitor, column: int) -> Any:
        match column:
            case VisitorColumn.NAME:
                return display_name(visitor).casefold()
            case VisitorColumn.STATE:
                return _STATE_ORDER.get(visitor.state, 9)
            case VisitorColumn.PAGE:
                return (visitor.page.title or visitor.page.url).casefold()
            case VisitorColumn.TIME_ON_SITE:
                # Ascending = earliest arrival first = longest on site first (timestamps sort as text).
                return visitor.on_site_since
            case VisitorColumn.PAGES_VIEWED:
                return visitor.pages_viewed
            case VisitorColumn.LOCATION:
                return (not _has_insights(visitor), _location_text(visitor).casefold())
            case VisitorColumn.COMPANY:
                company = visitor.insights.company if _has_insights(visitor) and visitor.insights else None
                return (not company, (company or "").casefold())
            case VisitorColumn.IP:
                ip = visitor.insights.ip if _has_insights(visitor) and visitor.insights else ""
                return (not ip, ip)
            case VisitorColumn.CONSENT:
                return -sum(visitor.consent.granted(p) for p in Purpose)
        return 0

    def _row_key(self, visitor: Visitor) -> tuple[Any, str]:
        """The visitor's sort key (the id breaks ties, so equal keys keep one order across batches),
        remembered: a re-sort then computes keys only for the visitors a batch changed."""
        key = (self._sort_key(visitor, self._sort_column), visitor.id)
        self._key_of[visitor.id] = key
        return key

    def _schedule_resort(self) -> None:
        if not self._resort_timer.isActive():
            self._resort_timer.start()

    def _on_resort_timer_timeout(self) -> None:
        if self._sort_column >= 0:
            self._resort()

    def flush_sort(self) -> None:
        """Apply a pending re-sort now (tests, and before the user acts on a row position)."""
        if self._resort_timer.isActive():
            self._resort_timer.stop()
            self._on_resort_timer_timeout()

    def _resort(self) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(index, self._rows[index.row()].id) for index in persistent if index.isValid()]
        # Sort row numbers by cached keys with C-level lookups: ~5 ms for 10,000 nearly sorted rows,
        # against ~50 ms when every key is recomputed in Python.
        ids = [v.id for v in self._rows]
        key_of = self._key_of
        keys = [key_of[i] if i in key_of else self._row_key(v) for i, v in zip(ids, self._rows, strict=True)]
        order = sorted(range(len(keys)), key=keys.__getitem__, reverse=self._descending)
        self._rows = [self._rows[i] for i in order]
        self._row_of = dict(zip([ids[i] for i in order], range(len(order)), strict=True))
        columns = len(VisitorColumn)
        for index, visitor_id in held:
            row = self._row_of[visitor_id]
            column = index.column()
            self.changePersistentIndex(index, self.index(row, column) if column < columns else QModelIndex())
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column != self._sort_column:
            self._key_of = {}
        self._sort_column = column
        self._sort_order = order
        if column >= 0:
            self._resort()

    def set_filter(self, text: str | None = None, states: Iterable[VisitorState] | None = None) -> None:
        """Filter by free text (name, page, and insights only where consented) and by state."""
        if text is not None:
            self._filter_text = text.strip().casefold()
        if states is not None:
            self._filter_states = frozenset(states)
        self._rebuild()

    def _accepts(self, visitor: Visitor) -> bool:
        if self._filter_states and visitor.state not in self._filter_states:
            return False
        needle = self._filter_text
        if not needle:
            return True
        haystack = [display_name(visitor), visitor.page.title, visitor.page.url]
        if _has_insights(visitor) and visitor.insights is not None:
            haystack += [_location_text(visitor), visitor.insights.company or "", visitor.insights.ip]
        return any(needle in part.casefold() for part in haystack if part)

    # -- lookups --------------------------------------------------------------------------------------

    def visitor(self, visitor_id: str) -> Visitor | None:
        return self._all.get(visitor_id)

    def row_of(self, visitor_id: str) -> int | None:
        return self._row_of.get(visitor_id)

    def visitor_at(self, row: int) -> Visitor | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def total_count(self) -> int:
        return len(self._all)

    def _on_tick_timeout(self) -> None:
        if self._rows:
            column = VisitorColumn.TIME_ON_SITE
            self.dataChanged.emit(
                self.index(0, column), self.index(len(self._rows) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- Qt model interface ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(VisitorColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(VisitorColumn):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[VisitorColumn(section)]
            if role == Qt.ItemDataRole.ToolTipRole and section in INSIGHT_COLUMNS:
                return self.tr("Shown only with the visitor's consent to visitor insights")
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visitor = self._rows[index.row()]
        column = index.column()
        if role == VisitorRole.VISITOR_ID:
            return visitor.id
        if role == VisitorRole.VISITOR:
            return visitor
        if role == VisitorRole.STATE:
            return visitor.state
        if role == VisitorRole.HAS_INSIGHTS:
            return _has_insights(visitor)
        if role == VisitorRole.SORT_KEY:
            key = self._sort_key(visitor, column)
            return str(key)
        gated = column in INSIGHT_COLUMNS and not _has_insights(visitor)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.no_consent_text() if gated else self._display(visitor, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if gated:
                return self.no_consent_tooltip()
            if column == VisitorColumn.CONSENT:
                return self.consent_tooltip(visitor)
            if column == VisitorColumn.PAGE:
                return visitor.page.url
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if gated:
                if self._no_consent_icon is None:
                    self._no_consent_icon = icons.icon("no-consent")
                return self._no_consent_icon
            return None
        if role == Qt.ItemDataRole.ForegroundRole and gated:
            return QBrush(QColor("#8a6d3b"))
        if role == Qt.ItemDataRole.FontRole and gated:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VisitorColumn.PAGES_VIEWED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.no_consent_tooltip() if gated else self._display(visitor, column)
        return None

    def _display(self, visitor: Visitor, column: int) -> str:
        insights = visitor.insights if _has_insights(visitor) else None
        match column:
            case VisitorColumn.NAME:
                return display_name(visitor)
            case VisitorColumn.STATE:
                return self.state_text(visitor.state)
            case VisitorColumn.PAGE:
                return visitor.page.title or visitor.page.url
            case VisitorColumn.TIME_ON_SITE:
                return short_duration(seconds_since(visitor.on_site_since, self._clock()))
            case VisitorColumn.PAGES_VIEWED:
                return str(visitor.pages_viewed)
            case VisitorColumn.LOCATION:
                return _location_text(visitor) or self.tr("unknown")
            case VisitorColumn.COMPANY:
                return (insights.company if insights else None) or self.tr("unknown")
            case VisitorColumn.IP:
                return insights.ip if insights else ""
            case VisitorColumn.CONSENT:
                return self.consent_text(visitor)
        return ""


__all__ = ["INSIGHT_COLUMNS", "VisitorColumn", "VisitorRole", "VisitorTableModel"]
