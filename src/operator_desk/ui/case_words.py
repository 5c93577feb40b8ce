"""The words for data-subject requests: kinds, identity checks, outcomes, steps, approval states,
deadlines. One place, so that the Requests window, its dialogs and the People window say the same."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from operator_desk.domain.cases import (
    ApprovalState,
    IdentityCheck,
    Outcome,
    RequestKind,
    StepKind,
    SubjectCase,
)
from operator_desk.ui.naming import pseudonym


def kind_text(kind: RequestKind) -> str:
    return {
        RequestKind.ACCESS: QCoreApplication.translate("cases", "Access (a copy of the data)"),
        RequestKind.PORTABILITY: QCoreApplication.translate("cases", "Portability (data to take away)"),
        RequestKind.ERASURE: QCoreApplication.translate("cases", "Erasure"),
        RequestKind.RECTIFICATION: QCoreApplication.translate("cases", "Rectification"),
        RequestKind.OBJECTION: QCoreApplication.translate("cases", "Objection"),
    }[kind]


def identity_text(check: IdentityCheck) -> str:
    return {
        IdentityCheck.EMAIL_ON_RECORD: QCoreApplication.translate(
            "cases", "Confirmed from the e-mail address on record"),
        IdentityCheck.WIDGET_SESSION: QCoreApplication.translate("cases", "Asked in their own chat session"),
        IdentityCheck.DOCUMENT_SEEN: QCoreApplication.translate("cases", "Identity document seen (not kept)"),
        IdentityCheck.KNOWN_CONTACT: QCoreApplication.translate("cases", "Known customer"),
        IdentityCheck.OTHER: QCoreApplication.translate("cases", "Other (see the note)"),
    }[check]


def outcome_text(outcome: Outcome | None) -> str:
    if outcome is None:
        return ""
    return {
        Outcome.FULFILLED: QCoreApplication.translate("cases", "Fulfilled"),
        Outcome.PARTLY_FULFILLED: QCoreApplication.translate("cases", "Partly fulfilled"),
        Outcome.REFUSED: QCoreApplication.translate("cases", "Refused"),
        Outcome.NO_DATA: QCoreApplication.translate("cases", "No data held"),
        Outcome.WITHDRAWN: QCoreApplication.translate("cases", "Withdrawn by the person"),
    }[outcome]


def step_text(step: StepKind) -> str:
    return {
        StepKind.OPENED: QCoreApplication.translate("cases", "Request recorded"),
        StepKind.LINKED: QCoreApplication.translate("cases", "Person found"),
        StepKind.EXTENDED: QCoreApplication.translate("cases", "Deadline extended"),
        StepKind.NOTE: QCoreApplication.translate("cases", "Note"),
        StepKind.EXPORTED: QCoreApplication.translate("cases", "Data exported"),
        StepKind.BUNDLE_WRITTEN: QCoreApplication.translate("cases", "Export bundle written"),
        StepKind.RESPONSE_SENT: QCoreApplication.translate("cases", "Answer sent to the person"),
        StepKind.APPROVAL_REQUESTED: QCoreApplication.translate("cases", "Second approval requested"),
        StepKind.APPROVED: QCoreApplication.translate("cases", "Approved"),
        StepKind.REJECTED: QCoreApplication.translate("cases", "Rejected"),
        StepKind.EXPIRED: QCoreApplication.translate("cases", "Approval request expired"),
        StepKind.ERASED: QCoreApplication.translate("cases", "Data erased"),
        StepKind.CLOSED: QCoreApplication.translate("cases", "Closed"),
    }[step]


def approval_state_text(state: ApprovalState) -> str:
    return {
        ApprovalState.PENDING: QCoreApplication.translate("cases", "Waiting for approval"),
        ApprovalState.APPROVED: QCoreApplication.translate("cases", "Approved"),
        ApprovalState.REJECTED: QCoreApplication.translate("cases", "Rejected"),
        ApprovalState.EXPIRED: QCoreApplication.translate("cases", "Expired"),
    }[state]


def approvable_action_text(action: str) -> str:
    return {
        "subjects.erase": QCoreApplication.translate("cases", "Erase"),
        "subjects.export": QCoreApplication.translate("cases", "Export"),
    }.get(action, action)


def person_text(case: SubjectCase) -> str:
    """Who the case is about, as a supervisor reads it: the name (or e-mail) while the visitor record
    exists, their pseudonym when it holds neither, "erased" after an erasure."""
    if case.subject_erased:
        return QCoreApplication.translate("cases", "Erased")
    if case.visitor_id is None:
        return QCoreApplication.translate("cases", "Not found yet")
    return case.subject_name or case.subject_email or pseudonym(case.visitor_id)
