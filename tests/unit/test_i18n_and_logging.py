"""Spanish and English for every text; structured logs that never carry a secret."""

from __future__ import annotations

import json
import logging

from puente.i18n import language_or_default, message_ids, translate
from puente.wiring.logging import configure_logging, get_logger, redact


def test_both_languages_define_the_same_messages():
    assert message_ids("es") == message_ids("en")
    assert len(message_ids("es")) > 20


def test_spanish_is_the_default_and_telegram_language_codes_are_understood():
    assert language_or_default(None) == "es"
    assert language_or_default("fr") == "es"
    assert language_or_default("en-US") == "en"
    assert translate("cancelled", None) == "Cancelado. No se guardó nada."
    assert translate("cancelled", "en") == "Cancelled. Nothing was saved."


def test_every_message_renders_without_missing_arguments_in_both_languages():
    arguments = dict(name="Ana", city="Bogotá", entity="sed", entities="sed, sds", length=5000, title="T",
                     phase="P", line="L", due="2026-12-01", reason="R")
    for language in ("es", "en"):
        for message_id in message_ids(language):
            text = translate(message_id, language, **arguments)
            assert text and "{" not in text and "$" not in text, (language, message_id, text)


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
