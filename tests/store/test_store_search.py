"""Full-text search: newest first, filters, pages that neither skip nor repeat, snippets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import NOW, BlockingStore, make_chat, make_message


@pytest.fixture
def filled(db: BlockingStore) -> BlockingStore:
    db.upsert_chats(
        [
            make_chat("c1", visitor_id="v1", operator_id="op1"),
            make_chat("c2", visitor_id="v2", operator_id="op2"),
        ]
    )
    db.upsert_messages(
        [make_message(f"c1-{i}", f"parcel number {i} is late", chat_id="c1", hours=-i) for i in range(30)]
        + [
            make_message(f"c2-{i}", f"parcel {i} arrived", chat_id="c2", hours=-i, minutes=-30)
            for i in range(5)
        ]
        + [make_message("rare", "the zeppelin tracking page is broken", chat_id="c2", days=-3)]
    )
    return db


def test_search_is_newest_first(filled: BlockingStore) -> None:
    page = filled.search("parcel", limit=5)
    ats = [hit.message.at for hit in page.hits]
    assert ats == sorted(ats, reverse=True)
    assert [hit.message.id for hit in page.hits] == ["c1-0", "c2-0", "c1-1", "c2-1", "c1-2"]


def test_pages_cover_every_hit_once(filled: BlockingStore) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = filled.search("parcel", limit=7, cursor=cursor)
        seen.extend(hit.message.id for hit in page.hits)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 35 == len(set(seen))


def test_filters_by_operator_visitor_and_dates(filled: BlockingStore) -> None:
    assert {h.message.chat_id for h in filled.search("parcel", operator_id="op2", limit=50).hits} == {"c2"}
    assert {h.message.chat_id for h in filled.search("parcel", visitor_id="v1", limit=50).hits} == {"c1"}
    window = filled.search("parcel", since="2026-11-29T05:00:00.000Z", until=NOW, limit=50)
    assert {h.message.id for h in window.hits} == {f"c1-{i}" for i in range(1, 6)} | {
        f"c2-{i}" for i in range(0, 5)
    }


def test_all_words_must_match_and_rare_words_are_found(filled: BlockingStore) -> None:
    assert [h.message.id for h in filled.search("zeppelin").hits] == ["rare"]
    assert [h.message.id for h in filled.search("parcel 7").hits] == ["c1-7"]
    assert filled.search("zeppelin parcel").hits == ()
    assert [h.message.id for h in filled.search("zepp*").hits] == ["rare"]


def test_query_syntax_in_user_input_is_taken_literally(filled: BlockingStore) -> None:
    for text in ['"', "NEAR(parcel", "parcel OR", "-late", "text:parcel", "*", "'; DROP TABLE messages"]:
        filled.search(text)  # no syntax error escapes
    assert filled.search("NEAR").hits == ()
    assert len(filled.search("parcel", limit=50).hits) == 35


def test_snippet_highlights_the_matched_word(filled: BlockingStore) -> None:
    hit = filled.search("zeppelin").hits[0]
    assert [hit.snippet[start:end] for start, end in hit.highlights] == ["zeppelin"]
    assert "\ue000" not in hit.snippet


def test_no_words_lists_messages_with_the_filters(filled: BlockingStore) -> None:
    page = filled.search("", visitor_id="v2", limit=3)
    assert [h.message.id for h in page.hits] == ["c2-0", "c2-1", "c2-2"]
    assert page.next_cursor is not None


def test_a_bad_cursor_is_refused(filled: BlockingStore) -> None:
    with pytest.raises(ValueError, match="cursor"):
        filled.search("parcel", cursor="not-a-cursor")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_user_text_searches_without_a_syntax_error(filled: BlockingStore, text: str) -> None:
    page = filled.search(text, limit=5)
    assert len(page.hits) <= 5
