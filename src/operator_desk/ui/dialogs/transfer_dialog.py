"""Hand a chat over: the operator picks a colleague (with their status, team and open chats) or a
team, and writes a note for them alone; the visitor only learns that a colleague carries on.

Colleagues are those signed in now (``presence.list``); one at their chat limit is listed but cannot
be picked (the server would refuse), and a team can be picked while one of its members can take it.
Keyboard first: the list has the focus, arrows choose, Tab goes to the note, Enter on the list or
Ctrl+Return in the note hands over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import TeamRef
from operator_desk.protocol.messages import OperatorPresence, TransferNote
from operator_desk.ui import icons
from operator_desk.ui.widgets.hint import hint_label

NOTE_CHARS = 1000   # what the protocol takes (TransferNote)


@dataclass(frozen=True, slots=True)
class Recipient:
    """A row of the chooser: a colleague (``operator_id``) or a team (``team_id``)."""

    name: str
    operator_id: str | None = None
    team_id: str | None = None
    may_take: bool = True


class TransferDialog(QDialog):
    def __init__(self, *, visitor_name: str, colleagues: Iterable[OperatorPresence], me: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand over the chat with %1").replace("%1", visitor_name))
        self.setWindowIcon(icons.icon("visitors"))
        self.resize(600, 480)
        others = sorted((c for c in colleagues if c.operator.id != me), key=lambda c: c.operator.name.lower())
        intro = QLabel(self.tr("%1 will be told that a colleague carries on; your note is for your "
                               "colleague only.").replace("%1", visitor_name))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("Colleagues and teams to hand the chat to"))
        self.table.setHorizontalHeaderLabels([self.tr("Hand to"), self.tr("Team"), self.tr("Status"),
                                              self.tr("Open chats")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_ok)
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.recipients: list[Recipient] = []
        for team, members in self._teams(others):
            free = sum(1 for m in members if m.open_chats < m.chat_limit)
            self._add_row(Recipient(name=team.name, team_id=team.id, may_take=free > 0),
                          [self.tr("Team %1").replace("%1", team.name), team.name,
                           self.tr("%n signed in", "", len(members)),
                           self.tr("%n can take it", "", free)])
        for colleague in others:
            at_limit = colleague.open_chats >= colleague.chat_limit
            self._add_row(Recipient(name=colleague.operator.name, operator_id=colleague.operator.id,
                                    may_take=not at_limit),
                          [colleague.operator.name,
                           colleague.operator.team.name if colleague.operator.team else "—",
                           self.status_text(colleague.status),
                           self.tr("%1 of %2").replace("%1", str(colleague.open_chats)).replace(
                               "%2", str(colleague.chat_limit))])
        self.empty = QLabel(self.tr("Nobody else is signed in just now: there is nobody to hand the chat "
                                    "to."))
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.recipients)
        note_label = QLabel(self.tr("&Note for your colleague (optional):"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName(self.tr("Note for your colleague"))
        self.note_edit.setPlaceholderText(self.tr("What they should know: what was asked, what you "
                                                  "checked already."))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.note_edit.textChanged.connect(self._update_ok)
        note_label.setBuddy(self.note_edit)
        self.note_count = hint_label(wrap=False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(self.tr("&Hand over"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(self.tr("Hand the chat over to the chosen colleague or team"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(note_label)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.note_count)
        layout.addWidget(self.buttons)
        first = next((row for row, r in enumerate(self.recipients) if r.may_take), None)
        if first is not None:
            self.table.selectRow(first)
        self.table.setFocus()
        self._update_ok()

    @staticmethod
    def _teams(colleagues: list[OperatorPresence]) -> list[tuple[TeamRef, list[OperatorPresence]]]:
        teams: dict[str, tuple[TeamRef, list[OperatorPresence]]] = {}
        for colleague in colleagues:
            team = colleague.operator.team
            if team is not None:
                teams.setdefault(team.id, (team, []))[1].append(colleague)
        return sorted(teams.values(), key=lambda entry: entry[0].name.lower())

    def status_text(self, status: str) -> str:
        return {"available": self.tr("Available"), "away": self.tr("Away"), "busy": self.tr("Busy"),
                "offline": self.tr("Offline")}.get(status, status)

    def _add_row(self, recipient: Recipient, texts: list[str]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column == 0 and recipient.team_id:
                item.setIcon(icons.icon("visitors"))
            if not recipient.may_take:
                # Listed, so nobody wonders where they are, but not to be picked: the server would refuse.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Has as many chats open as allowed"))
            self.table.setItem(row, column, item)
        self.recipients.append(recipient)

    def chosen(self) -> Recipient | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        recipient = self.recipients[rows.pop()]
        return recipient if recipient.may_take else None

    def note(self) -> TransferNote:
        return self.note_edit.toPlainText().strip()

    def _update_ok(self) -> None:
        # A note too long is said, never cut: what the operator typed is theirs to shorten.
        length = len(self.note())
        self.note_count.setText(self.tr("%1 of %2 characters").replace("%1", str(length)).replace(
            "%2", str(NOTE_CHARS)) if length > NOTE_CHARS * 0.8 else "")
        self.ok_button.setEnabled(self.chosen() is not None and length <= NOTE_CHARS)

    def _on_table_item_activated(self, _item: QTableWidgetItem) -> None:
        self._on_buttons_accepted()

    def _on_buttons_accepted(self) -> None:
        if self.ok_button.isEnabled():
            self.accept()
