"""The windows the main window opens beside itself: the review windows of the Review menu (transcripts,
the team at work, people, data-subject requests, the audit log, connected systems), a watched chat, and
the team's canned responses.

Each module is imported, and each window made, when first asked for (start-up time). The Requests and
Team canned responses windows are kept while the desk runs (a new desk, another server, makes new ones);
watching a chat again brings its window back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from qasync import asyncSlot

from operator_desk.protocol.messages import SubjectSummary
from operator_desk.services.events import TeamCannedChanged

if TYPE_CHECKING:
    from operator_desk.ui.windows.audit_window import AuditWindow
    from operator_desk.ui.windows.deliveries_window import DeliveriesWindow
    from operator_desk.ui.windows.desk_actions import DeskActions
    from operator_desk.ui.windows.main_window import MainWindow
    from operator_desk.ui.windows.observe_window import ObserveWindow
    from operator_desk.ui.windows.requests_window import RequestsWindow
    from operator_desk.ui.windows.team_canned_window import TeamCannedWindow
    from operator_desk.ui.windows.team_window import TeamWindow
    from operator_desk.ui.windows.transcripts_window import TranscriptsWindow

    Listing = TranscriptsWindow | TeamWindow | AuditWindow | DeliveriesWindow


class ReviewWindows(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._requests: RequestsWindow | None = None
        self._team_canned_window: TeamCannedWindow | None = None
        self._watching: dict[str, ObserveWindow] = {}   # chat id -> its window

    def connect_actions(self, actions: DeskActions) -> None:
        actions.transcripts.triggered.connect(self._on_transcripts_action_triggered)
        actions.team.triggered.connect(self._on_team_action_triggered)
        actions.audit.triggered.connect(self._on_audit_action_triggered)
        actions.deliveries.triggered.connect(self._on_deliveries_action_triggered)
        actions.subjects.triggered.connect(self._on_subjects_action_triggered)
        actions.requests.triggered.connect(self._on_requests_action_triggered)
        actions.team_canned.triggered.connect(self._on_team_canned_action_triggered)

    async def _open_listing(self, window: Listing) -> Listing:
        window.show()
        await window.open_listing()
        return window

    @staticmethod
    def _bring_forward(window: QWidget) -> None:
        window.show()
        window.raise_()

    # -- the Review menu ------------------------------------------------------------------------------

    @asyncSlot()
    async def _on_transcripts_action_triggered(self) -> None:
        from operator_desk.ui.windows.transcripts_window import TranscriptsWindow  # when first needed

        await self._open_listing(TranscriptsWindow(self._window.desk, self._window))

    @asyncSlot()
    async def _on_team_action_triggered(self) -> None:
        from operator_desk.ui.windows.team_window import TeamWindow  # when first needed

        team = TeamWindow(self._window.desk, self._window)
        team.watch_requested.connect(self._on_team_window_watch_requested)
        await self._open_listing(team)

    @asyncSlot()
    async def _on_audit_action_triggered(self) -> None:
        from operator_desk.ui.windows.audit_window import AuditWindow  # when first needed

        await self._open_listing(AuditWindow(self._window.desk, self._window))

    @asyncSlot()
    async def _on_deliveries_action_triggered(self) -> None:
        from operator_desk.ui.windows.deliveries_window import DeliveriesWindow  # when first needed

        await self._open_listing(DeliveriesWindow(self._window.desk, self._window))

    def _on_subjects_action_triggered(self) -> None:
        from operator_desk.ui.windows.subjects_window import SubjectsWindow  # when first needed

        subjects = SubjectsWindow(self._window.desk, self._window)
        subjects.request_wanted.connect(self._on_subjects_window_request_wanted)
        subjects.show()

    # -- data-subject requests ------------------------------------------------------------------------

    def requests_window(self) -> RequestsWindow:
        """The data-subject requests window, made when first needed and kept while the desk runs."""
        from operator_desk.ui.windows.requests_window import RequestsWindow  # when first needed

        if self._requests is None or self._requests.desk is not self._window.desk:
            self._requests = RequestsWindow(self._window.desk, self._window)
        return self._requests

    async def open_requests(self) -> RequestsWindow:
        window = self.requests_window()
        self._bring_forward(window)
        await window.reload()
        return window

    async def request_for(self, person: SubjectSummary) -> None:
        """A new request for someone found in the People window, recorded in the Requests window."""
        window = await self.open_requests()
        await window.case_flows.new_request(person)

    @asyncSlot()
    async def _on_requests_action_triggered(self) -> None:
        await self.open_requests()

    @asyncSlot(object)
    async def _on_subjects_window_request_wanted(self, person: SubjectSummary) -> None:
        await self.request_for(person)

    # -- a watched chat -------------------------------------------------------------------------------

    @asyncSlot(str)
    async def _on_team_window_watch_requested(self, chat_id: str) -> None:
        await self.watch_chat(chat_id)

    async def watch_chat(self, chat_id: str) -> None:
        """A live chat read-only, in a window of its own; watching it again brings that window back."""
        from operator_desk.ui.windows.observe_window import ObserveWindow  # when first needed

        window = self._watching.get(chat_id)
        if window is not None and window.watching:
            self._bring_forward(window)
            return
        if window is not None:
            window.deleteLater()
        window = self._watching[chat_id] = ObserveWindow(self._window.desk, self._window.bridge, chat_id,
                                                         self._window)
        window.show()
        await window.start()

    # -- the team's canned responses ------------------------------------------------------------------

    def show_team_canned(self, event: TeamCannedChanged) -> None:
        """The team's canned responses changed (or the operator's team did): the window shows them."""
        if self._team_canned_window is not None:
            self._team_canned_window.show_responses(event)

    def team_canned_window(self) -> TeamCannedWindow:
        """The team's canned responses, in a window made when first needed."""
        from operator_desk.ui.windows.team_canned_window import TeamCannedWindow  # when first needed

        if self._team_canned_window is None or self._team_canned_window.desk is not self._window.desk:
            self._team_canned_window = TeamCannedWindow(self._window.desk, self._window)
        self._team_canned_window.show_responses(self._window.team_canned)
        return self._team_canned_window

    def _on_team_canned_action_triggered(self) -> None:
        self._bring_forward(self.team_canned_window())
