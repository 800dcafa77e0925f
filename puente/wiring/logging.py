"""Structured JSON logs with structlog; secrets never reach a log line."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping

import structlog

_SECRET_PATTERNS = (
    (re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}"), "[redacted-token]"),  # a Telegram bot token, bare or in a URL
    (re.compile(r"(mongodb(?:\+srv)?://[^:/@\s]+:)[^@\s]+@"), r"\1[redacted]@"),  # a password in a MongoDB URI
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _drop_uvicorn_colors(_logger, _method, event_dict: dict) -> dict:
    event_dict.pop("color_message", None)  # uvicorn's copy of the message with terminal colour codes
    return event_dict


def _redact_secrets(_logger, _method, event_dict: dict) -> dict:
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = redact(value)
    return event_dict


def console_colors(environment: Mapping[str, str] | None = None) -> bool:
    """Colour codes only for a terminal: NO_COLOR (set, not empty) turns them off, FORCE_COLOR on (`puente run`
    sets one of them for its children, whose output is a pipe to it); otherwise, whether stdout is a terminal."""
    environment = os.environ if environment is None else environment
    if environment.get("NO_COLOR"):
        return False
    if environment.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def configure_logging(service: str, level: str = "INFO", log_format: str = "json") -> None:
    """Route both structlog and the standard library (FastStream, aiokafka, uvicorn) through one JSON renderer."""
    renderer = structlog.processors.JSONRenderer() if log_format == "json" else \
        structlog.dev.ConsoleRenderer(colors=console_colors())
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _drop_uvicorn_colors,
        _redact_secrets,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "pymongo", "httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
