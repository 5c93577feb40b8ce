"""People (supervisors): find a person by e-mail, name, phone number or visitor id, with enough beside
each match to pick the right one; export everything held about them as a bundle; or start a
data-subject request for them (erasure goes through a request, and at most sites a second supervisor)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget
from qasync import asyncSlot

from operator_desk.protocol.messages import SubjectSummary
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.flows.bundle_export import export_bundle
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.widgets.person_finder import PersonFinder
from operator_desk.ui.windows.review_window import ReviewWindow

logger = logging.getLogger(__name__)


class SubjectsWindow(ReviewWindow):
    """``request_wanted`` asks the Requests window to record a request for the chosen person."""

    request_wanted = Signal(object)

    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("People — Operator Desk"), icons.icon("subjects"), parent)
        self.resize(900, 540)
        self.finder = PersonFinder(desk.find_subjects, self._run)
        self.finder.selection_changed.connect(self._update_buttons)
        self.finder.found.connect(self._on_finder_found)
        self.export_button = push_button(self.tr("Export bundle…"),
                                         self.tr("Export everything held about this person"),
                                         self._on_export_clicked, icon="export")
        self.request_button = push_button(self.tr("New request for this person…"),
                                          self.tr("Record a data-subject request for this person"),
                                          self._on_request_clicked, icon="requests")
        hint = hint_label(self.tr("Exports are recorded in the audit logs with your name. To erase someone, "
                                  "record their request: the erasure is approved by a second supervisor."))
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.request_button)
        top = QHBoxLayout()
        self._set_body(top, self.finder, buttons)
        self._update_buttons()

    @property
    def query_edit(self):
        return self.finder.query_edit

    def _selected(self) -> SubjectSummary | None:
        return self.finder.selected()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self._selected() is not None
        self.export_button.setEnabled(chosen)
        self.request_button.setEnabled(chosen)

    def _on_finder_found(self, count: int) -> None:
        self.statusBar().showMessage(self.tr("%n person(s) found", "", count))

    async def find(self, query: str | None = None) -> tuple[SubjectSummary, ...] | None:
        return await self.finder.find(query)

    def _show_count(self) -> None:
        self.statusBar().showMessage(self.tr("%n person(s) found", "", self.results_model.rowCount()))

    @asyncSlot()
    async def _on_export_clicked(self) -> None:
        await self.export_selected()

    async def export_selected(self, **options):
        """A bundle of the chosen person outside any request (``options``: ``folder``, ``make_zip``,
        ``progress`` instead of asking)."""
        subject = self._selected()
        if subject is None:
            return None
        written = await export_bundle(self, self.desk.bundles, subject.visitor_id,
                                      subject.name or pseudonym(subject.visitor_id), None, self.show_failure,
                                      **options)
        if written is None or written is FAILED:
            return None
        self.banner.show_message(self.tr("Bundle written to %1 (manifest SHA-256 %2…).")
                                 .replace("%1", str(written.zip or written.folder))
                                 .replace("%2", written.manifest_sha256[:16]), kind="info")
        return written

    def _on_request_clicked(self) -> None:
        subject = self._selected()
        if subject is not None:
            self.request_wanted.emit(subject)
