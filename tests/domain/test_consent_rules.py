"""The consent rules: which purposes a visitor has granted, and what an operator may see."""

from __future__ import annotations

import pytest

from operator_desk.domain.consent import (
    consent_flags,
    granted_purposes,
    may_pass_typing_preview,
    may_receive_details,
    notice_digest,
    redact_by_flags,
    redact_for_operator,
)
from operator_desk.domain.model import (
    ConsentEvent,
    ConsentMethod,
    Insights,
    Location,
    Page,
    Purpose,
    Visitor,
    VisitorState,
)


def event(purpose: Purpose, granted: bool, at: str, n: int = 0, seq: int | None = None) -> ConsentEvent:
    return ConsentEvent(
        id=f"c{n}-{purpose.value}-{at}",
        visitor_id="v1",
        purpose=purpose,
        granted=granted,
        notice_id="prechat",
        notice_version=1,
        method=ConsentMethod.PRECHAT_FORM,
        at=at,
        seq=seq,
    )


T1, T2, T3 = "2026-11-29T10:00:00.000Z", "2026-11-29T10:00:01.000Z", "2026-11-29T10:00:02.000Z"


def full_visitor() -> Visitor:
    return Visitor(
        id="v1",
        state=VisitorState.CHATTING,
        page=Page(url="https://shop.example/boots", title="Boots"),
        pages_viewed=3,
        on_site_since=T1,
        name="Ada Lovelace",
        email="ada@example.org",
        insights=Insights(
            ip="203.0.113.7",
            location=Location(country="Germany", country_code="DE", city="Berlin"),
            company="Example GmbH",
            visits=4,
            first_seen=T1,
        ),
    )


def test_no_events_grant_nothing():
    assert granted_purposes([]) == frozenset()


def test_a_grant_is_granted():
    assert granted_purposes([event(Purpose.CHAT, True, T1)]) == {Purpose.CHAT}


def test_a_later_withdrawal_wins():
    events = [event(Purpose.CHAT, True, T1), event(Purpose.CHAT, False, T2)]
    assert granted_purposes(events) == frozenset()


def test_regranting_after_withdrawal_grants_again():
    events = [
        event(Purpose.VISITOR_INSIGHTS, True, T1),
        event(Purpose.VISITOR_INSIGHTS, False, T2),
        event(Purpose.VISITOR_INSIGHTS, True, T3),
    ]
    assert granted_purposes(events) == {Purpose.VISITOR_INSIGHTS}


def test_the_latest_recorded_wins_whatever_the_clock_said():
    """A clock stepped back between grant and withdrawal stamps the withdrawal earlier: it still wins."""
    events = [event(Purpose.CHAT, True, T2, seq=7), event(Purpose.CHAT, False, T1, seq=8)]
    assert granted_purposes(events) == frozenset()
    assert granted_purposes(list(reversed(events))) == frozenset()  # by seq, whatever the order given


def test_without_seq_the_order_given_is_the_order_recorded():
    events = [event(Purpose.CHAT, True, T2, 1), event(Purpose.CHAT, False, T1, 2)]
    assert granted_purposes(events) == frozenset()
    assert granted_purposes(list(reversed(events))) == {Purpose.CHAT}


def test_purposes_are_independent():
    events = [
        event(Purpose.CHAT, True, T1),
        event(Purpose.VISITOR_INSIGHTS, True, T1),
        event(Purpose.VISITOR_INSIGHTS, False, T2),
        event(Purpose.TYPING_PREVIEW, True, T3),
    ]
    assert granted_purposes(events) == {Purpose.CHAT, Purpose.TYPING_PREVIEW}


def test_without_consent_an_operator_sees_neither_insights_nor_name():
    seen = redact_for_operator(full_visitor(), [])
    assert seen.insights is None
    assert seen.name is None
    assert seen.email is None
    assert seen.consent == consent_flags([])
    # What any web server sees while serving the page stays.
    assert seen.page.url == "https://shop.example/boots"
    assert seen.pages_viewed == 3


def test_chat_consent_unlocks_name_and_email_only():
    seen = redact_for_operator(full_visitor(), [Purpose.CHAT])
    assert (seen.name, seen.email) == ("Ada Lovelace", "ada@example.org")
    assert seen.insights is None
    assert seen.consent.chat and not seen.consent.visitor_insights


def test_insights_consent_unlocks_insights_only():
    seen = redact_for_operator(full_visitor(), [Purpose.VISITOR_INSIGHTS])
    assert seen.insights is not None
    assert seen.insights.company == "Example GmbH"
    assert seen.name is None and seen.email is None


def test_withdrawing_insights_removes_them_again():
    events = [event(Purpose.VISITOR_INSIGHTS, True, T1), event(Purpose.VISITOR_INSIGHTS, False, T2)]
    seen = redact_for_operator(full_visitor(), granted_purposes(events))
    assert seen.insights is None
    assert seen.consent.visitor_insights is False


def test_redact_by_flags_trusts_nothing_beyond_the_flags():
    import msgspec

    # A visitor as a careless server might send it: insights present but consent not recorded.
    careless = msgspec.structs.replace(full_visitor(), consent=consent_flags([Purpose.CHAT]))
    seen = redact_by_flags(careless)
    assert seen.insights is None
    assert seen.name == "Ada Lovelace"


@pytest.mark.parametrize("flags", [frozenset(), frozenset(Purpose), frozenset([Purpose.CHAT]),
                                   frozenset([Purpose.VISITOR_INSIGHTS, Purpose.TYPING_PREVIEW])])
@pytest.mark.parametrize("held", ["everything", "nothing"])
def test_redact_by_flags_is_redact_for_operator_by_the_flags_and_copies_only_to_remove(flags, held):
    import msgspec

    visitor = msgspec.structs.replace(full_visitor(), consent=consent_flags(flags))
    if held == "nothing":
        visitor = msgspec.structs.replace(visitor, name=None, email=None, insights=None)
    seen = redact_by_flags(visitor)
    assert seen == redact_for_operator(visitor, flags)
    # A desk redacts every update it receives: one that holds nothing to remove is not copied.
    assert (seen is visitor) == (seen == visitor)


@pytest.mark.parametrize(
    ("granted", "preview", "details"),
    [
        ([], False, False),
        ([Purpose.TYPING_PREVIEW], True, False),
        ([Purpose.CONTACT_DETAILS], False, True),
    ],
)
def test_typing_preview_and_details_need_their_own_consent(granted, preview, details):
    assert may_pass_typing_preview(granted) is preview
    assert may_receive_details(granted) is details


def test_notice_digest_is_sha256_of_utf8_body():
    import hashlib

    assert notice_digest("a") == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    # UTF-8, not Latin-1: "é" is the two bytes C3 A9.
    assert notice_digest("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()


def test_a_grant_to_a_version_before_the_one_that_asked_again_no_longer_counts():
    import msgspec

    from operator_desk.domain.consent import counts, outdated_purposes

    old = event(Purpose.CHAT, True, T1)
    renewed = msgspec.structs.replace(event(Purpose.CHAT, True, T2, n=1), notice_version=2)
    insights = event(Purpose.VISITOR_INSIGHTS, True, T1)
    counts_from = {"prechat": 2}
    assert not counts(old, counts_from) and counts(renewed, counts_from)
    assert granted_purposes([old, insights], counts_from) == frozenset()
    assert outdated_purposes([old, insights], counts_from) == {Purpose.CHAT, Purpose.VISITOR_INSIGHTS}
    assert granted_purposes([old, renewed, insights], counts_from) == {Purpose.CHAT}
    assert outdated_purposes([old, renewed, insights], counts_from) == {Purpose.VISITOR_INSIGHTS}
    # A withdrawal to an old version still withdraws; without the mapping every version counts.
    assert granted_purposes([renewed, event(Purpose.CHAT, False, T3)], counts_from) == frozenset()
    assert granted_purposes([old, insights]) == {Purpose.CHAT, Purpose.VISITOR_INSIGHTS}


def test_a_stored_row_in_field_order_gives_back_the_event():
    """The server's table and the desk's cache store a consent event as a row in the order of its
    fields, ``granted`` as 0/1 and the enumerations as their text."""
    stored = event(Purpose.VISITOR_INSIGHTS, False, "2026-11-29T10:00:00.123Z", seq=7)
    row = (stored.id, stored.visitor_id, "visitor_insights", 0, "prechat", 1, "prechat_form",
           "2026-11-29T10:00:00.123Z", 7)
    read = ConsentEvent.from_row(row)
    assert read == stored
    assert read.granted is False
    assert read.purpose is Purpose.VISITOR_INSIGHTS
    assert read.method is ConsentMethod.PRECHAT_FORM
