"""Does an operator's free-text message ask the visitor for personal details?

When it does, the composer suggests a details request instead (with the privacy notice the visitor
must see) before the message goes out. English and German.

Conservative on purpose: a suggestion that pops up for "I'll call you back" or "our address is on the
website" teaches operators to ignore it. A detail noun counts only when the message asks for the
*visitor's* detail: a possessive ("your", "Ihre", "deine") shortly before it, a request verb ("send
me", "please provide", "geben Sie", "ich brauche") shortly before it, a "please"/"bitte" right next to
it, or a short question that is little more than the noun ("Geburtsdatum?").
"""

from __future__ import annotations

import re

from operator_desk.domain.model import DetailField

DATE_OF_BIRTH = "date_of_birth"  # asked for, but not a protocol v1 details field: warn only

_NOUNS: dict[str, str] = {
    DetailField.PHONE.value: r"""
        (?:tele)?phone(?:\s*(?:number|no\.?|\#))? | mobile(?:\s*(?:phone|number))?
        | cell(?:\s*(?:phone|number))? | contact\s+number
        | (?:tele(?:fon|phon)|(?-i:H)andy|mobil|ruf|kontakt)(?:-?nummer)? | festnetz(?:nummer)?
    """,
    DetailField.POSTAL_ADDRESS.value: r"""
        (?<![-\w])(?:(?:postal|home|mailing|street|delivery|shipping|billing|post)\s+)?address(?:es)?
        | (?<![-\w])(?:post|liefer|rechnungs|wohn)?(?:adresse|anschrift)
    """,
    DetailField.EMAIL.value: r"""
        e-?\s?mail(?:[-\s]?(?:address|adresse))? | mail[-\s]?(?:address|adresse)
    """,
    DetailField.COMPANY.value: r"""
        company(?:\s+name)? | employer | organi[sz]ation | business\s+name
        | firma | firmen-?name | unternehmen | arbeitgeber
    """,
    DetailField.ORDER_REFERENCE.value: r"""
        order\s*(?:number|no\.?|\#|id|reference|ref\.?) | (?:order|booking|reference)\s+(?:code|number)
        | bestell-?(?:nummer|nr\.?) | auftrags-?(?:nummer|nr\.?) | vorgangsnummer | buchungsnummer
    """,
    DATE_OF_BIRTH: r"""
        date\s+of\s+birth | birth\s?date | birthday | \bdob\b | geburts-?datum | geburtstag
    """,
}

_POSSESSIVE = r"(?:your|ihre[nrms]?|ihr|deine[nrms]?|dein)"
_REQUEST = r"""(?:
    send | give | tell | share | provide | enter | type | confirm | need | have | get | know | ask\s+for
    | geben | nennen | schicken | senden | mitteilen | teilen | brauche[n]? | benötige[n]? | bräuchte[n]?
    | lautet | verraten | angeben
)"""
_FILLER = r"(?:[\w'’.-]+\s+){0,4}?"  # a few words between the cue and the noun

_compiled = {
    name: re.compile(
        rf"""
        (?: \b{_POSSESSIVE}\s+{_FILLER}(?:{nouns})
          | \b{_REQUEST}\b\s+{_FILLER}(?:{nouns})
          | (?:{nouns})\s*,?\s*(?:please|bitte)\b
          | \b(?:please|bitte)\s+(?:{nouns})
        )
        """,
        re.IGNORECASE | re.VERBOSE,
    )
    for name, nouns in _NOUNS.items()
}
_noun_only = {name: re.compile(nouns, re.IGNORECASE | re.VERBOSE) for name, nouns in _NOUNS.items()}
_bare_question = {
    name: re.compile(rf"^\W*(?:(?:and|und|und\s+ihr|and\s+the)\s+)?(?:{nouns})\W*\?\s*$",
                     re.IGNORECASE | re.VERBOSE)
    for name, nouns in _NOUNS.items()
}
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")
# Statements about our own details, not a question about theirs: "our address", "unsere Adresse".
_OURS = re.compile(r"\b(?:our|my|unsere[nrms]?|meine[nrms]?)\s+(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)


def personal_data_asked_for(text: str) -> frozenset[str]:
    """Every kind of personal detail ``text`` asks for: ``DetailField`` values plus ``date_of_birth``."""
    found: set[str] = set()
    for sentence in _SENTENCES.findall(text):
        for name, pattern in _compiled.items():
            for match in pattern.finditer(sentence):
                nouns = list(_noun_only[name].finditer(sentence, match.start(), match.end()))
                noun_start = nouns[-1].start() if nouns else match.start()
                if not _OURS.search(sentence[:noun_start]):
                    found.add(name)
                    break
            if name not in found and _bare_question[name].match(sentence):
                found.add(name)
    return frozenset(found)


def detail_fields_asked_for(text: str) -> frozenset[DetailField]:
    """The protocol details fields ``text`` asks the visitor for (date of birth has none: see
    :func:`personal_data_asked_for`)."""
    return frozenset(DetailField(name) for name in personal_data_asked_for(text) if name != DATE_OF_BIRTH)
