"""The one type for a person's free text: NFC, no control characters, not invisible, trimmed, bounded."""

from __future__ import annotations

import sys
import unicodedata
import uuid

import pytest
from pydantic import ValidationError

from puente.contracts.items import ProposeExchangePayload, ProposePracticePayload
from puente.contracts.text import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    WHITESPACE,
    ZERO_WIDTH,
    TextRefused,
    clean_text,
    person_text,
)

EVERY_CHARACTER = [chr(code) for code in range(sys.maxunicode + 1)]
CONTROLS = [c for c in EVERY_CHARACTER if unicodedata.category(c) == "Cc" and c not in "\n\t\r\x85"]
FORMAT_CHARACTERS = [c for c in EVERY_CHARACTER if unicodedata.category(c) == "Cf"]


def test_the_whitespace_list_is_every_character_python_calls_whitespace():
    assert frozenset(c for c in EVERY_CHARACTER if c.isspace()) == WHITESPACE


@pytest.mark.parametrize("invisible", [
    "\u200b", "\u2060", "\ufeff", "\u200b\u2060\ufeff", "\x00", "\x00\x07\x1b", " \u200b \t\n\u3000\ufeff ",
    "\u200d\u200c", "\u202e", "\u3164\u3164", "\U000e0067\U000e007f", "\r\n\x85",
])
def test_a_text_with_nothing_visible_is_refused_as_empty(invisible):
    assert clean_text(invisible) == ""
    with pytest.raises(TextRefused) as refused:
        person_text(invisible, SHORT_TEXT_MAX)
    assert refused.value.reason == "empty"


def test_no_lone_zero_width_or_format_character_passes():
    for character in sorted(ZERO_WIDTH) + FORMAT_CHARACTERS:
        for text in (character, character * 3, f" {character}\n"):
            with pytest.raises(TextRefused):
                person_text(text, SHORT_TEXT_MAX)


def test_every_control_character_but_line_breaks_and_tabs_is_removed():
    for control in CONTROLS:
        assert person_text(f"a{control}b{control}", SHORT_TEXT_MAX) == "ab", repr(control)
    assert person_text("Aulas\tabiertas\nen la ruralidad", SHORT_TEXT_MAX) == "Aulas\tabiertas\nen la ruralidad"
    assert person_text("uno\r\ndos\rtres\x85cuatro", SHORT_TEXT_MAX) == "uno\ndos\ntres\ncuatro"
    assert person_text("Ciclo\x00vía\x07 dominical\x1b[31m", SHORT_TEXT_MAX) == "Ciclovía dominical[31m"


def test_text_is_nfc_and_trimmed_of_whitespace_and_zero_width_characters():
    decomposed = "Ciclovi\u0301a"
    assert person_text(decomposed, SHORT_TEXT_MAX) == "Ciclovía" == unicodedata.normalize("NFC", decomposed)
    assert person_text("\ufeff\u200b  Aulas abiertas \u2060\n", SHORT_TEXT_MAX) == "Aulas abiertas"


def test_zero_width_characters_inside_a_visible_text_stay():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert person_text(f"Familias {family}", SHORT_TEXT_MAX) == f"Familias {family}"
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert person_text(f"Buenas prácticas {england}", SHORT_TEXT_MAX) == f"Buenas prácticas {england}"
    assert person_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", SHORT_TEXT_MAX).count("\u200c") == 1


@pytest.mark.parametrize("limit", [SHORT_TEXT_MAX, LONG_TEXT_MAX])
def test_the_length_is_checked_after_cleaning(limit):
    assert person_text(" " + "x" * limit + "\x00\u200b\n", limit) == "x" * limit
    assert len(person_text("e\u0301" * limit, limit)) == limit  # NFC: one character each
    with pytest.raises(TextRefused) as refused:
        person_text("x" * (limit + 1), limit)
    assert (refused.value.reason, refused.value.length, refused.value.max_length) == ("too_long", limit + 1, limit)


def test_command_payloads_use_the_type():
    fields = {"entity_id": "sed", "sector": "education"}
    exchange = ProposeExchangePayload(**fields, title="\u200bAulas\x00 abiertas ", need="Reto\x1b rural\r\n")
    assert (exchange.title, exchange.need) == ("Aulas abiertas", "Reto rural")
    practice = ProposePracticePayload(**fields, title="Ciclovi\u0301a", summary="Cierre\x07 dominical", topic=" vías ")
    assert (practice.title, practice.summary, practice.topic) == ("Ciclovía", "Cierre dominical", "vías")
    for title, need in (("\u200b\u2060\ufeff", "Reto"), ("\x00", "Reto"), ("Aulas", "\ufeff"), ("x" * 201, "R")):
        with pytest.raises(ValidationError):
            ProposeExchangePayload(**fields, title=title, need=need)
    with pytest.raises(ValidationError):
        ProposePracticePayload(**fields, title="Ciclovía", summary="\u200d" * 5)
    with pytest.raises(ValidationError):
        ProposeExchangePayload(**fields, title=uuid.uuid4(), need="Reto")
