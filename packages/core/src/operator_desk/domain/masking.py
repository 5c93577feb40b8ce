"""Card numbers (and what else a site names) masked out of chat text before anyone sees or stores it.

A card number here is 13 to 19 digits, written together or in groups separated by spaces, dashes or
dots (up to three such characters between two groups: "4111 1111 1111 1111", "4111-1111-...",
"4111 - 1111 ..."), that passes the Luhn check (ISO/IEC 7812): what every card network issues. Its digits are
replaced with ``•`` but the last four (what a receipt prints), separators kept, so that an operator
can still say "the card ending 1111" and nobody can use it: ``4111 1111 1111 1111`` becomes
``•••• •••• •••• 1111``.

Where a number is written in groups, only whole groups make a candidate (the number as written is what
the visitor means); a run of digits with no separator is a candidate only as a whole. So a 20-digit
reference without separators is left alone, while a card followed by another group ("4111 1111 1111
1111 22") is still found. About one in ten random digit strings passes Luhn: a 13-19 digit order
number may be masked too. That is the price, paid on the safe side.

Digits are any decimal digits (Unicode category Nd), so the full-width digits of an East Asian input
method are found too.

A site adds patterns of its own (IBANs, customer numbers): each match has every letter and digit
replaced with ``•``. Patterns are plain Python regular expressions from the site's configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MASK = "•"
MIN_DIGITS, MAX_DIGITS = 13, 19
KEEP_LAST = 4

# Digits in groups joined by up to three spaces (of any kind), dots or dashes (of any kind): the widest
# run that could hold a card number.
_SEPARATOR = r"[\s.\-\u2010-\u2015]{1,3}"
_RUN = re.compile(rf"\d+(?:{_SEPARATOR}\d+)*")


def luhn_valid(digits: str) -> bool:
    """The Luhn check of a string of digits (the last one is the check digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)   # any decimal digit: a full-width "４" counts as 4, as the regex matches it
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)   # a digit doubled, its two digits added (Luhn)


def _card_spans(run: str) -> list[tuple[int, int]]:
    """Within one run of digit groups, the (start, end) spans of the card numbers, longest first,
    not overlapping, each a whole number of groups.

    Each window's Luhn sum comes from prefix sums in O(1): a text of many one-digit groups has about
    seven candidate windows per group, and checking each from scratch made a 10,000-character
    message of them cost a second."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", run)]
    digits = [int(char) for char in run if char.isdecimal()]
    # plain[k] / doubled[k]: the Luhn sum of digits[:k] with the even / the odd positions doubled.
    plain, doubled = [0], [0]
    for index, digit in enumerate(digits):
        plain.append(plain[-1] + (digit if index % 2 == 0 else _DOUBLED[digit]))
        doubled.append(doubled[-1] + (_DOUBLED[digit] if index % 2 == 0 else digit))
    # Where each group's digits start in ``digits``.
    offsets = [0]
    for start, end in groups:
        offsets.append(offsets[-1] + end - start)
    found: list[tuple[int, int]] = []
    first = 0
    while first < len(groups):
        best = None
        for last in range(first, len(groups)):
            begin, finish = offsets[first], offsets[last + 1]
            if finish - begin > MAX_DIGITS:
                break
            if finish - begin >= MIN_DIGITS:
                # The check digit (the last) is not doubled, nor every second one before it.
                sums = plain if (finish - 1) % 2 == 0 else doubled
                if (sums[finish] - sums[begin]) % 10 == 0:
                    best = last   # keep looking: the longest valid one wins ("4111 ... 1111 22")
        if best is None:
            first += 1
        else:
            found.append((groups[first][0], groups[best][1]))
            first = best + 1
    return found


def _mask_digits_but_last(text: str, keep: int) -> str:
    digits = sum(char.isdecimal() for char in text)
    out = []
    for char in text:
        if char.isdecimal():
            out.append(char if digits <= keep else MASK)
            digits -= 1
        else:
            out.append(char)
    return "".join(out)


def mask_card_numbers(text: str) -> str:
    """``text`` with every card number in it masked (all digits but the last four)."""
    if sum(char.isdecimal() for char in text) < MIN_DIGITS:   # the usual case: nothing to look at
        return text
    pieces = []
    done = 0
    for run in _RUN.finditer(text):
        for start, end in _card_spans(run.group()):
            start, end = run.start() + start, run.start() + end
            pieces.append(text[done:start])
            pieces.append(_mask_digits_but_last(text[start:end], KEEP_LAST))
            done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_all(match: re.Match[str]) -> str:
    return "".join(MASK if char.isalnum() else char for char in match.group())


@dataclass(frozen=True, slots=True)
class Masker:
    """Card numbers, then the site's own patterns (compiled once, from its configuration)."""

    patterns: Sequence[re.Pattern[str]] = field(default=())

    @classmethod
    def with_patterns(cls, patterns: Iterable[str]) -> Masker:
        """Raises ``re.error`` for a pattern that does not compile (the configuration says which)."""
        return cls(tuple(re.compile(pattern) for pattern in patterns))

    def mask(self, text: str) -> str:
        masked = mask_card_numbers(text)
        for pattern in self.patterns:
            masked = pattern.sub(_mask_all, masked)
        return masked
