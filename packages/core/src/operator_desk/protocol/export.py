"""The pages of ``subjects.export`` put back together (docs/protocol.md §7). Pure: the desk and the
server's tests use the same rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Lists of the export that pages continue; in each chat, its own lists.
LISTS = ("page_views", "consents", "chats", "audit")
CHAT_LISTS = ("messages", "details")


def merge_export_pages(pages: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One export from its pages, in order: the first page's fields; every later page's lists appended
    to the same lists; a chat whose ``id`` is already there continues it (its ``messages`` and
    ``details`` appended), and the fields of a chat come from its first entry with them."""
    merged: dict[str, Any] = {}
    chats: dict[str, dict[str, Any]] = {}
    for page in pages:
        for key, value in page.items():
            if key == "chats":
                for chat in value:
                    _merge_chat(merged.setdefault("chats", []), chats, chat)
            elif key in LISTS:
                merged.setdefault(key, []).extend(value)
            else:
                merged.setdefault(key, value)
    return merged


def _merge_chat(into: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], chat: dict[str, Any]) -> None:
    known = by_id.get(chat["id"])
    if known is None:
        known = by_id[chat["id"]] = {**chat, **{name: list(chat.get(name, ())) for name in CHAT_LISTS}}
        into.append(known)
        return
    for key, value in chat.items():
        if key in CHAT_LISTS:
            known[key].extend(value)
        else:
            known.setdefault(key, value)
