"""Free-text requests for personal details, in English and German, and the look-alikes that are not."""

from __future__ import annotations

import pytest

from operator_desk.domain.model import DetailField
from operator_desk.services.detect import DATE_OF_BIRTH, detail_fields_asked_for, personal_data_asked_for

PHONE, ADDRESS, EMAIL = DetailField.PHONE, DetailField.POSTAL_ADDRESS, DetailField.EMAIL
COMPANY, ORDER = DetailField.COMPANY, DetailField.ORDER_REFERENCE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's your phone number?", {PHONE}),
        ("Could you give me a phone number where I can reach you?", {PHONE}),
        ("Can I have your email?", {EMAIL}),
        ("Please send me your e-mail address and your postal address.", {EMAIL, ADDRESS}),
        ("What is your home address?", {ADDRESS}),
        ("Which company are you with? Your company name, please.", {COMPANY}),
        ("Do you have your order number handy?", {ORDER}),
        ("Order number please", {ORDER}),
        ("I need your mobile number and your date of birth.", {PHONE}),
        ("Ihre Telefonnummer, bitte.", {PHONE}),
        ("Wie lautet Ihre Adresse?", {ADDRESS}),
        ("Können Sie mir Ihre E-Mail-Adresse geben?", {EMAIL}),
        ("Wie ist deine Handynummer?", {PHONE}),
        ("Nennen Sie mir bitte Ihre Bestellnummer.", {ORDER}),
        ("Für welche Firma arbeiten Sie? Ihr Arbeitgeber?", {COMPANY}),
        ("Ich bräuchte noch Ihre Anschrift.", {ADDRESS}),
        # Look-alikes: no request for the visitor's details.
        ("I'll call you back in five minutes.", set()),
        ("Our address is on the website.", set()),
        ("We'll email you the invoice.", set()),
        ("Did you get our email?", set()),
        ("Unsere Adresse steht im Impressum.", set()),
        ("Ich rufe Sie gleich zurück.", set()),
        ("Your order has shipped and should arrive on Monday.", set()),
        ("Thanks, that's all I needed!", set()),
        ("Meine Telefonnummer ist 030 123456.", set()),
    ],
)
def test_detail_fields_asked_for(text, expected):
    assert detail_fields_asked_for(text) == frozenset(expected)


@pytest.mark.parametrize(
    "text",
    ["What's your date of birth?", "Geburtsdatum?", "Und Ihr Geburtsdatum?", "Ihr Geburtsdatum bitte",
     "When is your birthday?"],
)
def test_date_of_birth_is_noticed_but_is_no_details_field(text):
    assert DATE_OF_BIRTH in personal_data_asked_for(text)
    assert detail_fields_asked_for(text) == frozenset()


def test_long_text_is_fine():
    assert detail_fields_asked_for("word " * 5000 + "what's your phone number?") == {PHONE}
