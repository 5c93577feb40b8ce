"""The words of the export report (``services.bundle.report.ReportWords``) in the desk's language.

The services build the report; its words come from here, through Qt's translations like every other
string of the desk (context ``QtReportWords`` in ui/translations). Dates are written with the language's month
names, in this computer's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDate, QLocale, QObject

from operator_desk.ui.timefmt import parse_timestamp


class QtReportWords(QObject):
    """``ReportWords`` from the installed translations; ``language`` is the desk's ("en", "de")."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self._locale = QLocale(language)

    def _days(self, days: float) -> str:
        if days < 1:
            return self.tr("%n hour(s)", "", round(days * 24))
        return self.tr("%n day(s)", "", round(days))

    # -- dates --------------------------------------------------------------------------------------

    def _local(self, timestamp: str | None) -> datetime | None:
        moment = parse_timestamp(timestamp)
        return moment.astimezone() if moment is not None else None

    def _day_text(self, moment: datetime) -> str:
        return self._locale.toString(QDate(moment.year, moment.month, moment.day),
                                     self.tr("d MMMM yyyy"))

    def date(self, timestamp: str | None) -> str:
        moment = self._local(timestamp)
        return self._day_text(moment) if moment is not None else "—"

    def day(self, day: str) -> str:
        return self._day_text(datetime.fromisoformat(day))

    def date_time(self, timestamp: str | None) -> str:
        moment = self._local(timestamp)
        if moment is None:
            return "—"
        return self.tr("%1, %2").replace("%1", self._day_text(moment)).replace("%2", moment.strftime("%H:%M"))

    def time(self, timestamp: str | None) -> str:
        moment = self._local(timestamp)
        return moment.strftime("%H:%M") if moment is not None else ""

    # -- the summary --------------------------------------------------------------------------------

    def document_title(self) -> str:
        return self.tr("Your personal data")

    def lead(self, controller: str, as_of: str) -> str:
        return self.tr("What %1 holds about you in its website chat, as of %2.").replace("%1", controller) \
            .replace("%2", as_of)

    def intro(self, controller: str) -> str:
        return self.tr("You asked us what personal data we hold about you. This report lists all of it: what "
                   "the chat server of %1 keeps and what the computer this report was made on keeps. "
                   "The same data comes in machine-readable form in records.json, for you to take "
                   "elsewhere.").replace("%1", controller)

    def request_line(self, reference: str, received: str) -> str:
        return self.tr("It answers your request %1, received on %2.").replace("%1", reference) \
            .replace("%2", received)

    def summary_heading(self) -> str:
        return self.tr("Summary")

    def what_heading(self) -> str:
        return self.tr("What we hold")

    def why_heading(self) -> str:
        return self.tr("Why we hold it")

    def since_heading(self) -> str:
        return self.tr("Since when")

    def kept_heading(self) -> str:
        return self.tr("How long we keep it")

    def recipients_heading(self) -> str:
        return self.tr("Who receives it")

    def rights_heading(self) -> str:
        return self.tr("Your rights")

    def held_visitor_record(self) -> str:
        return self.tr("A visitor record: when you first and last visited, your language, and the name and "
                   "e-mail address you gave")

    def held_chats(self, chats: int, messages: int) -> str:
        return self.tr("%n chat(s)", "", chats) + " " + self.tr("with %n message(s)", "", messages)

    def held_unsent(self, count: int) -> str:
        return self.tr("%n message(s) an operator wrote that had not reached you yet", "", count)

    def held_consents(self, count: int) -> str:
        return self.tr("%n record(s) of your consent decisions, with the exact notice text each refers to",
                       "", count)

    def held_details(self, count: int) -> str:
        return self.tr("%n request(s) for contact details, and what you sent", "", count)

    def held_page_views(self, count: int) -> str:
        return self.tr("%n page view(s)", "", count)

    def held_insights(self) -> str:
        return self.tr("Your IP address, approximate location and company network (visitor insights)")

    def held_audit(self, count: int) -> str:
        return self.tr("%n record(s) of our staff accessing your data", "", count)

    def held_where(self, desk_included: bool) -> str:
        if desk_included:
            return self.tr("From the chat server and from this computer's encrypted copy of chats.")
        return self.tr("From the chat server. This computer keeps no copy of chats.")

    def since(self, first: str, last: str) -> str:
        return self.tr("We first stored data about you on %1; the most recent is from %2.") \
            .replace("%1", first).replace("%2", last)

    def nothing_since(self) -> str:
        return self.tr("We hold no dated records about you.")

    def kept_transcripts(self, days: float) -> str:
        return self.tr("Chats: deleted %1 after they end.").replace("%1", self._days(days))

    def kept_details(self, days: float) -> str:
        return self.tr("Contact details you sent: deleted after %1.").replace("%1", self._days(days))

    def kept_insights(self, days: float) -> str:
        return self.tr("IP address, location, company network and page views: deleted after %1.") \
            .replace("%1", self._days(days))

    def kept_visitor(self, days: float) -> str:
        return self.tr("The visitor record: deleted %1 after your last visit once no chat is left.") \
            .replace("%1", self._days(days))

    def kept_desk(self, days: float) -> str:
        return self.tr("Copies on our operators' computers: deleted after %1 at the latest, and at once when "
                   "the server deletes the original.").replace("%1", self._days(days))

    def rights(self) -> Sequence[str]:
        return (
            self.tr("Access: you may ask what we hold about you (this report)."),
            self.tr("Rectification: you may have wrong data corrected."),
            self.tr("Erasure: you may have your data deleted."),
            self.tr("Restriction: you may ask us to stop using your data while a question is settled."),
            self.tr("Portability: you may take your data with you (records.json is made for this)."),
            self.tr("Objection: you may object to processing based on our legitimate interests."),
            self.tr("Withdrawal: you may withdraw any consent at any time, in the chat's privacy menu; this "
                "does not affect what was done before."),
        )

    def rights_contact(self, email: str, dpo: str) -> str:
        text = self.tr("To use a right, write to %1.").replace("%1", email)
        if dpo:
            text += " " + self.tr("Our data protection officer: %1.").replace("%1", dpo)
        return text

    def rights_authority(self, authority: str) -> str:
        return self.tr("You may also complain to a supervisory authority, for example %1.") \
            .replace("%1", authority)

    def purpose(self, purpose: str) -> str:
        return {
            "chat": self.tr("Chat"),
            "visitor_insights": self.tr("Visitor insights"),
            "contact_details": self.tr("Contact details"),
            "typing_preview": self.tr("Typing preview"),
        }.get(purpose, purpose)

    def purpose_why(self, purpose: str) -> str:
        return {
            "chat": self.tr("to answer you and follow up on your request."),
            "visitor_insights": self.tr("so that our team can see where you browse from."),
            "contact_details": self.tr("only for the request you chatted about."),
            "typing_preview": self.tr("so that an operator could prepare an answer sooner; never stored."),
        }.get(purpose, "")

    def recipients_default(self, controller: str) -> str:
        return self.tr("The staff of %1 who answer chats. Nobody else.").replace("%1", controller)

    def legal_basis(self, text: str) -> str:
        return self.tr("Legal basis: %1").replace("%1", text)

    # -- the details --------------------------------------------------------------------------------

    def chats_heading(self) -> str:
        return self.tr("Your chats")

    def chat_heading(self, started: str) -> str:
        return self.tr("Chat of %1").replace("%1", started)

    def chat_meta(self, operator: str | None, messages: int, state: str) -> str:
        count = self.tr("%n message(s)", "", messages)
        if not operator:
            return count
        return self.tr("with %1 · %2").replace("%1", operator).replace("%2", count)

    def you(self) -> str:
        return self.tr("You")

    def system(self) -> str:
        return self.tr("Chat system")

    def staff(self) -> str:
        return self.tr("Our staff")

    def unsent_heading(self) -> str:
        return self.tr("Written by an operator, not yet delivered to you:")

    def details_heading(self) -> str:
        return self.tr("Contact details")

    def detail_columns(self) -> Sequence[str]:
        return (self.tr("Asked on"), self.tr("What was asked"), self.tr("Answer"), self.tr("What you sent"))

    def detail_field(self, field: str) -> str:
        return {
            "phone": self.tr("Phone"),
            "postal_address": self.tr("Postal address"),
            "email": self.tr("E-mail address"),
            "company": self.tr("Company"),
            "order_reference": self.tr("Order reference"),
        }.get(field, field)

    def detail_status(self, status: str) -> str:
        return {"pending": self.tr("not answered"), "received": self.tr("sent"),
                "declined": self.tr("declined")}.get(status, status)

    def consents_heading(self) -> str:
        return self.tr("Your consent decisions")

    def consent_columns(self) -> Sequence[str]:
        return (self.tr("When"), self.tr("Purpose"), self.tr("Decision"), self.tr("How"), self.tr("Notice"))

    def consent_decision(self, granted: bool) -> str:
        return self.tr("granted") if granted else self.tr("withdrawn")

    def consent_method(self, method: str) -> str:
        return {
            "prechat_form": self.tr("chat form"),
            "details_prompt": self.tr("when asked for details"),
            "widget_settings": self.tr("privacy menu"),
        }.get(method, method)

    def notice_label(self, title: str, version: int) -> str:
        return self.tr("%1, version %2").replace("%1", title).replace("%2", str(version))

    def page_views_heading(self) -> str:
        return self.tr("Pages you viewed")

    def page_view_columns(self) -> Sequence[str]:
        return (self.tr("When"), self.tr("Title"), self.tr("Address"))

    def insights_heading(self) -> str:
        return self.tr("Where you browsed from")

    def insights_rows(self) -> Sequence[str]:
        return (self.tr("IP address"), self.tr("Location"), self.tr("Company network"), self.tr("Visits"),
                self.tr("First visit"))

    def audit_heading(self) -> str:
        return self.tr("Who accessed your data")

    def audit_intro(self) -> str:
        return self.tr("Every time our staff read your chats, exported or changed your data, it was "
                       "recorded:")

    def audit_columns(self) -> Sequence[str]:
        return (self.tr("When"), self.tr("Who"), self.tr("What"))

    def audit_action(self, action: str) -> str:
        return {
            "transcripts.get": self.tr("read a chat transcript"),
            "subjects.export": self.tr("exported your data"),
            "subject.export_me": self.tr("you downloaded your data"),
            "export": self.tr("exported this computer's copy"),
            "bundle": self.tr("wrote a report like this one"),
            "view_transcript": self.tr("read a chat transcript"),
            "cases.open": self.tr("recorded your request"),
            "cases.link": self.tr("found your data for your request"),
            "cases.extend": self.tr("extended the deadline of your request"),
            "cases.record": self.tr("recorded a step of your request"),
            "cases.close": self.tr("closed your request"),
            "approvals.request": self.tr("asked a second supervisor to approve an action"),
            "approvals.approve": self.tr("approved an action"),
            "approvals.reject": self.tr("rejected an action"),
        }.get(action, action)

    def notices_heading(self) -> str:
        return self.tr("The notices you were shown")

    def notice_hash(self, sha256: str, matches: bool) -> str:
        if matches:
            return self.tr("SHA-256 of this text: %1 (it matches the text below)").replace("%1", sha256)
        return self.tr("SHA-256 as published: %1 (it does NOT match the text below)").replace("%1", sha256)

    def none(self) -> str:
        return self.tr("None.")

    def about_heading(self) -> str:
        return self.tr("About this report")

    def about(self, generated: str, by: str) -> str:
        return self.tr("Made on %1 by %2.").replace("%1", generated).replace("%2", by)

    def about_files(self) -> str:
        return self.tr("It comes with records.json (the same data, machine-readable, described by "
                   "records.schema.json) and manifest.json, which lists the SHA-256 checksum of every file "
                   "so that anyone can check that nothing was changed. Times are this computer's local "
                   "time.")
