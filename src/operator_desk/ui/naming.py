"""How people are named on screen: a visitor's name only with chat consent, else a stable pseudonym.

The pseudonym is derived from the visitor id alone (a hash, so it says nothing about the person and is
the same on every operator's screen and after a restart): "Visitor 3F9A".
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QCoreApplication

from operator_desk.domain.model import Visitor


def pseudonym_tag(visitor_id: str) -> str:
    """Four hex digits from the id's SHA-256: short enough to say aloud, stable across sessions."""
    return hashlib.sha256(visitor_id.encode("utf-8")).hexdigest()[:4].upper()


def pseudonym(visitor_id: str) -> str:
    return QCoreApplication.translate("naming", "Visitor %1").replace("%1", pseudonym_tag(visitor_id))


def display_name(visitor: Visitor | None, visitor_id: str = "") -> str:
    """The name the visitor gave (only if ``chat`` consent covers it), else their pseudonym."""
    if visitor is None:
        return pseudonym(visitor_id)
    if visitor.consent.chat and visitor.name and visitor.name.strip():
        return visitor.name.strip()
    return pseudonym(visitor.id)
