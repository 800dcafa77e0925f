"""Turning bytes from Kafka into a typed message, or a clear reason why not."""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from puente.contracts.envelope import MAX_MESSAGE_BYTES, Message


class InvalidMessage(ValueError):
    """The message cannot be read as any message this consumer accepts. It goes to the dead-letter topic."""


def one_of(accepted: tuple[type[Message], ...]) -> Any:
    """The type "any of these messages", told apart by their `type` field (for pydantic and the AsyncAPI schema)."""
    if len(accepted) == 1:
        return accepted[0]
    return Annotated[Union[accepted], Field(discriminator="type")]  # noqa: UP007


@cache
def _adapter(accepted: tuple[type[Message], ...]) -> TypeAdapter:
    return TypeAdapter(one_of(accepted))


def parse_message(raw: bytes, accepted: tuple[type[Message], ...]) -> Message:
    """Validate raw bytes against the accepted message classes; raise InvalidMessage with a readable reason."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise InvalidMessage(f"message of {len(raw)} bytes exceeds the limit of {MAX_MESSAGE_BYTES}")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidMessage(f"not JSON: {error}") from error
    if not isinstance(document, dict):
        raise InvalidMessage("not a JSON object")
    known_types = {cls.model_fields["type"].default for cls in accepted}
    if document.get("type") not in known_types:
        raise InvalidMessage(f"unknown message type {document.get('type')!r}; expected one of {sorted(known_types)}")
    try:
        return _adapter(accepted).validate_python(document)
    except ValidationError as error:
        raise InvalidMessage(describe_validation_error(error)) from error


def describe_validation_error(error: ValidationError) -> str:
    problems = []
    for detail in error.errors(include_url=False)[:10]:
        location = ".".join(str(part) for part in detail["loc"])
        problems.append(f"{location}: {detail['msg']}")
    return "invalid message: " + "; ".join(problems)
