"""The one type for free text a person typed (titles, needs, summaries): what reaches a command or a document.

A text is brought to Unicode NFC; control characters are removed, except line breaks and tabs (a carriage return
becomes a line break); whitespace and zero-width characters are trimmed from both ends; what is left must show at
least one visible character and fit the length limit. Zero-width characters inside a text stay (emoji sequences
and some scripts need them), but they cannot make up the whole text.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, TypeAdapter, ValidationError

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000

KEPT_CONTROLS = frozenset("\n\t")
# Characters that take no space and show nothing by themselves.
ZERO_WIDTH = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers, which render blank
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
    "\ufeff"  # zero-width no-break space (byte order mark)
)
# Every character str.isspace() accepts (a unit test checks the list against the whole of Unicode).
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TRIMMED = "".join(sorted(ZERO_WIDTH | WHITESPACE))


def _removed(character: str) -> bool:
    """Control characters (except line breaks and tabs) and lone surrogates, which cannot be stored as UTF-8."""
    return character not in KEPT_CONTROLS and unicodedata.category(character) in ("Cc", "Cs")


def _invisible(character: str) -> bool:
    return character in ZERO_WIDTH or character in WHITESPACE or unicodedata.category(character) == "Cf"


def clean_text(value: Any) -> Any:
    """The text as it is stored: NFC, without control characters, trimmed; '' if nothing visible is left.

    Anything but a string is returned unchanged, for pydantic to refuse."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n"))
    text = "".join(character for character in text if not _removed(character)).strip(_TRIMMED)
    if all(_invisible(character) for character in text):
        return ""
    return text


def _person_text(max_length: int, min_length: int = 1) -> Any:
    # The text is cleaned first; the constraints then check what is left and publish minLength and maxLength.
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), BeforeValidator(clean_text)]


ShortPersonText = _person_text(SHORT_TEXT_MAX)
"""A title or a topic a person typed."""
LongPersonText = _person_text(LONG_TEXT_MAX)
"""A need, a summary or a note a person typed."""
NOTE_MAX = 1000
NoteText = _person_text(NOTE_MAX)
"""A note or a reason given when an item's course changes: short enough to travel inside a message about it."""
TOPIC_MAX = 60
TopicText = _person_text(TOPIC_MAX, min_length=2)
"""One topic an evaluator knows about, in a person's words."""


class TextRefused(ValueError):
    """Why a person's text cannot be used: `reason` is 'empty' or 'too_long'; `length` is the cleaned length."""

    def __init__(self, reason: str, length: int, max_length: int) -> None:
        super().__init__(f"text refused: {reason} ({length} of at most {max_length} characters)")
        self.reason = reason
        self.length = length
        self.max_length = max_length


_ADAPTERS = {SHORT_TEXT_MAX: TypeAdapter(ShortPersonText), LONG_TEXT_MAX: TypeAdapter(LongPersonText),
             TOPIC_MAX: TypeAdapter(TopicText), NOTE_MAX: TypeAdapter(NoteText)}


def person_text(value: str, max_length: int) -> str:
    """Validate with the same type the commands use; raise TextRefused saying why a text cannot be used."""
    adapter = _ADAPTERS[max_length]
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        kind = error.errors()[0]["type"]
        length = len(clean_text(value))
        raise TextRefused("too_long" if kind.endswith("too_long") else "empty", length, max_length) from None
