"""A request's own life in the Requests window: recording it, linking the person it is about, extending
its deadline, a note, the answer sent, closing it with its outcome. Each is a named coroutine (tests
await them, with a dialog already filled in) behind a one-line slot of the window's action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog
from qasync import asyncSlot

from operator_desk.domain.cases import SubjectCase
from operator_desk.protocol.messages import SubjectSummary
from operator_desk.services.subject_requests import SubjectRequests
from operator_desk.ui.case_words import outcome_text
from operator_desk.ui.dialogs.async_dialog import ask
from operator_desk.ui.dialogs.case_dialogs import CloseCaseDialog, ExtendCaseDialog, NewCaseDialog, NoteDialog
from operator_desk.ui.use_case import FAILED, Failed, run_use_case
from operator_desk.ui.widgets.person_finder import PersonFinder
from operator_desk.ui.windows.requests.person_dialog import PersonDialog

if TYPE_CHECKING:
    from operator_desk.ui.windows.requests_window import RequestsWindow

T = TypeVar("T")
A = TypeVar("A")
D = TypeVar("D", bound=QDialog)


class CaseFlows(QObject):
    def __init__(self, window: RequestsWindow) -> None:
        super().__init__(window)
        self._window = window

    def _finder(self) -> PersonFinder:
        return PersonFinder(self._window.desk.find_subjects, self._run)

    def _requests(self) -> SubjectRequests:
        return self._window.desk.subject_requests

    async def _run(self, action: str, call: Awaitable[T]) -> T | Literal[Failed.FAILED]:
        return await run_use_case(action, call, self._window.show_failure)

    @asyncSlot()
    async def on_new_action_triggered(self) -> None:
        await self.new_request()

    async def new_request(self, person: SubjectSummary | None = None,
                          dialog: NewCaseDialog | None = None) -> SubjectCase | None:
        """Ask for the request's facts (``dialog``: one already filled in) and record it."""
        window = self._window
        requests = self._requests()

        def recorded(asked: NewCaseDialog) -> Awaitable[SubjectCase]:
            chosen = asked.person()
            return requests.open_case(
                asked.kind(), asked.received_on().isoformat(), asked.identity_check(),
                identity_note=asked.identity_note.text().strip(),
                reference=asked.reference_edit.text().strip(),
                visitor_id=chosen.visitor_id if chosen is not None else None)

        call = await ask(dialog or NewCaseDialog(self._finder(), person, window), recorded)
        if call is None:
            return None
        case = await self._run("cases.open", call)
        if case is FAILED:
            return None
        window.state_combo.setCurrentIndex(0)
        await window.reload(keep=case.id)
        window.show_info(self.tr("Request recorded: the answer is due by %1.").replace("%1", case.due_on))
        return case

    @asyncSlot()
    async def on_find_action_triggered(self) -> None:
        await self.link_person()

    async def link_person(self, dialog: PersonDialog | None = None) -> bool:
        """Find the person the chosen request is about (``dialog``: one with the person chosen)."""
        done = await self._next_step(
            "cases.link", lambda case: dialog or PersonDialog(self._finder(), self._window),
            lambda asked: asked.person(),
            lambda case, person: self._requests().link_case(case.id, person.visitor_id))
        return done is not None

    @asyncSlot()
    async def on_extend_action_triggered(self) -> None:
        await self.extend_selected()

    async def extend_selected(self, dialog: ExtendCaseDialog | None = None) -> SubjectCase | None:
        done = await self._next_step(
            "cases.extend", lambda case: dialog or ExtendCaseDialog(case, self._window),
            lambda asked: (asked.months(), asked.reason()),
            lambda case, months_and_reason: self._requests().extend_case(case.id, *months_and_reason))
        return done[1] if done is not None else None

    @asyncSlot()
    async def on_note_action_triggered(self) -> None:
        await self.note_selected()

    async def note_selected(self, dialog: NoteDialog | None = None) -> bool:
        done = await self._next_step(
            "cases.record",
            lambda case: dialog or NoteDialog(self.tr("Add a note"), self.tr("Note:"), self._window),
            lambda asked: asked.text(),
            lambda case, text: self._requests().record_step(case.id, "note", text))
        return done is not None

    @asyncSlot()
    async def on_sent_action_triggered(self) -> None:
        case = self._window.selected_case()
        if case is not None:
            await self.record_sent(case.id)

    async def record_sent(self, case_id: str) -> None:
        """The answer to the person was sent (from this action, or the erasure confirmation's)."""
        if await self._run("cases.record", self._requests().record_step(
                case_id, "response_sent")) is not FAILED:
            await self._window.reload(keep=case_id)

    @asyncSlot()
    async def on_close_action_triggered(self) -> None:
        await self.close_selected()

    async def close_selected(self, dialog: CloseCaseDialog | None = None) -> SubjectCase | None:
        done = await self._next_step(
            "cases.close", lambda case: dialog or CloseCaseDialog(case, self._window),
            lambda asked: (asked.outcome(), asked.note()),
            lambda case, outcome_and_note: self._requests().close_case(case.id, *outcome_and_note))
        if done is None:
            return None
        (outcome, _note), closed = done
        self._window.show_info(self.tr("Request closed: %1.").replace("%1", outcome_text(outcome)))
        return closed

    async def _next_step(self, action: str, dialog: Callable[[SubjectCase], D], answer: Callable[[D], A],
                         call: Callable[[SubjectCase, A], Awaitable[T]]) -> tuple[A, T] | None:
        """One step of the chosen request: ask ``dialog`` about it, ``call`` with the ``answer`` read from
        it, then load the request again; the answer and the call's result. None when no request is
        chosen, the dialog was cancelled, or the call failed (the banner says why)."""
        case = self._window.selected_case()
        if case is None:
            return None
        asked = await ask(dialog(case), answer)
        if asked is None:
            return None
        done = await self._run(action, call(case, asked))
        if done is FAILED:
            return None
        await self._window.reload(keep=case.id)
        return asked, done
