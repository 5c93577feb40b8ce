"""What a request does with the person's data: export everything held about them as a bundle, erase
it, and the second supervisor's approval that this site may require for either (four eyes), with the
confirmation letter for the person after an approved erasure."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QObject
from qasync import asyncSlot

from operator_desk.domain.cases import Approval, ApprovalState, SubjectCase
from operator_desk.services.bundle.export import BundleWritten
from operator_desk.services.subject_requests import Decision
from operator_desk.ui.case_words import approvable_action_text, approval_state_text, person_text
from operator_desk.ui.dialogs.async_dialog import ask
from operator_desk.ui.dialogs.case_dialogs import ErasureRequestDialog, NoteDialog
from operator_desk.ui.dialogs.erasure_confirmation import ErasureConfirmationDialog, ErasureLetter
from operator_desk.ui.flows.bundle_export import desk_language, export_bundle
from operator_desk.ui.report_words import QtReportWords
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED, Failed, run_use_case

if TYPE_CHECKING:
    from operator_desk.ui.windows.requests_window import RequestsWindow

T = TypeVar("T")


class SubjectFlows(QObject):
    def __init__(self, window: RequestsWindow) -> None:
        super().__init__(window)
        self._window = window
        # The confirmation for the person after the last approved erasure (None before one).
        self.confirmation: ErasureConfirmationDialog | None = None

    async def _run(self, action: str, call: Awaitable[T]) -> T | Literal[Failed.FAILED]:
        return await run_use_case(action, call, self._window.show_failure)

    # -- exporting ------------------------------------------------------------------------------------

    @asyncSlot()
    async def on_export_action_triggered(self) -> None:
        await self.export_selected()

    async def export_selected(self, **options: object) -> BundleWritten | None:
        """The bundle of the chosen case's person (``options``: ``folder``, ``make_zip``, ``progress``
        instead of asking)."""
        window = self._window
        case = window.selected_case()
        if case is None or case.visitor_id is None:
            return None
        approval_id = None
        if window.approvals.needs_approval("subjects.export"):
            approval_id = await self._approved_export(case)
            if approval_id is None:
                return None
        written = await export_bundle(window, window.desk.bundles, case.visitor_id, person_text(case), case,
                                      window.show_failure, approval_id=approval_id, **options)
        if written is None or written is FAILED:
            return None
        note = "" if written.recorded_in_case else self.tr(
            " The request's steps could not be updated: record it with a note.")
        window.show_info(self.tr("Bundle written to %1 (manifest SHA-256 %2…).")
                         .replace("%1", str(written.zip or written.folder))
                         .replace("%2", written.manifest_sha256[:16]) + note)
        await window.reload(keep=case.id)
        return written

    async def _approved_export(self, case: SubjectCase) -> str | None:
        """Where exports need four eyes: this supervisor's approved, unused export of the person, or a
        request for one (then None: the export waits for the approval)."""
        window = self._window
        own = window.desk.operator.id if window.desk.operator else ""
        policy = window.approvals.policy
        for approval in policy.approvals if policy else ():
            if (approval.action == "subjects.export" and approval.case_id == case.id and not approval.used
                    and approval.state is ApprovalState.APPROVED and approval.requested_by.id == own):
                return approval.id
        reason = await ask(NoteDialog(self.tr("Export needs approval"), self.tr(
            "This site has every export approved by a second supervisor. Why is it needed?"), window),
            lambda d: d.text())
        if reason is None:
            return None
        asked = await self._run("approvals.request", window.desk.subject_requests.request_approval(
            "subjects.export", case.id, case.visitor_id or "", reason))
        if asked is not FAILED:
            window.show_info(self.tr("Export requested: another supervisor approves it, then export again."))
            await window.reload(keep=case.id)
        return None

    # -- erasing --------------------------------------------------------------------------------------

    @asyncSlot()
    async def on_erase_action_triggered(self) -> None:
        await self.request_erasure()

    async def request_erasure(self, dialog: ErasureRequestDialog | None = None) -> Approval | bool | None:
        """Erase the chosen case's person now (True), or, where four eyes are needed, ask a second
        supervisor to (the approval asked for); None when nothing happened."""
        window = self._window
        case = window.selected_case()
        if case is None or case.visitor_id is None:
            return None
        four_eyes = window.approvals.needs_approval("subjects.erase")
        reason = await ask(dialog or ErasureRequestDialog(person_text(case), 0, four_eyes, window),
                           lambda d: d.reason())
        if reason is None:
            return None
        if not four_eyes:
            counts = await self._run("subjects.erase", window.desk.erase_subject(case.visitor_id, reason))
            if counts is FAILED:
                return None
            window.show_info(self.tr("Erased: %1 chat(s), %2 message(s).").replace("%1", str(counts.chats))
                             .replace("%2", str(counts.messages)))
            await window.reload(keep=case.id)
            return True
        approval = await self._run("approvals.request", window.desk.subject_requests.request_approval(
            "subjects.erase", case.id, case.visitor_id, reason))
        if approval is FAILED:
            return None
        window.show_info(self.tr("Erasure requested. Another supervisor approves it under \"Waiting for "
                                 "approval\"; it expires on %1.")
                         .replace("%1", date_time(approval.expires_at)))
        await window.reload(keep=case.id)
        return approval

    # -- the second supervisor's decision -------------------------------------------------------------

    @asyncSlot()
    async def on_approve_action_triggered(self) -> None:
        await self.decide(True)

    @asyncSlot()
    async def on_reject_action_triggered(self) -> None:
        await self.decide(False)

    async def decide(self, approve: bool, *, show_confirmation: bool = True) -> Decision | None:
        window = self._window
        approval = window.approvals.selected()
        if approval is None:
            return None
        requests = window.desk.subject_requests
        # Read before: after an erasure the case keeps only its tombstone (its reference is gone).
        case = await self._run("cases.get", requests.case(approval.case_id))
        decision = await self._run("approvals.decide", requests.decide(approval, approve))
        await window.reload()
        # Nothing chosen after a decision: a selection that moved on to the next request would make a
        # second click decide someone else's.
        window.approvals.clear_choice()
        if decision is FAILED:
            return None
        if decision.erased is None:
            window.show_info(self.tr("%1: %2.").replace("%1", approvable_action_text(approval.action))
                             .replace("%2", approval_state_text(decision.approval.state)))
            return decision
        self.confirmation = self._confirmation_dialog(approval, decision,
                                                      None if case is FAILED else case.case)
        if show_confirmation:
            self.confirmation.open()
        return decision

    def _confirmation_dialog(self, approval: Approval, decision: Decision,
                             case: SubjectCase | None) -> ErasureConfirmationDialog:
        assert decision.erased is not None
        words = QtReportWords(desk_language())
        reference = (case.reference or case.id) if case is not None else approval.case_id
        letter = ErasureLetter().text(words, decision.approval.decided_at or "",
                                      case.received_on if case is not None else None, reference,
                                      decision.erased, decision.erased_here)
        dialog = ErasureConfirmationDialog(decision.erased, decision.erased_here, letter, self._window)
        dialog.sent.connect(lambda: self._on_confirmation_sent(approval.case_id))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    @asyncSlot()
    async def _on_confirmation_sent(self, case_id: str) -> None:
        await self._window.case_flows.record_sent(case_id)
