"""The live visitor list: one row per visitor on the site, fed only by coalesced ``VisitorsChanged``.

Why not a ``QSortFilterProxyModel``: with 10,000 Python rows a proxy calls back into Python for every
comparison and every filter test on each change. Here the model owns the visible rows in their sorted,
filtered order plus an id -> row map, and applies each batch as one insert block, one ranged
``dataChanged`` and (when sorted) one layout change (STYLE §2).

Keeping the event loop free at 10,000 visitors and 1,000 updates a second:

- a sorted list keeps each row's sort key next to it; a re-sort takes out only the rows whose key
  changed and puts them back by bisection, so it costs C-level list copies, not a Python sort;
- the display strings of a row are made once per update, when a view first asks for them;
- a reset (the snapshot at sign-in) shows the first page at once and loads the rest in slices of a
  few milliseconds across event-loop turns.

Consent gating happens here too, whatever the services sent: every visitor passes through
``redact_by_flags`` on the way in, and location, company and IP cells say "no consent" (text, icon and
tooltip) unless ``visitor_insights`` is granted.
"""

from __future__ import annotations

import bisect
import enum
import time
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from operator_desk.domain.consent import FIELDS_UNLOCKED_BY, redact_by_flags
from operator_desk.domain.model import Purpose, Visitor, VisitorState
from operator_desk.services.events import VisitorsChanged
from operator_desk.ui import icons
from operator_desk.ui.models.row_model import ModelIndex, RowTableModel
from operator_desk.ui.naming import display_name
from operator_desk.ui.plain import plain_tooltip
from operator_desk.ui.timefmt import now_utc, seconds_since, short_duration

# Re-sort a sorted list at most this often (see _schedule_resort).
RESORT_INTERVAL_MS = 250
# Beyond this many separate runs of removed rows a reset is cheaper than many remove blocks.
_MAX_REMOVE_RUNS = 32
# A reset shows this many rows at once (more than any window has room for) ...
FIRST_PAGE = 200
# ... and loads the rest in slices of about this long, one per event-loop turn.
LOAD_SLICE_MS = 6
# When more than 1/_FULL_SORT_SHARE of the rows are out of place, one sort beats bisection.
_FULL_SORT_SHARE = 8

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Rows change order, columns do not: the horizontal header can skip its own bookkeeping.
_SORT_HINT = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_SIGNATURE = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")
# (consent flag, fields it unlocks) for the purposes that guard fields: the domain's own table.
_GUARDED = tuple((purpose.value, fields) for purpose, fields in FIELDS_UNLOCKED_BY.items() if fields)


def _redacted(visitor: Visitor) -> Visitor:
    """``redact_by_flags``, without making a copy when no field needs taking out (the common case,
    about 1 µs against 15 µs: it matters for the 10,000 visitors of a snapshot)."""
    consent = visitor.consent
    for flag, fields in _GUARDED:
        if not getattr(consent, flag) and any(getattr(visitor, field) is not None for field in fields):
            return redact_by_flags(visitor)
    return visitor


def _bisect_descending(keys: Sequence[Any], key: Any, lo: int) -> int:
    """Where ``key`` goes in ``keys`` sorted from largest to smallest (keys are unique)."""
    hi = len(keys)
    while lo < hi:
        middle = (lo + hi) // 2
        if keys[middle] > key:
            lo = middle + 1
        else:
            hi = middle
    return lo


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


class VisitorTableModel(RowTableModel):
    """Visitors in display order (sorted, filtered); the rest are kept but not shown."""

    visible_count_changed = Signal(int, int)  # shown, total

    def __init__(self, parent: QObject | None = None, *, clock: Callable = now_utc) -> None:
        super().__init__(parent)
        self._clock = clock
        self._all: dict[str, Visitor] = {}
        self._rows: list[Visitor]
        self._ids: list[str] = []          # the rows' ids, in row order (rebuilds _row_of fastest)
        self._row_of: dict[str, int] = {}
        # While sorted: each row's sort key, in row order. Rows not in _unsorted are in key order.
        self._keys: list[tuple[Any, str]] = []
        self._unsorted: set[str] = set()
        self._sort_column: int = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._filter_text = ""
        self._filter_states: frozenset[VisitorState] = frozenset()
        self._key_of: dict[str, tuple[Any, str]] = {}   # sort key cache for the current column
        self._cells: dict[str, tuple[str, ...]] = {}    # display strings per visitor, made on demand
        # A snapshot still being loaded: raw visitors by id, and the order they came in.
        self._pending: dict[str, Visitor] = {}
        self._load_queue: list[Visitor] = []
        self._load_at = 0
        self._no_consent_icon: QIcon | None = None
        self._gated_font: QFont | None = None
        self._gated_brush = QBrush(QColor("#8a6d3b"))
        headers = {
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
        self._headers = [headers[column] for column in VisitorColumn]
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
        # The rest of a snapshot, a slice per event-loop turn.
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._on_load_timer_timeout)

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
            self._load_timer.stop()
            self._load_queue = list(batch.upserts)
            self._load_at = 0
            self._pending = {v.id: v for v in self._load_queue}
            self._all, self._key_of, self._cells = {}, {}, {}
            self._take_pending(FIRST_PAGE)
            self._rebuild()
            if self._pending:
                self._load_timer.start()
            return
        if self._pending:   # this batch is newer than the snapshot still loading
            for visitor in batch.upserts:
                self._pending.pop(visitor.id, None)
            for visitor_id in batch.removed:
                self._pending.pop(visitor_id, None)
        sorting = self._sort_column >= 0
        inserted: dict[str, Visitor] = {}
        changed_rows: list[int] = []
        dropped: set[str] = set(batch.removed)
        for raw in batch.upserts:
            visitor = _redacted(raw)
            visitor_id = visitor.id
            dropped.discard(visitor_id)
            self._all[visitor_id] = visitor
            self._cells.pop(visitor_id, None)
            row = self._row_of.get(visitor_id)
            if row is None:
                self._key_of.pop(visitor_id, None)
                if self._accepts(visitor):
                    inserted[visitor_id] = visitor
                continue
            if not self._accepts(visitor):
                self._key_of.pop(visitor_id, None)
                dropped.add(visitor_id)  # it no longer matches the filter: hide it
                continue
            self._rows[row] = visitor
            changed_rows.append(row)
            if sorting:
                key = self._row_key(visitor)
                if key != self._keys[row]:
                    self._keys[row] = key
                    self._unsorted.add(visitor_id)
        for visitor_id in batch.removed:
            self._all.pop(visitor_id, None)
            self._key_of.pop(visitor_id, None)
            self._cells.pop(visitor_id, None)
        # A batch may upsert and remove the same id; the removal came last only if the id is absent.
        added = [v for v in inserted.values() if v.id in self._all]

        if changed_rows:
            top, bottom = min(changed_rows), max(changed_rows)
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(VisitorColumn) - 1))
        self._remove_ids(dropped)
        self._append_rows(added)
        if self._unsorted:
            self._schedule_resort()
        if added or dropped:
            self.visible_count_changed.emit(len(self._rows), self.total_count)

    def _take_pending(self, limit: int) -> list[Visitor]:
        """Move up to ``limit`` visitors of the loading snapshot into the model's data (not its rows)."""
        taken: list[Visitor] = []
        queue, pending = self._load_queue, self._pending
        at = self._load_at
        while pending and len(taken) < limit and at < len(queue):
            raw = queue[at]
            at += 1
            if pending.get(raw.id) is raw:   # not replaced or removed by a newer batch meanwhile
                del pending[raw.id]
                visitor = _redacted(raw)
                self._all[visitor.id] = visitor
                taken.append(visitor)
        self._load_at = at
        if not pending:
            self._load_queue, self._load_at = [], 0
        return taken

    def _on_load_timer_timeout(self) -> None:
        if not self._pending:
            self._resort()   # the snapshot is in: put it in order at once, not at the next re-sort
            return
        deadline = time.perf_counter() + LOAD_SLICE_MS / 1000
        while self._pending and time.perf_counter() < deadline:
            self._append_rows([v for v in self._take_pending(250) if self._accepts(v)])
        self.visible_count_changed.emit(len(self._rows), self.total_count)
        if self._pending or self._unsorted:
            self._load_timer.start()

    @property
    def is_loading(self) -> bool:
        """True while a snapshot is still being loaded in slices."""
        return bool(self._pending)

    def flush_load(self) -> None:
        """Load the rest of a snapshot now, in order (tests, benchmarks)."""
        self._load_timer.stop()
        loaded = [v for v in self._take_pending(len(self._pending)) if self._accepts(v)]
        self._append_rows(loaded)
        self.visible_count_changed.emit(len(self._rows), self.total_count)
        self._resort()

    def _append_rows(self, visitors: list[Visitor]) -> None:
        """New rows go at the end in one block; while sorted they are put in place by the next re-sort."""
        if not visitors:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(visitors) - 1)
        ids = [v.id for v in visitors]
        self._rows.extend(visitors)
        self._ids.extend(ids)
        self._row_of.update(zip(ids, range(first, first + len(visitors)), strict=True))
        if self._sort_column >= 0:
            self._keys.extend(map(self._row_key, visitors))
            self._unsorted.update(ids)
        self.endInsertRows()

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
        sorting = self._sort_column >= 0
        for first, last in runs:
            self.beginRemoveRows(QModelIndex(), first, last)
            self._unsorted.difference_update(self._ids[first:last + 1])
            del self._rows[first:last + 1]
            del self._ids[first:last + 1]
            if sorting:
                del self._keys[first:last + 1]
            self.endRemoveRows()
        self._row_of = dict(zip(self._ids, range(len(self._ids)), strict=True))

    def _rebuild(self) -> None:
        self._resort_timer.stop()   # the rebuild sorts everything anyway
        self.beginResetModel()
        if self._filter_text or self._filter_states:
            rows = [v for v in self._all.values() if self._accepts(v)]
        else:
            rows = list(self._all.values())
        keys: list[tuple[Any, str]] = []
        if self._sort_column >= 0:
            keys = list(map(self._cached_key, rows))
            order = sorted(range(len(rows)), key=keys.__getitem__, reverse=self._descending)
            rows = [rows[i] for i in order]
            keys = [keys[i] for i in order]
        self._rows, self._keys, self._unsorted = rows, keys, set()
        self._ids = [v.id for v in rows]
        self._row_of = dict(zip(self._ids, range(len(rows)), strict=True))
        self.endResetModel()
        self.visible_count_changed.emit(len(self._rows), self.total_count)

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
        """The visitor's sort key (the id breaks ties, so equal keys keep one order across batches and
        no two keys are equal), remembered for later rebuilds (filter changes)."""
        key = (self._sort_key(visitor, self._sort_column), visitor.id)
        self._key_of[visitor.id] = key
        return key

    def _cached_key(self, visitor: Visitor) -> tuple[Any, str]:
        key = self._key_of.get(visitor.id)
        return key if key is not None else self._row_key(visitor)

    def _schedule_resort(self) -> None:
        if not self._resort_timer.isActive():
            self._resort_timer.start()

    def _on_resort_timer_timeout(self) -> None:
        self._resort()

    def flush_sort(self) -> None:
        """Apply a pending re-sort now (tests, and before the user acts on a row position)."""
        if self._resort_timer.isActive():
            self._resort_timer.stop()
            self._on_resort_timer_timeout()

    def _resort(self, *, full: bool = False) -> None:
        """Put the rows whose key changed (or that were appended) back in order: one layout change.

        The other rows are still in order, so those few are taken out (``compress`` over a mask) and
        merged back by bisection on the cached keys: list copies in C, a few Python steps per moved
        row. Only when many rows moved, or on a new sort column, do all rows go through ``sorted``."""
        self._resort_timer.stop()
        if self._sort_column < 0:
            self._unsorted.clear()
            return
        rows, keys, ids = self._rows, self._keys, self._ids
        count = len(rows)
        unsorted, self._unsorted = self._unsorted, set()
        if not full and not unsorted:
            return
        full = full or len(unsorted) * _FULL_SORT_SHARE > count
        descending = self._descending
        self.layoutAboutToBeChanged[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)
        held = [(index, ids[index.row()]) for index in self.persistentIndexList()
                if index.isValid() and index.row() < count]
        if full:
            order = sorted(range(count), key=keys.__getitem__, reverse=descending)
            rows = [rows[i] for i in order]
            keys = [keys[i] for i in order]
            ids = [ids[i] for i in order]
        else:
            row_of = self._row_of
            moved = [row_of[i] for i in unsorted if i in row_of]
            mask = bytearray(b"\x01") * count
            for row in moved:
                mask[row] = 0
            moved.sort(key=keys.__getitem__, reverse=descending)
            stay_rows, stay_keys, stay_ids = (list(compress(rows, mask)), list(compress(keys, mask)),
                                              list(compress(ids, mask)))
            out = [(rows[r], keys[r], ids[r]) for r in moved]
            rows, keys, ids = [], [], []
            start = 0
            for visitor, key, visitor_id in out:
                at = (_bisect_descending(stay_keys, key, start) if descending
                      else bisect.bisect_left(stay_keys, key, start))
                rows.extend(stay_rows[start:at])
                keys.extend(stay_keys[start:at])
                ids.extend(stay_ids[start:at])
                rows.append(visitor)
                keys.append(key)
                ids.append(visitor_id)
                start = at
            rows.extend(stay_rows[start:])
            keys.extend(stay_keys[start:])
            ids.extend(stay_ids[start:])
        self._rows, self._keys, self._ids = rows, keys, ids
        self._row_of = dict(zip(ids, range(count), strict=True))
        columns = len(VisitorColumn)
        for index, visitor_id in held:
            row = self._row_of[visitor_id]
            column = index.column()
            self.changePersistentIndex(index, self.index(row, column) if column < columns else QModelIndex())
        self.layoutChanged[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column != self._sort_column:
            self._key_of = {}
        self._sort_column = column
        self._sort_order = order
        if column >= 0:
            self._keys = list(map(self._cached_key, self._rows))
            self._resort(full=True)
        else:
            self._keys, self._unsorted = [], set()

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
        visitor = self._all.get(visitor_id)
        if visitor is None and visitor_id in self._pending:   # in the snapshot, not loaded yet
            visitor = _redacted(self._pending[visitor_id])
        return visitor

    def row_of(self, visitor_id: str) -> int | None:
        return self._row_of.get(visitor_id)

    def visitor_at(self, row: int) -> Visitor | None:
        return self.row_at(row)

    @property
    def total_count(self) -> int:
        return len(self._all) + len(self._pending)

    def _on_tick_timeout(self) -> None:
        if self._rows:
            column = VisitorColumn.TIME_ON_SITE
            self.dataChanged.emit(
                self.index(0, column), self.index(len(self._rows) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- Qt model interface ---------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section in INSIGHT_COLUMNS):
            return self.tr("Shown only with the visitor's consent to visitor insights")
        return super().headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and several roles on each repaint: the common roles come first
        # and display strings come from a per-visitor cache, made once per update.
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        visitor = self._rows[row]
        column = index.column()
        if role == _DISPLAY:
            if column == VisitorColumn.TIME_ON_SITE:
                return self._display(visitor, column)
            return self._texts(visitor)[column]
        gated = column in INSIGHT_COLUMNS and not _has_insights(visitor)
        if role == _FONT:
            if not gated:
                return None
            if self._gated_font is None:
                self._gated_font = QFont()
                self._gated_font.setItalic(True)
            return self._gated_font
        if role == _FOREGROUND:
            return self._gated_brush if gated else None
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if column == VisitorColumn.PAGES_VIEWED else None
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
            return _has_insights(visitor)
        if role == VisitorRole.SORT_KEY:
            key = self._sort_key(visitor, column)
            return str(key)
        if role == _TOOLTIP:
            if gated:
                return self.no_consent_tooltip()
            if column == VisitorColumn.CONSENT:
                return self.consent_tooltip(visitor)
            if column == VisitorColumn.PAGE:
                return plain_tooltip(visitor.page.url)
            return None
        if role == _ACCESSIBLE_TEXT:
            if gated:
                return self.no_consent_tooltip()
            if column == VisitorColumn.TIME_ON_SITE:
                return self._display(visitor, column)
            return self._texts(visitor)[column]
        return None

    def _texts(self, visitor: Visitor) -> tuple[str, ...]:
        """The visitor's display strings by column ("No consent" where gated; time on site, which
        moves with the clock, is left out), made on first use after each update."""
        texts = self._cells.get(visitor.id)
        if texts is None:
            gated = not _has_insights(visitor)
            texts = tuple(
                "" if column == VisitorColumn.TIME_ON_SITE
                else self.no_consent_text() if gated and column in INSIGHT_COLUMNS
                else self._display(visitor, column)
                for column in VisitorColumn
            )
            self._cells[visitor.id] = texts
        return texts

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
