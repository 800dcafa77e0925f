"""Spanish and English for every text; structured logs that never carry a secret."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

import pytest

from puente import i18n
from puente.i18n import (
    TranslationError,
    language_or_default,
    message_ids,
    message_variables,
    translate,
    translate_checked,
)
from puente.wiring.logging import configure_logging, get_logger, redact

ROOT = Path(__file__).resolve().parents[2]
CODE_THAT_SPEAKS = ("bot", "services", "puente/reasons.py")  # every module that renders a text a person reads
TRANSLATING_FUNCTIONS = {"translate", "translate_checked", "reply"}


def test_both_languages_define_the_same_messages():
    assert message_ids("es") == message_ids("en")
    assert len(message_ids("es")) > 20


def test_spanish_is_the_default_and_telegram_language_codes_are_understood():
    assert language_or_default(None) == "es"
    assert language_or_default("fr") == "es"
    assert language_or_default("en-US") == "en"
    assert translate("nothing-to-cancel", None) == "No había nada en curso que cancelar."
    assert translate("nothing-to-cancel", "en") == "There was nothing in progress to cancel."


def test_a_missing_variable_or_message_is_an_error_not_a_bare_name():
    with pytest.raises(TranslationError, match="title"):
        translate_checked("propose-sent", "es")
    with pytest.raises(TranslationError, match="no-such-message"):
        translate_checked("no-such-message", "en")
    assert translate_checked("propose-sent", "es", title="Aulas") == (
        "Recibí tu propuesta de intercambio «Aulas». Te aviso cuando quede registrada.")
    previous = i18n.set_strict(True)
    try:
        with pytest.raises(TranslationError):
            translate("propose-title-too-long", "en", length=201)
    finally:
        i18n.set_strict(previous)


def test_outside_strict_mode_a_missing_variable_is_logged_with_ids_only(monkeypatch):
    logged = []
    monkeypatch.setattr(i18n, "log", type("Log", (), {"error": lambda self, event, **fields: logged.append(fields)})())
    monkeypatch.setattr(i18n, "_strict", False)
    assert translate("propose-sent", "en") == 'I received your exchange proposal "title". I will tell you when it is ' \
        "registered."
    assert logged == [{"message_id": "propose-sent", "language": "en", "errors": ["Unknown external: title"]}]


def _sample(name: str) -> object:
    return 4001 if name in {"length", "limit"} else f"<{name}>"


def _calls_in_code() -> list[tuple[str, str, set[str] | None]]:
    """(where, message id or id prefix, keyword names or None if passed as **mapping) for every call in the code
    that renders a text with a message id written in it."""
    found = []
    for folder in CODE_THAT_SPEAKS:
        where_to_look = ROOT / folder
        for path in [where_to_look] if where_to_look.is_file() else sorted(where_to_look.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in TRANSLATING_FUNCTIONS:
                    continue
                keywords = {keyword.arg for keyword in node.keywords}
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for argument in node.args:
                    choices = [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
                    for choice in choices:
                        if isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                            found.append((where, choice.value, None if None in keywords else keywords))
                        elif isinstance(choice, ast.JoinedStr) and isinstance(choice.values[0], ast.Constant):
                            found.append((where, choice.values[0].value + "*", None if None in keywords else keywords))
    return found


def test_every_text_the_code_renders_gets_exactly_the_variables_it_uses():
    calls = _calls_in_code()
    assert len(calls) > 20, calls
    reached = set()
    for language in ("es", "en"):
        ids = message_ids(language)
        for where, message_id, keywords in calls:
            matching = [i for i in ids if i.startswith(message_id[:-1])] if message_id.endswith("*") else [message_id]
            assert matching and set(matching) <= ids, f"{where}: no message {message_id!r} in {language}"
            for each in matching:
                reached.add(each)
                if keywords is None:
                    continue
                assert message_variables(each, language) == keywords, (
                    f"{where}: {each} ({language}) uses {message_variables(each, language)}, the code passes "
                    f"{keywords}")
                translate_checked(each, language, **{name: _sample(name) for name in keywords})
        unreached = {i for i in ids if message_variables(i, language)} - reached
        assert not unreached, f"messages with variables that no call in the code renders: {unreached}"


def test_both_languages_use_the_same_variables_and_render_every_message_whole():
    for message_id in message_ids("es"):
        variables = message_variables(message_id, "es")
        assert message_variables(message_id, "en") == variables, message_id
        for language in ("es", "en"):
            text = translate_checked(message_id, language, **{name: _sample(name) for name in variables})
            assert text.strip() and len(text) <= 4096, (language, message_id)


def test_secrets_are_redacted():
    token = "123456789:AAHk3-abcdefghijklmnopqrstuvwxyz012"
    assert token not in redact(f"POST https://api.telegram.org/bot{token}/sendMessage")
    assert "s3cret" not in redact("mongodb://puente:s3cret@db:27017/?replicaSet=rs0")
    assert "mongodb://puente:[redacted]@db:27017" in redact("mongodb://puente:s3cret@db:27017/?replicaSet=rs0")


def test_logs_are_json_lines_without_secrets(capsys):
    configure_logging("test-service", "INFO", "json")
    token = "123456789:AAHk3-abcdefghijklmnopqrstuvwxyz012"
    get_logger("test").info("calling telegram", url=f"https://api.telegram.org/bot{token}/getMe")
    logging.getLogger("stdlib").warning("plain %s", "message")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0]["event"] == "calling telegram" and lines[0]["service"] == "test-service"
    assert lines[0]["level"] == "info" and "timestamp" in lines[0]
    assert token not in lines[0]["url"]
    assert lines[1]["event"] == "plain message" and lines[1]["level"] == "warning"
