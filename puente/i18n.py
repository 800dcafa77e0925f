"""Every text a person reads, in Spanish (the default) and English, from Project Fluent files in puente/locales/.

Fluent renders a missing variable as its bare name and an unknown message as its id, and reports both only as
errors beside the text. `translate` logs those errors (ids and variable names only, never values) and, in strict
mode (tests), raises them; `translate_checked` always raises them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from fluent.runtime import FluentBundle, FluentResource

from puente.wiring.logging import get_logger

log = get_logger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"

_strict = False


class TranslationError(LookupError):
    """A text could not be rendered whole: an unknown message id or a variable the caller did not pass."""


def set_strict(strict: bool) -> bool:
    """In strict mode `translate` raises TranslationError instead of logging it; returns the previous mode."""
    global _strict
    previous, _strict = _strict, strict
    return previous


def language_or_default(language: str | None) -> str:
    """Telegram reports codes like 'en-US'; anything we do not speak falls back to Spanish."""
    if language:
        primary = language.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


@cache
def _bundle(language: str) -> FluentBundle:
    bundle = FluentBundle([language], use_isolating=False)
    bundle.add_resource(FluentResource((LOCALES_DIR / language / "puente.ftl").read_text(encoding="utf-8")))
    return bundle


def _render(message_id: str, language: str | None, arguments: dict[str, Any]) -> tuple[str, list[Exception]]:
    """The text in the language (falling back to the others for a message it lacks), and Fluent's errors."""
    first = language_or_default(language)
    for candidate in [first] + [other for other in LANGUAGES if other != first]:
        bundle = _bundle(candidate)
        if bundle.has_message(message_id):
            message = bundle.get_message(message_id)
            if message.value is not None:
                text, errors = bundle.format_pattern(message.value, arguments)
                return str(text), list(errors)
    return message_id, [TranslationError(f"unknown message {message_id}")]


def _error(message_id: str, language: str | None, errors: list[Exception]) -> TranslationError:
    details = "; ".join(str(error) for error in errors)
    return TranslationError(f"{message_id} ({language_or_default(language)}): {details}")


def translate_checked(message_id: str, language: str | None = None, **arguments: Any) -> str:
    """The text, or TranslationError if Fluent reported any error (e.g. a variable that was not passed)."""
    text, errors = _render(message_id, language, arguments)
    if errors:
        raise _error(message_id, language, errors)
    return text


def translate(message_id: str, language: str | None = None, **arguments: Any) -> str:
    text, errors = _render(message_id, language, arguments)
    if errors:
        if _strict:
            raise _error(message_id, language, errors)
        log.error("text rendered with errors", message_id=message_id, language=language_or_default(language),
                  errors=[str(error) for error in errors])
    return text


def decimal(value: float, language: str | None = None) -> str:
    """A score with two decimals as the language writes it: 4,33 in Spanish, 4.33 in English."""
    text = f"{value:.2f}"
    return text if language_or_default(language) == "en" else text.replace(".", ",")


def message_ids(language: str) -> set[str]:
    """The ids a language file defines; tests check both languages define the same ones."""
    return set(_parsed(language))


def message_variables(message_id: str, language: str) -> set[str]:
    """The names of the variables ($name) a message uses."""
    from fluent.syntax import Visitor, ast

    names: set[str] = set()

    class Collect(Visitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            names.add(node.id.name)
            self.generic_visit(node)

    Collect().visit(_parsed(language)[message_id])
    return names


@cache
def _parsed(language: str) -> dict[str, Any]:
    from fluent.syntax import FluentParser, ast

    resource = FluentParser().parse((LOCALES_DIR / language / "puente.ftl").read_text(encoding="utf-8"))
    return {entry.id.name: entry for entry in resource.body if isinstance(entry, ast.Message)}


def money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """An amount as the language writes it, with its currency: "1.500,50 EUR" in Spanish, "1,500.50 EUR" in
    English (Babel's number formats)."""
    return f"{format_decimal(amount, format='#,##0.00', locale=language_or_default(language))} {currency}"


def parse_amount(text: str, language: str | None = None) -> Decimal | None:
    """An amount typed in the person's language's way ("1.500,50" in Spanish), or in the other's, or None."""
    typed = text.strip().replace(" ", "")
    first = language_or_default(language)
    for locale in dict.fromkeys([first, *LANGUAGES]):
        try:
            return parse_decimal(typed, locale=locale, strict=True)
        except NumberFormatError:
            continue
    return None
