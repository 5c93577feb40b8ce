"""One chat's messages in order, as plain text, with the delivery state of the operator's own ones.

A message is known by its server id and, for messages typed here, by its ``client_msg_id`` too: the
SENDING copy and the DELIVERED echo are one row, never two.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from operator_desk.domain.model import Message
from operator_desk.services.events import DeliveryState, LocalMessage
from operator_desk.ui.models.row_model import ModelIndex, RowListModel
from operator_desk.ui.timefmt import clock_time, date_time


class TranscriptRole(enum.IntEnum):
    MESSAGE = Qt.ItemDataRole.UserRole + 1   # the LocalMessage
    AUTHOR = enum.auto()                     # "visitor" | "operator" | "system"
    AUTHOR_NAME = enum.auto()
    TIME_TEXT = enum.auto()                  # local HH:MM
    DELIVERY = enum.auto()                   # DeliveryState
    DELIVERY_TEXT = enum.auto()              # "sending…" / "delivered", for the operator's messages


class TranscriptModel(RowListModel):
    def __init__(self, chat_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat_id = chat_id
        self._rows: list[LocalMessage]
        self._row_by_key: dict[str, int] = {}

    @staticmethod
    def _keys(message: LocalMessage) -> list[str]:
        keys = []
        if message.message_id:
            keys.append("m:" + message.message_id)
        if message.client_msg_id:
            keys.append("c:" + message.client_msg_id)
        return keys

    def _existing_row(self, message: LocalMessage) -> int | None:
        for key in self._keys(message):
            row = self._row_by_key.get(key)
            if row is not None:
                return row
        return None

    def add_messages(self, messages: Iterable[LocalMessage]) -> int:
        """Append new messages in one block and update known ones in place; returns how many were new."""
        new: list[LocalMessage] = []
        changed: list[int] = []
        pending_keys: set[str] = set()
        for message in messages:
            row = self._existing_row(message)
            if row is not None:
                current = self._rows[row]
                # Never step back from DELIVERED to SENDING (a late echo of the outbox copy).
                if current.state == DeliveryState.DELIVERED and message.state == DeliveryState.SENDING:
                    continue
                self._rows[row] = message
                for key in self._keys(message):
                    self._row_by_key[key] = row
                changed.append(row)
            elif not pending_keys.intersection(self._keys(message)):
                pending_keys.update(self._keys(message))
                new.append(message)
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for offset, message in enumerate(new):
                self._rows.append(message)
                for key in self._keys(message):
                    self._row_by_key[key] = first + offset
            self.endInsertRows()
        return sum(1 for m in new if m.author == "visitor")

    def add_notes(self, notes: Iterable[LocalMessage]) -> None:
        """The desk's own lines (``author == "system"``, each with a unique ``message_id``) put among
        the messages by their time; a note already shown is left as it is."""
        for note in notes:
            if self._existing_row(note) is not None:
                continue
            row = len(self._rows)
            while row > 0 and self._rows[row - 1].at > note.at:   # RFC 3339 UTC strings sort as times
                row -= 1
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, note)
            self._row_by_key = {key: r for r, message in enumerate(self._rows) for key in self._keys(message)}
            self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._row_by_key = {}
        self.endResetModel()

    def mark_delivered(self, client_msg_id: str, message: Message) -> None:
        row = self._row_by_key.get("c:" + client_msg_id)
        if row is None:
            return
        current = self._rows[row]
        self._rows[row] = dataclasses.replace(
            current, state=DeliveryState.DELIVERED, message_id=message.id, at=message.at,
        )
        self._row_by_key["m:" + message.id] = row
        self.dataChanged.emit(self.index(row), self.index(row))

    def message_at(self, row: int) -> LocalMessage | None:
        return self.row_at(row)

    def delivery_text(self, state: DeliveryState) -> str:
        return self.tr("sending…") if state == DeliveryState.SENDING else self.tr("delivered")

    def plain_text(self, rows: Iterable[int] | None = None) -> str:
        """The transcript (or some rows of it) as plain text, for the clipboard."""
        wanted = range(len(self._rows)) if rows is None else sorted(rows)
        lines = []
        for row in wanted:
            message = self._rows[row]
            lines.append(f"[{date_time(message.at)}] {message.author_name}: {message.text}")
        return "\n".join(lines)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        message = self._item(index)
        if message is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return message.text   # plain text: the delegate draws it with drawText, never as markup
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{message.author_name}, {clock_time(message.at)}: {message.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return date_time(message.at)
        if role == TranscriptRole.MESSAGE:
            return message
        if role == TranscriptRole.AUTHOR:
            return message.author
        if role == TranscriptRole.AUTHOR_NAME:
            return message.author_name
        if role == TranscriptRole.TIME_TEXT:
            return clock_time(message.at)
        if role == TranscriptRole.DELIVERY:
            return message.state
        if role == TranscriptRole.DELIVERY_TEXT:
            return self.delivery_text(message.state) if message.author == "operator" else ""
        return None
