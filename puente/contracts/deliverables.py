"""Deliverables: what a phase asks for, typed (text, number, date, choice, link or document), and the one check of a
value that the bot makes before sending it and phases makes again before keeping it.

Documents are uploaded from chat; the bot keeps their bytes in MongoDB (GridFS) and a deliverable names them by
their id, size, SHA-256 and media type. Only office and image formats are accepted, checked by content."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from puente.contracts.common import Payload
from puente.contracts.envelope import ShortText, Slug

MAX_DELIVERABLES = 10
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download (getFile)
MAX_VALUE_LENGTH = 1000


class DeliverableType(StrEnum):
    text = "text"
    number = "number"
    date = "date"
    choice = "choice"
    link = "link"
    document = "document"


# What a document may be, by extension, and the media type its content must show.
ACCEPTED_DOCUMENTS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
MediaType = Literal[tuple(ACCEPTED_DOCUMENTS.values())]  # type: ignore[valid-type]


class DocumentRef(Payload):
    """A document kept in the bot's GridFS: enough to find it, and to know it is the same bytes."""

    file_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]
    name: ShortText
    size: int = Field(ge=1, le=MAX_DOCUMENT_BYTES)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    media_type: MediaType


class DeliverableRule(BaseModel):
    """A deliverable as phases checks it (names and texts stay in the city file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Slug
    type: DeliverableType
    required: bool = True
    choices: list[str] = Field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    future: bool = False


class InvalidDeliverable(ValueError):
    """Why a value cannot be kept: `reason` names a text the person reads (invalid-number, …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def checked_value(rule: DeliverableRule, value: str | None, document: DocumentRef | None, today: date) -> str | None:
    """The value as it is kept (a number in plain digits, a date in ISO form), or InvalidDeliverable."""
    if rule.type is DeliverableType.document:
        if document is None or value is not None:
            raise InvalidDeliverable("invalid-document")
        return None
    if document is not None or value is None or not value.strip():
        raise InvalidDeliverable(f"invalid-{rule.type.value}")
    value = value.strip()
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidDeliverable("invalid-too-long")
    if rule.type is DeliverableType.number:
        return _number(rule, value)
    if rule.type is DeliverableType.date:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InvalidDeliverable("invalid-date") from None
        if rule.future and day < today:
            raise InvalidDeliverable("invalid-past-date")
        return day.isoformat()
    if rule.type is DeliverableType.choice:
        if value not in rule.choices:
            raise InvalidDeliverable("invalid-choice")
        return value
    if rule.type is DeliverableType.link:
        if not LINK.match(value) or len(value) > 500:
            raise InvalidDeliverable("invalid-link")
        return value
    return value


def _number(rule: DeliverableRule, value: str) -> str:
    try:
        number = float(value.replace(" ", "").replace(",", "."))
    except ValueError:
        raise InvalidDeliverable("invalid-number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidDeliverable("invalid-number")
    if (rule.minimum is not None and number < rule.minimum) or (rule.maximum is not None and number > rule.maximum):
        raise InvalidDeliverable("invalid-out-of-range")
    return str(int(number)) if number.is_integer() else str(number)
