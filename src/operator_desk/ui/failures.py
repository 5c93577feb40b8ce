"""FailureCode -> a sentence a person can act on. Services speak in codes; only the UI has words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from operator_desk.services.events import FailureCode


def failure_text(code: FailureCode | str | None) -> str:
    tr = QCoreApplication.translate
    texts = {
        FailureCode.SERVER_UNREACHABLE: tr(
            "failures", "The chat server cannot be reached. Check the server address and your network; "
            "the desk keeps trying."),
        FailureCode.INVALID_CREDENTIALS: tr(
            "failures", "The user name or password is wrong. Check them and try again."),
        FailureCode.TOKEN_REVOKED: tr(
            "failures", "Your session has ended (signed out elsewhere or expired). Please sign in again."),
        FailureCode.RATE_LIMITED: tr(
            "failures", "Too many attempts. Wait a minute, then try again."),
        FailureCode.INSECURE_URL: tr(
            "failures", "The server address uses an unencrypted connection (ws://) to another computer. "
            "Use wss://, or start the desk with --allow-insecure if you really mean it."),
        FailureCode.CERTIFICATE: tr(
            "failures", "The server's certificate could not be verified, so the connection was refused. "
            "Ask your administrator to check the server certificate."),
        FailureCode.FORBIDDEN: tr(
            "failures", "Your role does not allow this action."),
        FailureCode.NOT_FOUND: tr(
            "failures", "This no longer exists (it may have been closed or erased)."),
        FailureCode.CONFLICT: tr(
            "failures", "Another operator was quicker: this chat has already been taken."),
        FailureCode.CONSENT_REQUIRED: tr(
            "failures", "The visitor has not given the consent this needs."),
        FailureCode.BAD_REQUEST: tr(
            "failures", "The server did not accept this request (it may be too long or incomplete)."),
        FailureCode.CACHE_UNAVAILABLE: tr(
            "failures", "The local cache could not be opened or written. Chats still work, but nothing "
            "is kept on this computer. Is another copy of the desk running with this profile?"),
        FailureCode.INTERNAL: tr(
            "failures", "Something went wrong on the server; nothing was changed. Try again in a moment."),
    }
    if code is None:
        return ""
    try:
        return texts[FailureCode(code)]
    except ValueError:
        return tr("failures", "Something went wrong (%1).").replace("%1", str(code))


def action_text(action: str) -> str:
    """What the user was doing, for a message box title."""
    tr = QCoreApplication.translate
    return {
        "auth.login": tr("failures", "Could not sign in"),
        "chat.accept": tr("failures", "Could not accept the chat"),
        "chat.send": tr("failures", "Could not send the message"),
        "chat.close": tr("failures", "Could not end the chat"),
        "details.request": tr("failures", "Could not request details"),
        "transcripts.search": tr("failures", "Could not search transcripts"),
        "transcripts.get": tr("failures", "Could not open the transcript"),
        "subjects.find": tr("failures", "Could not find people"),
        "subjects.export": tr("failures", "Could not export"),
        "subjects.erase": tr("failures", "Could not erase"),
        "cache": tr("failures", "Local cache"),
    }.get(action, tr("failures", "Something did not work"))
