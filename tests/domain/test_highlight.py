"""Finding a search's words in a text, and snippets around them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from operator_desk.domain.highlight import find_spans, search_words, snippet


def test_words_are_split_and_prefix_stars_dropped() -> None:
    assert search_words("  refund* tent  * ") == ["refund", "tent"]
    assert search_words(None) == []


def test_every_occurrence_is_found_case_insensitively_and_overlaps_merge() -> None:
    text = "Tent tents; the TENT-pole. Attention!"
    # Substrings, as the server's search matches them: "Attention" holds one too.
    assert [text[s:e] for s, e in find_spans(text, ["tent"])] == ["Tent", "tent", "TENT", "tent"]
    assert find_spans("abcd", ["abc", "bcd"]) == [(0, 4)]
    assert find_spans("anything", []) == []


def test_markup_is_just_text() -> None:
    text = "<b>refund</b> (.*) please"
    spans = find_spans(text, ["(.*)", "<b>"])
    assert [text[s:e] for s, e in spans] == ["<b>", "(.*)"]


def test_a_snippet_is_cut_around_the_first_match_and_its_spans_point_at_the_words() -> None:
    text = "x" * 300 + " the refund was late " + "y" * 300
    short, spans = snippet(text, ["refund"], width=60)
    assert short.startswith("…") and short.endswith("…") and len(short) <= 62
    assert [short[s:e] for s, e in spans] == ["refund"]


@given(st.text(max_size=400), st.text(alphabet="abcAB", min_size=1, max_size=3))
def test_snippet_spans_are_ordered_inside_it_and_are_the_word(text: str, word: str) -> None:
    short, spans = snippet(text, [word], width=80)
    assert spans == sorted(spans)
    for start, end in spans:
        assert 0 <= start < end <= len(short)
        found = short[start:end].lower()
        # A merged run of overlapping matches, or a match cut at the snippet's edge.
        assert word.lower() in found or found in word.lower() or found.startswith(word.lower()[:1])
