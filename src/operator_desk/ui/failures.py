"""FailureCode -> a sentence a person can act on. Services speak in codes; only the UI has words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from operator_desk.services.errors import FailureCode


def failure_text(code: FailureCode | str | None, action: str = "") -> str:
    """Why ``action`` failed, in words; ``action`` makes a few codes more precise."""
    if code == FailureCode.CONFLICT and action.startswith(("cases.", "approvals.")):
        return QCoreApplication.translate(
            "failures", "This request has changed meanwhile (it may be closed, extended or decided "
            "already, or the approval request expired). The list shows it as it is now.")
    if code == FailureCode.CONFLICT and action == "chat.transfer":
        return QCoreApplication.translate(
            "failures", "This chat is no longer yours to hand on (it ended, or is someone else's now).")
    texts = {
        FailureCode.SERVER_UNREACHABLE: QCoreApplication.translate(
            "failures", "The chat server cannot be reached. Check the server address and your network; "
            "the desk keeps trying."),
        FailureCode.INVALID_CREDENTIALS: QCoreApplication.translate(
            "failures", "The user name or password is wrong. Check them and try again."),
        FailureCode.TOKEN_REVOKED: QCoreApplication.translate(
            "failures", "Your session has ended (signed out elsewhere or expired). Please sign in again."),
        FailureCode.RATE_LIMITED: QCoreApplication.translate(
            "failures", "Too many attempts. Wait a minute, then try again."),
        FailureCode.INSECURE_URL: QCoreApplication.translate(
            "failures", "The server address uses an unencrypted connection (ws://) to another computer. "
            "Use wss://, or start the desk with --allow-insecure if you really mean it."),
        FailureCode.CERTIFICATE: QCoreApplication.translate(
            "failures", "The server's certificate could not be verified, so the connection was refused. "
            "Ask your administrator to check the server certificate."),
        FailureCode.FORBIDDEN: QCoreApplication.translate(
            "failures", "Your role does not allow this action."),
        FailureCode.NOT_FOUND: QCoreApplication.translate(
            "failures", "This no longer exists (it may have been closed or erased)."),
        FailureCode.CONFLICT: QCoreApplication.translate(
            "failures", "Another operator was quicker: this chat has already been taken."),
        FailureCode.CHAT_LIMIT_REACHED: QCoreApplication.translate(
            "failures", "You have as many chats open as your chat limit allows: end one first."),
        FailureCode.CONSENT_REQUIRED: QCoreApplication.translate(
            "failures", "The visitor has not given the consent this needs."),
        FailureCode.BAD_REQUEST: QCoreApplication.translate(
            "failures", "The server did not accept this request (it may be too long or incomplete)."),
        FailureCode.APPROVAL_REQUIRED: QCoreApplication.translate(
            "failures", "This site needs a second supervisor to approve this: request the approval."),
        FailureCode.NOT_SIGNED_IN: QCoreApplication.translate("failures", "Sign in first."),
        FailureCode.ALREADY_EXISTS: QCoreApplication.translate(
            "failures", "A file or folder of that name exists already: choose another name."),
        FailureCode.FILE_NOT_WRITTEN: QCoreApplication.translate(
            "failures", "The files could not be written (is the disk full, or the folder not yours?). "
            "Nothing was left behind."),
        FailureCode.CACHE_UNAVAILABLE: QCoreApplication.translate(
            "failures", "The local cache could not be opened or written. Chats still work, but nothing "
            "is kept on this computer. Is another copy of the desk running with this profile?"),
        FailureCode.RECIPIENT_OFFLINE: QCoreApplication.translate(
            "failures", "Nobody to hand it to: that colleague (or everyone of that team) is signed out. "
            "The chat is still yours."),
        FailureCode.RECIPIENT_AT_LIMIT: QCoreApplication.translate(
            "failures", "That colleague (or everyone of that team) has as many chats open as allowed. "
            "The chat is still yours."),
        FailureCode.INTERNAL: QCoreApplication.translate(
            "failures", "Something went wrong on the server; nothing was changed. Try again in a moment."),
    }
    if code is None:
        return ""
    try:
        return texts[FailureCode(code)]
    except ValueError:
        return QCoreApplication.translate("failures", "Something went wrong (%1).").replace("%1", str(code))


def failure_of(exc: Exception) -> FailureCode:
    """The failure code a desk call raised with (``DeskError.code``), else ``internal``."""
    try:
        return FailureCode(getattr(exc, "code", FailureCode.INTERNAL))
    except ValueError:
        return FailureCode.INTERNAL


def action_text(action: str) -> str:
    """What the user was doing, for a message box title."""
    return {
        "auth.login": QCoreApplication.translate("failures", "Could not sign in"),
        "chat.accept": QCoreApplication.translate("failures", "Could not accept the chat"),
        "presence.set": QCoreApplication.translate("failures", "Could not change your status"),
        "team.set_limit": QCoreApplication.translate("failures", "Could not change the chat limit"),
        "chat.send": QCoreApplication.translate("failures", "Could not send the message"),
        "chat.close": QCoreApplication.translate("failures", "Could not end the chat"),
        "details.request": QCoreApplication.translate("failures", "Could not request details"),
        "transcripts.search": QCoreApplication.translate("failures", "Could not search transcripts"),
        "transcripts.get": QCoreApplication.translate("failures", "Could not open the transcript"),
        "subjects.find": QCoreApplication.translate("failures", "Could not find people"),
        "subjects.export": QCoreApplication.translate("failures", "Could not export"),
        "subjects.erase": QCoreApplication.translate("failures", "Could not erase"),
        "cases.open": QCoreApplication.translate("failures", "Could not record the request"),
        "cases.list": QCoreApplication.translate("failures", "Could not list the requests"),
        "cases.get": QCoreApplication.translate("failures", "Could not read the request"),
        "cases.link": QCoreApplication.translate("failures", "Could not link the person"),
        "cases.extend": QCoreApplication.translate("failures", "Could not extend the deadline"),
        "cases.record": QCoreApplication.translate("failures", "Could not record the step"),
        "cases.close": QCoreApplication.translate("failures", "Could not close the request"),
        "approvals.list": QCoreApplication.translate("failures", "Could not list the approvals"),
        "approvals.request": QCoreApplication.translate("failures", "Could not request the approval"),
        "approvals.decide": QCoreApplication.translate("failures", "Could not record the decision"),
        "bundle.write": QCoreApplication.translate("failures", "Could not write the export bundle"),
        "canned.put": QCoreApplication.translate("failures", "Could not save the team's canned response"),
        "canned.delete": QCoreApplication.translate("failures",
                                                    "Could not remove the team's canned response"),
        "webhooks.deliveries": QCoreApplication.translate("failures",
                                                          "Could not list the undelivered events"),
        "webhooks.retry": QCoreApplication.translate("failures", "Could not queue the event again"),
        "webhooks.drop": QCoreApplication.translate("failures", "Could not drop the event"),
        "visitor.earlier_chats": QCoreApplication.translate("failures", "Could not list the earlier chats"),
        "chat.transfer": QCoreApplication.translate("failures", "Could not hand the chat on"),
        "presence.list": QCoreApplication.translate("failures", "Could not list your colleagues"),
        "visitor.earlier_chat": QCoreApplication.translate("failures", "Could not open the earlier chat"),
        "cache": QCoreApplication.translate("failures", "Local cache"),
    }.get(action, QCoreApplication.translate("failures", "Something did not work"))
