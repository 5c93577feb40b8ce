"""Where a search's words occur in a text, and a short snippet around the first of them.

The server lists a transcript with a snippet of the message that matched, the desk highlights the same
words in the opened transcript: both find the words the same way here. Plain text in, character offsets
out; nothing is ever turned into markup.
"""

from __future__ import annotations

import re

Span = tuple[int, int]
SNIPPET_CHARS = 120
ELLIPSIS = "…"


def search_words(text: str | None) -> list[str]:
    """The words of a search as typed: split on white space, a trailing ``*`` (a prefix search in the
    desk's cache) dropped, empty words left out."""
    words = []
    for word in (text or "").split():
        core = word.rstrip("*")
        if core:
            words.append(core)
    return words


def find_spans(text: str, words: list[str]) -> list[Span]:
    """Every occurrence of any of the words in ``text``, case-insensitive, as sorted, merged
    ``[start, end)`` offsets."""
    found = sorted(
        match.span()
        for word in set(words)
        for match in re.finditer(re.escape(word), text, re.IGNORECASE)
    )
    spans: list[Span] = []
    for start, end in found:
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS, max_spans: int = 32
            ) -> tuple[str, list[Span]]:
    """At most about ``width`` characters of ``text`` around the first match, with an ellipsis where
    it was cut, and the matches' offsets in the snippet."""
    spans = find_spans(text, words)
    if len(text) <= width:
        return text, spans[:max_spans]
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, len(text) - width))
    end = min(len(text), start + width)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end]
    return prefix + text[start:end] + suffix, inside[:max_spans]
