"""Chats waiting for an operator, oldest first, with a waiting time that ticks every second.

While the pointer is over the queue the rows hold still (``hold_rows``): a chat that stops waiting
(taken, or its visitor left) stays in its row, greyed and no longer acceptable, until the pointer
leaves, and new chats join at the end. Otherwise rows would move up under the operator's pointer as
the queue changes, and a double-click meant for one visitor would land on the next.

An operator in a team may see their team's queue (``show_team``): the chats started for that team and
those of no team (what routing may offer them); the other teams' chats wait out of view until "All".
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette

from operator_desk.domain.model import Chat, ChatState, Visitor
from operator_desk.ui.models.row_model import ModelIndex, RowTableModel
from operator_desk.ui.naming import display_name
from operator_desk.ui.timefmt import now_utc, seconds_since, waiting_clock

# After this long a waiting visitor is shown in a warning colour.
LONG_WAIT_SECONDS = 60


class QueueRole(enum.IntEnum):
    CHAT_ID = Qt.ItemDataRole.UserRole + 1
    CHAT = enum.auto()
    VISITOR_ID = enum.auto()
    WAITING_SECONDS = enum.auto()
    # False for a row kept in place while the rows hold still, whose chat no longer waits.
    STILL_WAITING = enum.auto()


class QueueColumn(enum.IntEnum):
    VISITOR = 0
    WAITING = 1
    PAGE = 2


class QueueModel(RowTableModel):
    """Waiting chats. ``visitor_lookup`` gives the current (redacted) visitor for a chat's name/page."""

    queue_length_changed = Signal(int)

    def __init__(
        self,
        visitor_lookup: Callable[[str], Visitor | None],
        parent: QObject | None = None,
        *,
        clock: Callable = now_utc,
    ) -> None:
        super().__init__(parent)
        self._lookup = visitor_lookup
        self._clock = clock
        self._rows: list[Chat]
        self._row_of: dict[str, int] = {}
        self._holding = False
        self._gone: set[str] = set()   # chats that stopped waiting while the rows held still
        self._team_only: str | None = None   # a team id: only its chats and those of no team are rows
        self._out_of_view: dict[str, Chat] = {}   # waiting chats of other teams, while a team is shown
        self._told_length = 0           # the length queue_length_changed last said
        headers = {
            QueueColumn.VISITOR: self.tr("Visitor"),
            QueueColumn.WAITING: self.tr("Waiting"),
            QueueColumn.PAGE: self.tr("Page"),
        }
        self._headers = [headers[column] for column in QueueColumn]
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._tick.start()

    def apply_chats(self, chats: Iterable[Chat]) -> None:
        """Waiting chats join (in start order), any other state leaves the queue (or, while the rows
        hold still, stays in its row as no longer waiting)."""
        joining: list[Chat] = []
        leaving: set[str] = set()
        changed: list[int] = []
        for chat in chats:
            row = self._row_of.get(chat.id)
            self._out_of_view.pop(chat.id, None)
            if chat.state == ChatState.WAITING and not self._in_view(chat):
                self._out_of_view[chat.id] = chat
                if row is not None:
                    leaving.add(chat.id)
                continue
            if chat.state == ChatState.WAITING:
                if row is None:
                    if chat.id not in {c.id for c in joining}:
                        joining.append(chat)
                else:
                    self._rows[row] = chat
                    self._gone.discard(chat.id)
                    changed.append(row)
            elif row is not None:
                leaving.add(chat.id)
        if self._holding and leaving:
            self._gone |= leaving
            changed.extend(self._row_of[chat_id] for chat_id in leaving)
            leaving = set()
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(QueueColumn) - 1))
        self._remove(leaving)
        if joining:
            joining.sort(key=lambda c: c.started_at)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(joining) - 1)
            self._rows.extend(joining)
            self._row_of = {c.id: r for r, c in enumerate(self._rows)}
            self.endInsertRows()
        self._emit_length()

    def _in_view(self, chat: Chat) -> bool:
        return self._team_only is None or chat.team_id is None or chat.team_id == self._team_only

    @property
    def team_shown(self) -> str | None:
        return self._team_only

    def show_team(self, team_id: str | None) -> None:
        """Only the team's chats and those of no team (a team id), or every waiting chat (None)."""
        if team_id == self._team_only:
            return
        waiting = [c for c in self._rows if c.id not in self._gone] + list(self._out_of_view.values())
        self._team_only = team_id
        self.beginResetModel()
        self._rows = sorted((c for c in waiting if self._in_view(c)), key=lambda c: c.started_at)
        self._out_of_view = {c.id: c for c in waiting if not self._in_view(c)}
        self._row_of = {c.id: r for r, c in enumerate(self._rows)}
        self._gone = set()
        self.endResetModel()
        self._emit_length()

    def out_of_view_count(self) -> int:
        """Waiting chats of other teams that the team's queue does not show."""
        return len(self._out_of_view)

    def hold_rows(self, hold: bool) -> None:
        """Keep the rows where they are (the pointer is over the queue), or let them move again: the
        chats that stopped waiting meanwhile leave then, in one go."""
        self._holding = hold
        if not hold and self._gone:
            gone, self._gone = self._gone, set()
            self._remove(gone)

    def remove_chats(self, chat_ids: Iterable[str]) -> None:
        """Out at once, even while the rows hold still (an erased person leaves no row behind)."""
        chat_ids = set(chat_ids)
        for chat_id in chat_ids:
            self._out_of_view.pop(chat_id, None)
        self._remove(chat_ids)
        self._emit_length()

    def _remove(self, chat_ids: set[str]) -> None:
        for row in sorted((self._row_of[i] for i in chat_ids if i in self._row_of), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            self._gone.discard(self._rows[row].id)
            del self._rows[row]
            self.endRemoveRows()
        self._row_of = {c.id: r for r, c in enumerate(self._rows)}

    def remove_visitor(self, visitor_id: str) -> None:
        chats = [*self._rows, *self._out_of_view.values()]
        self.remove_chats([c.id for c in chats if c.visitor_id == visitor_id])

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._row_of = {}
        self._gone = set()
        self._out_of_view = {}
        self.endResetModel()
        self._emit_length()

    def _emit_length(self) -> None:
        if self.waiting_count() != self._told_length:
            self._told_length = self.waiting_count()
            self.queue_length_changed.emit(self._told_length)

    def waiting_count(self) -> int:
        return len(self._rows) - len(self._gone)

    def is_waiting(self, chat_id: str) -> bool:
        return chat_id in self._row_of and chat_id not in self._gone

    def oldest_chat_id(self) -> str | None:
        waiting = [c for c in self._rows if c.id not in self._gone]
        return min(waiting, key=lambda c: c.started_at).id if waiting else None

    def chat_at(self, row: int) -> Chat | None:
        return self.row_at(row)

    def refresh_visitor(self, visitor_ids: Iterable[str] | None) -> None:
        """Visitors changed (name consent, page): repaint their queue rows (None: every visitor is new,
        a fresh snapshot)."""
        wanted = None if visitor_ids is None else set(visitor_ids)
        rows = [r for r, c in enumerate(self._rows) if wanted is None or c.visitor_id in wanted]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(QueueColumn) - 1))

    def _on_tick_timeout(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, QueueColumn.WAITING), self.index(len(self._rows) - 1, QueueColumn.WAITING),
            )

    # -- Qt model interface ---------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        chat = self._item(index)
        if chat is None:
            return None
        waited = seconds_since(chat.started_at, self._clock())
        still_waiting = chat.id not in self._gone
        if role == QueueRole.STILL_WAITING:
            return still_waiting
        if role == QueueRole.CHAT_ID:
            return chat.id
        if role == QueueRole.CHAT:
            return chat
        if role == QueueRole.VISITOR_ID:
            return chat.visitor_id
        if role == QueueRole.WAITING_SECONDS:
            return waited
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            visitor = self._lookup(chat.visitor_id)
            if column == QueueColumn.VISITOR:
                return display_name(visitor, chat.visitor_id)
            if column == QueueColumn.WAITING:
                return waiting_clock(waited) if still_waiting else self.tr("No longer waiting")
            if column == QueueColumn.PAGE:
                return (visitor.page.title or visitor.page.url) if visitor else ""
        if not still_waiting:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Taken by an operator, or the visitor left")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == QueueColumn.VISITOR:
            return self.tr("Double-click or press Ctrl+Return to accept")
        if role == Qt.ItemDataRole.ForegroundRole and column == QueueColumn.WAITING:
            return QBrush(QColor("#b91c1c")) if waited >= LONG_WAIT_SECONDS else None
        if role == Qt.ItemDataRole.FontRole and column == QueueColumn.WAITING:
            font = QFont()
            font.setBold(waited >= LONG_WAIT_SECONDS)
            return font
        return None
