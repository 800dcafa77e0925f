"""Every text a person reads, in Spanish (the default) and English, from Project Fluent files in puente/locales/."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentLocalization, FluentResourceLoader

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"


def language_or_default(language: str | None) -> str:
    """Telegram reports codes like 'en-US'; anything we do not speak falls back to Spanish."""
    if language:
        primary = language.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


@cache
def _localization(language: str) -> FluentLocalization:
    fallback_chain = [language] + [other for other in LANGUAGES if other != language]
    return FluentLocalization(fallback_chain, ["puente.ftl"], FluentResourceLoader(str(LOCALES_DIR / "{locale}")))


def translate(message_id: str, language: str | None = None, **arguments: Any) -> str:
    return _localization(language_or_default(language)).format_value(message_id, arguments)


def message_ids(language: str) -> set[str]:
    """The ids a language file defines; tests check both languages define the same ones."""
    from fluent.syntax import FluentParser, ast

    resource = FluentParser().parse((LOCALES_DIR / language / "puente.ftl").read_text(encoding="utf-8"))
    return {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
