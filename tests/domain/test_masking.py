"""Card numbers are masked out of chat text: the card networks' published test numbers, written the ways
people write them, and what must be left alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_desk.domain.masking import MASK, Masker, luhn_valid, mask_card_numbers

# Test card numbers the networks and their acquirers publish for integration testing (Visa,
# Mastercard incl. the 2-series, American Express, Discover, Diners Club, JCB, UnionPay incl. 19 digits).
PUBLISHED = {
    "visa": "4111111111111111",
    "visa 2": "4012888888881881",
    "visa 13 digits": "4222222222222",
    "visa 3": "4242424242424242",
    "mastercard": "5555555555554444",
    "mastercard 2": "5105105105105100",
    "mastercard 2-series": "2223003122003222",
    "amex": "378282246310005",
    "amex 2": "371449635398431",
    "amex corporate": "378734493671000",
    "discover": "6011111111111117",
    "discover 2": "6011000990139424",
    "diners 14 digits": "30569309025904",
    "diners 2": "38520000023237",
    "jcb": "3530111333300000",
    "jcb 2": "3566002020360505",
    "unionpay": "6200000000000005",
    "unionpay 19 digits": "6205500000000000004",
}


def groups_of_four(number: str, separator: str = " ") -> str:
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


@pytest.mark.parametrize("number", PUBLISHED.values(), ids=PUBLISHED.keys())
def test_every_published_test_number_is_valid_and_masked_however_it_is_written(number):
    assert luhn_valid(number)
    amex_style = f"{number[:4]} {number[4:10]} {number[10:]}"
    for written in (number, groups_of_four(number), groups_of_four(number, "-"), amex_style,
                    groups_of_four(number, " - "), groups_of_four(number, ".")):
        text = f"Meine Karte: {written}, danke!"
        masked = mask_card_numbers(text)
        assert re.sub(r"\D", "", masked) == number[-4:], (written, masked)
        assert masked.startswith("Meine Karte: ") and masked.endswith(", danke!")
        assert MASK * 4 in masked


def test_the_last_four_digits_and_the_separators_stay():
    assert mask_card_numbers("4111 1111 1111 1111") == "•••• •••• •••• 1111"
    assert mask_card_numbers("3782-822463-10005") == "••••-••••••-•0005"


def test_several_cards_in_one_message_and_a_card_followed_by_another_group():
    text = "visa 4111111111111111 or amex 378282246310005; ref 4111 1111 1111 1111 22"
    assert mask_card_numbers(text) == (
        "visa ••••••••••••1111 or amex •••••••••••0005; ref •••• •••• •••• 1111 22")


def test_full_width_digits_are_found_too():
    assert mask_card_numbers("４１１１１１１１１１１１１１１１") == "••••••••••••１１１１"


@pytest.mark.parametrize("text", [
    "4111111111111112",                       # fails the Luhn check
    "411111111111",                           # 12 digits: too short
    "41111111111111111111",                   # 20 digits in one run: not a card
    "call me on +49 30 1234567 or 0172 5550199",
    "Bestellung 2026-11-29, 3 Zelte à 149,99 €",
    "IBAN DE89 3704 0044 0532 0130 00",       # not a card (a site may add a pattern)
    "",
])
def test_what_is_not_a_card_number_is_left_as_it_is(text):
    assert mask_card_numbers(text) == text


def with_check_digit(body: str) -> str:
    """``body`` and the digit that makes it pass the Luhn check: built, not filtered (a filter keeping
    one number in ten failed Hypothesis's health check on a loaded machine)."""
    return next(body + digit for digit in "0123456789" if luhn_valid(body + digit))


@given(
    number=st.text(alphabet="0123456789", min_size=12, max_size=18).filter(
        lambda body: body[0] != "0").map(with_check_digit),
    group=st.integers(min_value=2, max_value=6),
    separator=st.sampled_from([" ", "-", "  ", " - ", ".", "\u00a0", "–"]),
    before=st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=20),
    after=st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=20),
)
def test_no_card_number_survives_in_any_grouping(number, group, separator, before, after):
    written = separator.join(number[i:i + group] for i in range(0, len(number), group))
    masked = mask_card_numbers(f"{before} {written} {after}")
    assert re.sub(r"\D", "", masked) == number[-4:]


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=200))
def test_text_without_digits_is_never_changed(text):
    assert mask_card_numbers(text) == text


def test_a_site_pattern_masks_every_letter_and_digit_of_a_match():
    masker = Masker.with_patterns([r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"])
    assert masker.mask("IBAN DE89 3704 0044 0532 0130 00 please") == (
        "IBAN •••• •••• •••• •••• •••• •• please")
    assert masker.mask("card 4111 1111 1111 1111") == "card •••• •••• •••• 1111"


def test_a_pattern_that_does_not_compile_is_refused():
    with pytest.raises(re.error):
        Masker.with_patterns(["(unclosed"])
