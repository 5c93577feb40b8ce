"""``report.html``: the records as a person reads them, in the desk's language: a summary first (what is
held, why, since when, how long it is kept, who receives it, the person's rights), then the chats, the
details, the consents with the notices agreed to, and who accessed the data.

The page is self-contained: one file, inline styles, no scripts, images, fonts or links to load, and a
Content-Security-Policy that forbids loading anything should a value ever try. Every value is escaped:
visitor text is plain text. The same HTML is what the PDF is rendered from (Qt's rich text understands
this subset of CSS), so both say the same.

The words come from the UI (``ReportWords``; services have no translations of their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any, Protocol

# Nothing can be loaded from anywhere, whatever the page holds: only the inline style sheet applies.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"

STYLE = """
body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; font-size: 10.5pt; color: #1d2430;
       line-height: 1.45; margin: 0 auto; max-width: 52em; padding: 1.5em 1.2em 3em; }
h1 { font-size: 20pt; margin: 0 0 4pt 0; color: #0b3d5c; }
h2 { font-size: 14pt; color: #0b3d5c; margin: 20pt 0 6pt 0; border-bottom: 1px solid #b9c9d6;
     padding-bottom: 2pt; }
h3 { font-size: 11.5pt; margin: 14pt 0 2pt 0; color: #1d2430; }
p { margin: 3pt 0 5pt 0; }
.lead { color: #4a5866; font-size: 11pt; margin-bottom: 10pt; }
.masthead { background-color: #eaf2f8; border-left: 6px solid #0b6fa4; padding: 10pt 12pt;
            margin-bottom: 8pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt 0; }
/* Padding in px: Qt's rich text (the PDF) ignores it in pt. */
th, td { text-align: left; vertical-align: top; padding: 5px 8px; font-size: 10pt;
         border-bottom: 1px solid #dde5ec; }
th { color: #33414f; font-weight: bold; }
table.facts th { width: 27%; background-color: #f4f7fa; }
.meta { color: #5d6b78; font-size: 9.5pt; margin: 0 0 6pt 0; }
.msg { margin: 5pt 0 4pt 0; padding: 3pt 8pt; border-left: 3px solid #c8d3dc; white-space: pre-wrap; }
.msg.visitor { border-left-color: #0b6fa4; background-color: #f2f8fc; }
.msg.operator { border-left-color: #8a9aa8; }
.msg.system { border-left-color: #d9b44a; color: #5d6b78; font-style: italic; }
.who { font-weight: bold; color: #33414f; }
.time { color: #6b7885; font-size: 9pt; }
.notice { white-space: pre-wrap; background-color: #f7f9fb; border: 1px solid #dde5ec; padding: 6pt 8pt;
          font-size: 9.5pt; }
.hash { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; color: #4a5866; }
.granted { color: #1b6e3a; font-weight: bold; }
.withdrawn { color: #a33a2a; font-weight: bold; }
.empty { color: #6b7885; font-style: italic; }
ul { margin: 2pt 0 4pt 0; padding-left: 16pt; }
li { margin: 1pt 0; }
.footer { color: #5d6b78; font-size: 9pt; margin-top: 24pt; border-top: 1px solid #dde5ec; padding-top: 6pt; }
"""


class ReportWords(Protocol):
    """Every word of the report, in one language (the desk's: the UI translates them)."""

    language: str

    def document_title(self) -> str: ...
    def lead(self, controller: str, as_of: str) -> str: ...
    def intro(self, controller: str) -> str: ...
    def request_line(self, reference: str, received: str) -> str: ...
    def summary_heading(self) -> str: ...
    def what_heading(self) -> str: ...
    def why_heading(self) -> str: ...
    def since_heading(self) -> str: ...
    def kept_heading(self) -> str: ...
    def recipients_heading(self) -> str: ...
    def rights_heading(self) -> str: ...
    def held_visitor_record(self) -> str: ...
    def held_chats(self, chats: int, messages: int) -> str: ...
    def held_unsent(self, count: int) -> str: ...
    def held_consents(self, count: int) -> str: ...
    def held_details(self, count: int) -> str: ...
    def held_page_views(self, count: int) -> str: ...
    def held_insights(self) -> str: ...
    def held_audit(self, count: int) -> str: ...
    def held_where(self, desk_included: bool) -> str: ...
    def since(self, first: str, last: str) -> str: ...
    def nothing_since(self) -> str: ...
    def kept_transcripts(self, days: float) -> str: ...
    def kept_details(self, days: float) -> str: ...
    def kept_insights(self, days: float) -> str: ...
    def kept_visitor(self, days: float) -> str: ...
    def kept_desk(self, days: float) -> str: ...
    def rights(self) -> Sequence[str]: ...
    def rights_contact(self, email: str, dpo: str) -> str: ...
    def rights_authority(self, authority: str) -> str: ...
    def purpose(self, purpose: str) -> str: ...
    def purpose_why(self, purpose: str) -> str: ...
    def recipients_default(self, controller: str) -> str: ...
    def legal_basis(self, text: str) -> str: ...
    def chats_heading(self) -> str: ...
    def chat_heading(self, started: str) -> str: ...
    def chat_meta(self, operator: str | None, messages: int, state: str) -> str: ...
    def you(self) -> str: ...
    def system(self) -> str: ...
    def staff(self) -> str: ...
    def unsent_heading(self) -> str: ...
    def details_heading(self) -> str: ...
    def detail_field(self, field: str) -> str: ...
    def detail_status(self, status: str) -> str: ...
    def detail_columns(self) -> Sequence[str]: ...
    def consents_heading(self) -> str: ...
    def consent_columns(self) -> Sequence[str]: ...
    def consent_decision(self, granted: bool) -> str: ...
    def consent_method(self, method: str) -> str: ...
    def notice_label(self, title: str, version: int) -> str: ...
    def page_views_heading(self) -> str: ...
    def page_view_columns(self) -> Sequence[str]: ...
    def insights_heading(self) -> str: ...
    def insights_rows(self) -> Sequence[str]: ...
    def audit_heading(self) -> str: ...
    def audit_intro(self) -> str: ...
    def audit_columns(self) -> Sequence[str]: ...
    def audit_action(self, action: str) -> str: ...
    def notices_heading(self) -> str: ...
    def notice_hash(self, sha256: str, matches: bool) -> str: ...
    def none(self) -> str: ...
    def about_heading(self) -> str: ...
    def about(self, generated: str, by: str) -> str: ...
    def about_files(self) -> str: ...
    def date(self, timestamp: str | None) -> str: ...
    def day(self, day: str) -> str: ...
    def date_time(self, timestamp: str | None) -> str: ...
    def time(self, timestamp: str | None) -> str: ...


def report_html(records: Mapping[str, Any], words: ReportWords) -> str:
    """The report of ``records`` (``records.build_records``) as one self-contained HTML page."""
    controller = (records.get("controller") or {}).get("name") or records["server"]["name"]
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(words.language)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(words.document_title())}</title><style>{STYLE}</style></head><body>",
        '<div class="masthead">',
        f"<h1>{escape(words.document_title())}</h1>",
        f'<p class="lead">{escape(words.lead(controller, words.date(records["generated_at"])))}</p>',
        "</div>",
    ]
    parts += _summary(records, words, controller)
    parts += _chats(records, words)
    parts += _details(records, words)
    parts += _consents(records, words)
    parts += _page_views(records, words)
    parts += _insights(records, words)
    parts += _audit(records, words)
    parts += _notices(records, words)
    parts += [
        f'<div class="footer"><p><b>{escape(words.about_heading())}</b></p>',
        _p(words.about(words.date_time(records["generated_at"]), records["exported_by"])),
        _p(words.about_files()),
        "</div></body></html>",
    ]
    return "\n".join(parts)


def _p(text: str, css: str = "") -> str:
    return f'<p class="{css}">{escape(text)}</p>' if css else f"<p>{escape(text)}</p>"


def _ul(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


# Qt's rich text (the PDF) takes a table's cell padding and spacing from these attributes, not from CSS.
TABLE = '<table width="100%" cellpadding="5" cellspacing="0"'


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]], raw: bool = False) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell if raw else escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"{TABLE}><tr>{head}</tr>{body}</table>"


def _facts(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table: a heading per row, and its (already escaped) content."""
    body = "".join(f'<tr><th width="27%">{escape(head)}</th><td>{cell}</td></tr>' for head, cell in rows)
    return f'{TABLE} class="facts">{body}</table>'


def _summary(records: Mapping[str, Any], words: ReportWords, controller: str) -> list[str]:
    counts = records["counts"]
    held = [words.held_visitor_record()]
    if counts["chats"]:
        held.append(words.held_chats(counts["chats"], counts["messages"]))
    if counts["unsent_messages"]:
        held.append(words.held_unsent(counts["unsent_messages"]))
    if counts["details"]:
        held.append(words.held_details(counts["details"]))
    held.append(words.held_consents(counts["consents"]))
    if counts["page_views"]:
        held.append(words.held_page_views(counts["page_views"]))
    if records.get("insights"):
        held.append(words.held_insights())
    if counts["audit"]:
        held.append(words.held_audit(counts["audit"]))

    described = {p["purpose"]: p for p in records.get("purposes") or ()}
    used = list(dict.fromkeys(c["purpose"] for c in records["consents"]))
    why = []
    for purpose in used:
        said = described.get(purpose, {})
        why_text = said.get("why") or words.purpose_why(purpose)
        line = f"<li><b>{escape(words.purpose(purpose))}</b>: {escape(why_text)}"
        if said.get("legal_basis"):
            line += f" {escape(words.legal_basis(said['legal_basis']))}"
        why.append(line + "</li>")
    recipients = [f"<li><b>{escape(words.purpose(p))}</b>: {escape(described[p]['recipients'])}</li>"
                  for p in used if p in described and described[p]["recipients"]]

    moments = sorted(filter(None, [records["subject"].get("first_seen"), records["subject"].get("last_seen")]
                            + [c["at"] for c in records["consents"]]
                            + [m["at"] for chat in records["chats"] for m in chat["messages"]]))
    since = (words.since(words.date(moments[0]), words.date(moments[-1])) if moments
             else words.nothing_since())

    kept: list[str] = []
    server = (records.get("retention") or {}).get("server") or {}
    if "transcripts_days" in server:
        kept.append(words.kept_transcripts(server["transcripts_days"]))
    if "received_details_days" in server:
        kept.append(words.kept_details(server["received_details_days"]))
    if "visitor_insights_days" in server:
        kept.append(words.kept_insights(server["visitor_insights_days"]))
    if "visitors_days" in server:
        kept.append(words.kept_visitor(server["visitors_days"]))
    desk = (records.get("retention") or {}).get("desk_cache") or {}
    if "transcripts_days" in desk:
        kept.append(words.kept_desk(desk["transcripts_days"]))

    contact = records.get("controller") or {}
    rights = list(words.rights())
    if contact.get("email"):
        dpo = ", ".join(x for x in (contact.get("dpo_name"), contact.get("dpo_email")) if x)
        rights.append(words.rights_contact(contact["email"], dpo))
    if contact.get("authority"):
        rights.append(words.rights_authority(contact["authority"]))

    case = records.get("case")
    out = [f"<h2>{escape(words.summary_heading())}</h2>", _p(words.intro(controller))]
    if case is not None:
        reference = case.get("reference") or case["id"]
        out.append(_p(words.request_line(reference, words.day(case["received_on"]))))
    rows = [
        (words.what_heading(), _ul(held) + _p(words.held_where(records["desk_cache"]["included"]), "meta")),
        (words.why_heading(), "<ul>" + "".join(why) + "</ul>" if why else _p(words.none(), "empty")),
        (words.since_heading(), _p(since)),
        (words.kept_heading(), _ul(kept) if kept else _p(words.none(), "empty")),
        (words.recipients_heading(), "<ul>" + "".join(recipients) + "</ul>" if recipients
         else _p(words.recipients_default(controller))),
        (words.rights_heading(), _ul(rights)),
    ]
    out.append(_facts(rows))
    return out


def _author(message: Mapping[str, Any], words: ReportWords) -> str:
    if message["author"] == "visitor":
        return words.you()
    if message["author"] == "system":
        return words.system()
    return message.get("author_name") or words.staff()


def _chats(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    out = [f"<h2>{escape(words.chats_heading())}</h2>"]
    if not records["chats"]:
        return [*out, _p(words.none(), "empty")]
    for chat in records["chats"]:
        out.append(f"<h3>{escape(words.chat_heading(words.date_time(chat['started_at'])))}</h3>")
        out.append(_p(words.chat_meta(chat.get("operator"), len(chat["messages"]), chat.get("state") or ""),
                      "meta"))
        for message in chat["messages"]:
            out.append(
                f'<p class="msg {escape(message["author"])}"><span class="time">'
                f'{escape(words.time(message["at"]))}</span> '
                f'<span class="who">{escape(_author(message, words))}</span><br>'
                f'{escape(message["text"])}</p>')
        if chat["unsent_messages"]:
            out.append(_p(words.unsent_heading(), "meta"))
            out += [f'<p class="msg operator"><span class="time">{escape(words.time(u["written_at"]))}</span>'
                    f"<br>{escape(u['text'])}</p>" for u in chat["unsent_messages"]]
    return out


def _details(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    rows = []
    for chat in records["chats"]:
        for detail in chat["details"]:
            values = detail.get("values") or {}
            asked = ", ".join(words.detail_field(f) for f in detail["fields"])
            given = "; ".join(f"{words.detail_field(f)}: {v}" for f, v in values.items()) or "—"
            rows.append((words.date_time(detail["requested_at"]), asked,
                         words.detail_status(detail["status"]), given))
    if not rows:
        return []
    return [f"<h2>{escape(words.details_heading())}</h2>",
            _table(words.detail_columns(), rows)]


def _consents(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    rows = []
    for event in records["consents"]:
        decision = words.consent_decision(event["granted"])
        css = "granted" if event["granted"] else "withdrawn"
        notice = event.get("notice") or {}
        label = words.notice_label(notice.get("title") or event["notice_id"], event["notice_version"])
        rows.append((escape(words.date_time(event["at"])), escape(words.purpose(event["purpose"])),
                     f'<span class="{css}">{escape(decision)}</span>',
                     escape(words.consent_method(event["method"])), escape(label)))
    out = [f"<h2>{escape(words.consents_heading())}</h2>"]
    return [*out, _table(words.consent_columns(), rows, raw=True) if rows else _p(words.none(), "empty")]


def _page_views(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    if not records["page_views"]:
        return []
    rows = [(words.date_time(v["at"]), v.get("title") or "", v["url"]) for v in records["page_views"]]
    return [f"<h2>{escape(words.page_views_heading())}</h2>", _table(words.page_view_columns(), rows)]


def _insights(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    insights = records.get("insights")
    if not insights:
        return []
    place = ", ".join(x for x in (insights.get("city"), insights.get("country")) if x)
    values = (insights.get("ip") or "", place, insights.get("company") or "",
              str(insights.get("visits") or ""), words.date(insights.get("first_seen")))
    rows = [(label, value or "—") for label, value in zip(words.insights_rows(), values, strict=False)]
    return [f"<h2>{escape(words.insights_heading())}</h2>",
            _facts([(label, escape(value)) for label, value in rows])]


def _audit(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    rows = [(words.date_time(e["at"]), e["actor"], words.audit_action(e["action"])) for e in records["audit"]]
    out = [f"<h2>{escape(words.audit_heading())}</h2>", _p(words.audit_intro())]
    return [*out, _table(words.audit_columns(), rows) if rows else _p(words.none(), "empty")]


def _notices(records: Mapping[str, Any], words: ReportWords) -> list[str]:
    seen: dict[tuple[str, int], Mapping[str, Any]] = {}
    for event in records["consents"]:
        notice = event.get("notice")
        if notice:
            seen.setdefault((notice["id"], notice["version"]), notice)
    if not seen:
        return []
    out = [f"<h2>{escape(words.notices_heading())}</h2>"]
    for notice in seen.values():
        out.append(f"<h3>{escape(words.notice_label(notice['title'], notice['version']))}</h3>")
        digest = words.notice_hash(notice["sha256"] or "", notice["sha256_matches"])
        out.append(f'<p class="hash">{escape(digest)}</p>')
        out.append(f'<div class="notice">{escape(notice["body"])}</div>')
    return out
