"""The visitor panel's tables: the consent timeline, and details asked for and received.

Both are small (one visitor's history), so each change replaces the rows with a reset.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QPalette

from operator_desk.domain.consent import counts, counts_from_of, granted_purposes, recorded_order
from operator_desk.domain.model import ConsentEvent, ConsentMethod, DetailField, Notice, Purpose
from operator_desk.protocol.messages import DetailRecord
from operator_desk.ui import icons
from operator_desk.ui.models.row_model import ModelIndex, RowTableModel
from operator_desk.ui.timefmt import date_time


def purpose_text(purpose: Purpose | str) -> str:
    return {
        Purpose.CHAT: QCoreApplication.translate("privacy", "Chat"),
        Purpose.VISITOR_INSIGHTS: QCoreApplication.translate("privacy", "Visitor insights"),
        Purpose.CONTACT_DETAILS: QCoreApplication.translate("privacy", "Contact details"),
        Purpose.TYPING_PREVIEW: QCoreApplication.translate("privacy", "Typing preview"),
    }.get(purpose, str(purpose))


def method_text(method: ConsentMethod | str) -> str:
    return {
        ConsentMethod.PRECHAT_FORM: QCoreApplication.translate("privacy", "Pre-chat form"),
        ConsentMethod.DETAILS_PROMPT: QCoreApplication.translate("privacy", "Details prompt"),
        ConsentMethod.WIDGET_SETTINGS: QCoreApplication.translate("privacy", "Widget privacy settings"),
    }.get(method, str(method))


def field_text(field: DetailField | str) -> str:
    return {
        DetailField.PHONE: QCoreApplication.translate("privacy", "Phone number"),
        DetailField.POSTAL_ADDRESS: QCoreApplication.translate("privacy", "Postal address"),
        DetailField.EMAIL: QCoreApplication.translate("privacy", "E-mail address"),
        DetailField.COMPANY: QCoreApplication.translate("privacy", "Company"),
        DetailField.ORDER_REFERENCE: QCoreApplication.translate("privacy", "Order reference"),
    }.get(field, str(field).replace("_", " "))


class ConsentColumn(enum.IntEnum):
    PURPOSE = 0
    DECISION = 1
    NOTICE = 2
    WHEN = 3
    METHOD = 4


class ConsentRole(enum.IntEnum):
    EVENT = Qt.ItemDataRole.UserRole + 1
    GRANTED = enum.auto()
    # False for a grant to a notice version that a later version, asking for fresh consent, replaced.
    COUNTS = enum.auto()


class ConsentTimelineModel(RowTableModel):
    """Every consent event of one visitor, newest first, each with its notice version; grants that no
    longer count (a later version of their notice asked again) are marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConsentEvent]
        self._counts_from: dict[str, int] = {}
        self._headers = [self.tr("Purpose"), self.tr("Decision"), self.tr("Notice"), self.tr("When"),
                         self.tr("How")]

    def set_events(self, events: Iterable[ConsentEvent], notices: Iterable[Notice] = ()) -> None:
        """``notices``: the latest versions the server sent (they say from which version consents
        count)."""
        self.beginResetModel()
        self._rows = list(reversed(recorded_order(events)))  # newest first, by seq, never by the clock
        self._counts_from = counts_from_of(notices)
        self.endResetModel()

    def granted(self) -> frozenset[Purpose]:
        return granted_purposes(reversed(self._rows), self._counts_from)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        event = self._item(index)
        if event is None:
            return None
        column = index.column()
        if role == ConsentRole.EVENT:
            return event
        if role == ConsentRole.GRANTED:
            return event.granted
        still_counts = counts(event, self._counts_from)
        if role == ConsentRole.COUNTS:
            return still_counts
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            match column:
                case ConsentColumn.PURPOSE:
                    return purpose_text(event.purpose)
                case ConsentColumn.DECISION:
                    if not still_counts:
                        return self.tr("Granted (no longer counts)")
                    return self.tr("Granted") if event.granted else self.tr("Withdrawn")
                case ConsentColumn.NOTICE:
                    return self.tr("%1 v%2").replace("%1", event.notice_id).replace(
                        "%2", str(event.notice_version))
                case ConsentColumn.WHEN:
                    return date_time(event.at)
                case ConsentColumn.METHOD:
                    return method_text(event.method)
        if role == Qt.ItemDataRole.DecorationRole and column == ConsentColumn.DECISION:
            return icons.icon("consent" if event.granted and still_counts else "withdrawn")
        if role == Qt.ItemDataRole.ForegroundRole and not still_counts:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not still_counts:
                return self.tr("Given to version %1 of this notice; version %2 asked for consent again, "
                               "so this no longer counts.").replace("%1", str(event.notice_version)).replace(
                    "%2", str(self._counts_from.get(event.notice_id, 1)))
            # The way it was given too: a narrow table (the visitor panel) hides that column.
            return self.tr("%1, %2").replace("%1", date_time(event.at)).replace(
                "%2", method_text(event.method))
        return None


class DetailColumn(enum.IntEnum):
    FIELD = 0
    VALUE = 1
    STATUS = 2
    PURPOSE = 3
    CONSENT = 4


class DetailRole(enum.IntEnum):
    RECORD = Qt.ItemDataRole.UserRole + 1
    STATUS = enum.auto()


class DetailsModel(RowTableModel):
    """One row per field asked for: its value once received, the request's status, its purpose, and
    the notice (and version) whose consent covers it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[DetailRecord, str]]
        self._headers = [self.tr("Detail"), self.tr("Value"), self.tr("Status"), self.tr("Purpose"),
                         self.tr("Notice")]

    def set_records(self, records: Iterable[DetailRecord]) -> None:
        self.beginResetModel()
        ordered = sorted(records, key=lambda r: r.requested_at, reverse=True)
        self._rows = [(record, field) for record in ordered for field in record.fields]
        self.endResetModel()

    def status_text(self, status: str) -> str:
        return {
            "pending": self.tr("Asked, waiting"),
            "received": self.tr("Received"),
            "declined": self.tr("Declined by the visitor"),
        }.get(status, status)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        record, field = item
        column = index.column()
        if role == DetailRole.RECORD:
            return record
        if role == DetailRole.STATUS:
            return record.status
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            match column:
                case DetailColumn.FIELD:
                    return field_text(field)
                case DetailColumn.VALUE:
                    if record.status == "received" and record.values:
                        return record.values.get(field, "")
                    return "—"
                case DetailColumn.STATUS:
                    return self.status_text(record.status)
                case DetailColumn.PURPOSE:
                    return purpose_text(record.purpose)
                case DetailColumn.CONSENT:
                    return self.tr("%1 v%2").replace("%1", record.notice_id).replace(
                        "%2", str(record.notice_version))
        if role == Qt.ItemDataRole.DecorationRole and column == DetailColumn.STATUS:
            return icons.icon({"received": "consent", "declined": "withdrawn"}.get(record.status, "queue"))
        if role == Qt.ItemDataRole.ToolTipRole and column == DetailColumn.STATUS:
            return date_time(record.answered_at or record.requested_at)
        return None
