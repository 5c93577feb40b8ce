"""The privacy notices as the law asks them to read, composed from the configuration.

A site configures who it is (``[controller]``: name, address, contact, a data-protection officer where
there is one, the supervisory authority), what each purpose involves (``[purposes.<purpose>.<lang>]``:
what data, why, the legal basis, who receives it) and a title (and optional intro) per notice. How long
each purpose's data is kept is taken from ``[retention]``, so the notice and the purge cannot disagree.
This module writes two layers per notice and language: a short ``summary`` shown first, and the full
``body`` (plain text, what ``sha256`` covers) one click away. English and German.

The server refuses to start when a notice would lack the controller or its contact
(:func:`check_controller`).
"""

from __future__ import annotations

from dataclasses import replace

from operator_desk.domain.model import Purpose
from operator_desk.server.config import ConfigError, Controller, NoticeText, PurposeText, ServerConfig

# Every label of the composed text, per language; a language without a table is written in English.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "who": "Who is responsible",
        "contact": "Contact",
        "dpo": "Data protection officer",
        "data": "What data",
        "why": "Why",
        "basis": "Legal basis",
        "kept": "How long it is kept",
        "recipients": "Who receives it",
        "rights": "Your rights",
        "optional": "optional",
        "required": "needed for the chat",
        "never_stored": "not stored: shown while you type, then gone",
        "day": "1 day",
        "days": "{n} days",
        "hour": "1 hour",
        "hours": "{n} hours",
        "summary.who": "Responsible: {name}, {email}",
        "summary.purpose": "{label} ({need}): kept {kept}.",
        "summary.rights": "You can change each choice, download your data or have it erased at any time "
                          "in the privacy menu of the chat.",
        "rights.text": (
            "You have the right to access the data we hold about you, to have it corrected "
            "(rectification) or erased, to receive it in a portable, machine-readable form "
            "(portability), and to withdraw any consent at any time; a withdrawal does not affect what "
            "was done before it. In the chat window's privacy menu you can change each choice, use "
            "\"Download my data\" (a file and a readable page) and \"Forget me\" (erasure). For "
            "anything else, write to {email}. You also have the right to lodge a complaint with a "
            "supervisory authority{authority}."
        ),
        "authority": ", for example {authority}",
    },
    "de": {
        "who": "Verantwortlicher",
        "contact": "Kontakt",
        "dpo": "Datenschutzbeauftragte(r)",
        "data": "Welche Daten",
        "why": "Wozu",
        "basis": "Rechtsgrundlage",
        "kept": "Speicherdauer",
        "recipients": "Empfänger",
        "rights": "Ihre Rechte",
        "optional": "freiwillig",
        "required": "für den Chat nötig",
        "never_stored": "nicht gespeichert: nur sichtbar, während Sie tippen",
        "day": "1 Tag",
        "days": "{n} Tage",
        "hour": "1 Stunde",
        "hours": "{n} Stunden",
        "summary.who": "Verantwortlich: {name}, {email}",
        "summary.purpose": "{label} ({need}): Speicherdauer {kept}.",
        "summary.rights": "Sie können jede Entscheidung jederzeit im Datenschutzmenü des Chats ändern, Ihre "
                          "Daten herunterladen oder löschen lassen.",
        "rights.text": (
            "Sie haben das Recht auf Auskunft über die Daten, die wir über Sie speichern, auf "
            "Berichtigung, auf Löschung, auf Erhalt der Daten in einem übertragbaren, maschinenlesbaren "
            "Format (Datenübertragbarkeit) und darauf, jede Einwilligung jederzeit zu widerrufen; der "
            "Widerruf berührt nicht, was bis dahin geschah. Im Datenschutzmenü des Chatfensters können "
            "Sie jede Entscheidung ändern, \"Meine Daten herunterladen\" (eine Datei und eine lesbare "
            "Seite) und \"Vergiss mich\" (Löschung) nutzen. Für alles andere schreiben Sie an {email}. "
            "Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren"
            "{authority}."
        ),
        "authority": ", zum Beispiel: {authority}",
    },
}

PURPOSE_LABELS = {
    "en": {Purpose.CHAT: "Chat", Purpose.VISITOR_INSIGHTS: "Visitor insights",
           Purpose.CONTACT_DETAILS: "Contact details", Purpose.TYPING_PREVIEW: "Typing preview"},
    "de": {Purpose.CHAT: "Chat", Purpose.VISITOR_INSIGHTS: "Besucher-Einblicke",
           Purpose.CONTACT_DETAILS: "Kontaktdaten", Purpose.TYPING_PREVIEW: "Tippvorschau"},
}


def check_controller(config: ServerConfig) -> None:
    """Refuse notices that would not name who is responsible and how to reach them."""
    if not config.notices:
        return
    controller = config.controller
    missing = [name for name, value in (("name", controller.name), ("email", controller.email),
                                        ("address", controller.address)) if not value.strip()]
    if missing:
        raise ConfigError(
            "the privacy notices must name the controller: set [controller] "
            + ", ".join(missing) + " in the configuration file (who is responsible for the data and how "
            "to reach them)")
    for text in config.notices:
        for purpose in text.purposes:
            if (purpose, text.language) not in config.purpose_texts:
                raise ConfigError(f"notice {text.notice_id}: describe [purposes.{purpose.value}."
                                  f"{text.language}] (data, why, legal_basis, recipients)")


def compose_notices(config: ServerConfig) -> list[NoticeText]:
    """Every configured notice with its summary and body written out."""
    check_controller(config)
    return [replace(text, summary=summary(config, text), body=body(config, text)) for text in config.notices]


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def duration(days: float, language: str) -> str:
    labels = _labels(language)
    if days < 1:
        hours = max(1, round(days * 24))
        return labels["hour"] if hours == 1 else labels["hours"].format(n=hours)
    whole = round(days)
    return labels["day"] if whole == 1 else labels["days"].format(n=whole)


def kept_for(config: ServerConfig, purpose: Purpose, language: str) -> str:
    retention = config.retention
    days = {
        Purpose.CHAT: retention.transcripts_days,
        Purpose.VISITOR_INSIGHTS: retention.visitor_insights_days,
        Purpose.CONTACT_DETAILS: retention.received_details_days,
    }.get(purpose)
    return _labels(language)["never_stored"] if days is None else duration(days, language)


def _label(purpose: Purpose, language: str) -> str:
    return PURPOSE_LABELS.get(language, PURPOSE_LABELS["en"])[purpose]


def _need(purpose: Purpose, language: str) -> str:
    return _labels(language)["required" if purpose is Purpose.CHAT else "optional"]


def summary(config: ServerConfig, text: NoticeText) -> str:
    labels = _labels(text.language)
    controller = config.controller
    lines = [labels["summary.who"].format(name=controller.name, email=controller.email)]
    for purpose in text.purposes:
        lines.append(labels["summary.purpose"].format(label=_label(purpose, text.language),
                                                      need=_need(purpose, text.language),
                                                      kept=kept_for(config, purpose, text.language)))
    lines.append(labels["summary.rights"])
    return "\n".join(lines)   # one fact a line (the widget keeps the line breaks)


def _controller_block(controller: Controller, labels: dict[str, str]) -> list[str]:
    contact = ", ".join(part for part in (controller.email, controller.phone) if part)
    lines = [labels["who"], f"{controller.name}, {controller.address}", f"{labels['contact']}: {contact}"]
    if controller.dpo_name or controller.dpo_email:
        dpo = ", ".join(part for part in (controller.dpo_name, controller.dpo_email) if part)
        lines.append(f"{labels['dpo']}: {dpo}")
    return lines


def _purpose_block(config: ServerConfig, purpose: Purpose, language: str,
                   labels: dict[str, str]) -> list[str]:
    described: PurposeText = config.purpose_texts[(purpose, language)]
    return [
        f"{_label(purpose, language)} ({_need(purpose, language)})",
        f"{labels['data']}: {described.data}",
        f"{labels['why']}: {described.why}",
        f"{labels['basis']}: {described.legal_basis}",
        f"{labels['kept']}: {kept_for(config, purpose, language)}",
        f"{labels['recipients']}: {described.recipients}",
    ]


def body(config: ServerConfig, text: NoticeText) -> str:
    labels = _labels(text.language)
    controller = config.controller
    blocks: list[list[str]] = []
    if text.intro.strip():
        blocks.append([text.intro.strip()])
    blocks.append(_controller_block(controller, labels))
    for purpose in text.purposes:
        blocks.append(_purpose_block(config, purpose, text.language, labels))
    authority = ""
    if controller.authority:
        named = controller.authority + (f" ({controller.authority_url})" if controller.authority_url else "")
        authority = labels["authority"].format(authority=named)
    blocks.append([labels["rights"],
                   labels["rights.text"].format(email=controller.email, authority=authority)])
    return "\n\n".join("\n".join(block) for block in blocks)
