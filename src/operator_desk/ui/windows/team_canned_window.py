"""The team's canned responses: everyone in the team reads them here (and types ``/keyword`` in a chat);
a team lead or supervisor adds, replaces and removes them. They are kept on the server, so a change
reaches every desk of the team at once (``TeamCannedChanged`` from the desk)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.model import Role
from operator_desk.protocol.messages import TeamCanned
from operator_desk.services.events import TeamCannedChanged
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.plain import plain_tooltip
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.windows.review_window import ReviewWindow

# What the server takes (protocol CannedKeyword, CannedText).
KEYWORD_LENGTH = 32
TEXT_LENGTH = 2000


class TeamCannedWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Team canned responses — Operator Desk"), icons.icon("settings"),
                         parent)
        self.resize(760, 520)
        self.team_label = QLabel()
        self.team_label.setWordWrap(True)
        self.model, self.table = self._results_table([
            Column(self.tr("Keyword"), lambda r: "/" + r.keyword),
            Column(self.tr("Text"), lambda r: " ".join(r.text.split()),
                   tooltip=lambda r: plain_tooltip(r.text)),
            Column(self.tr("Changed"), lambda r: self._changed_text(r)),
        ], self.tr("Team canned responses"), QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

        # The editor: team leads and supervisors only (the server checks it too).
        self.editor = QWidget()
        self.keyword_edit = QLineEdit()
        self.keyword_edit.setMaxLength(KEYWORD_LENGTH)
        self.keyword_edit.setPlaceholderText(self.tr("one word, e.g. hours"))
        self.keyword_edit.setAccessibleName(self.tr("Keyword"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(self.tr("Text"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(110)
        self.save_button = push_button(self.tr("&Save for the team"),
                                       self.tr("Save this canned response for the whole team"),
                                       self._on_save_clicked)
        self.remove_button = push_button(self.tr("&Remove"),
                                         self.tr("Remove the selected canned response for the whole team"),
                                         self._on_remove_clicked)
        form = QFormLayout()
        form.addRow(self.tr("&Keyword:"), self.keyword_edit)
        form.addRow(self.tr("&Text:"), self.text_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form)
        editor_layout.addLayout(buttons)
        self.keyword_edit.textChanged.connect(self._update_buttons)
        self.text_edit.textChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.team_label, 1)
        bottom = QVBoxLayout()
        bottom.addWidget(self.editor)
        self._set_body(top, self.table, bottom)
        self.show_responses(TeamCannedChanged(team=None, responses=()))

    @property
    def may_edit(self) -> bool:
        operator = self.desk.operator
        return operator is not None and operator.role in (Role.TEAM_LEAD, Role.SUPERVISOR)

    def show_responses(self, event: TeamCannedChanged) -> None:
        """The team's list as the desk holds it now (at sign-in, after any change on any desk)."""
        current = self._current()
        self.model.set_records(event.responses)
        if event.team is None:
            self.team_label.setText(self.tr("You are in no team: there are no team canned responses."))
        elif self.may_edit:
            self.team_label.setText(self.tr(
                "The canned responses of %1, for everyone in the team. Type / and the keyword in a chat "
                "to insert the text; your own canned responses (Settings) win on the same keyword."
            ).replace("%1", event.team.name))
        else:
            self.team_label.setText(self.tr(
                "The canned responses of %1, kept by your team lead. Type / and the keyword in a chat "
                "to insert the text; your own canned responses (Settings) win on the same keyword."
            ).replace("%1", event.team.name))
        self.editor.setVisible(self.may_edit and event.team is not None)
        if current is not None:
            for row, record in enumerate(self.model.records()):
                if record.keyword == current.keyword:
                    self.table.selectRow(row)
        self._update_buttons()

    def _changed_text(self, record: TeamCanned) -> str:
        when = date_time(record.updated_at)
        if record.updated_by:
            return self.tr("%1 by %2").replace("%1", when).replace("%2", record.updated_by)
        return when

    def _current(self) -> TeamCanned | None:
        index = self.table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else None

    def _on_table_current_row_changed(self) -> None:
        record = self._current()
        if record is not None:
            self.keyword_edit.setText(record.keyword)
            self.text_edit.setPlainText(record.text)
        self._update_buttons()

    def _keyword(self) -> str:
        return self.keyword_edit.text().strip().lstrip("/").replace(" ", "-")

    def _update_buttons(self) -> None:
        text = self.text_edit.toPlainText().strip()
        self.save_button.setEnabled(bool(self._keyword()) and bool(text) and len(text) <= TEXT_LENGTH)
        keyword = self._keyword()
        self.remove_button.setEnabled(any(r.keyword == keyword for r in self.model.records()))

    @asyncSlot()
    async def _on_save_clicked(self) -> None:
        await self.save()

    async def save(self) -> bool:
        keyword, text = self._keyword(), self.text_edit.toPlainText().strip()
        if await self._run("canned.put", self.desk.put_team_canned(keyword, text)) is FAILED:
            return False  # the typed text stays in the editor
        self.banner.show_message(self.tr("Saved for the team: /%1").replace("%1", keyword), kind="info",
                                 timeout_ms=4000)
        return True

    @asyncSlot()
    async def _on_remove_clicked(self) -> None:
        await self.remove()

    async def remove(self) -> bool:
        keyword = self._keyword()
        if await self._run("canned.delete", self.desk.delete_team_canned(keyword)) is FAILED:
            return False
        self.keyword_edit.clear()
        self.text_edit.clear()
        self.table.clearSelection()
        self.banner.show_message(self.tr("Removed for the team: /%1").replace("%1", keyword), kind="info",
                                 timeout_ms=4000)
        return True
