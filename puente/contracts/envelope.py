"""The one envelope every Kafka message travels in, commands and events alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

from puente.contracts.text import LongPersonText, ShortPersonText
from puente.contracts.topic_names import TopicName

# Identifiers that may end up as document keys or topic keys: short, no spaces, no '$' or '.'.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
# Free text a person typed, wherever it travels: cleaned and bounded by the one type in text.py.
ShortText = ShortPersonText
LongText = LongPersonText
Language = Annotated[str, StringConstraints(pattern=r"^(es|en)$")]

PUENTE_NAMESPACE = uuid.UUID("6f1c7a0e-4b7e-4b53-9a55-6b1d2c9a7e10")


def derived_id(*parts: object) -> uuid.UUID:
    """A stable UUID derived from other ids, so that handling a message twice yields the same ids."""
    return uuid.uuid5(PUENTE_NAMESPACE, "/".join(str(part) for part in parts))


class ActorRole(StrEnum):
    staff = "staff"
    coordinator = "coordinator"
    evaluator = "evaluator"
    administrator = "administrator"
    system = "system"
    guest = "guest"  # a Telegram account not in the directory (yet): it may only redeem an invitation


class Actor(BaseModel):
    """Who did it: a person (by their chat user id) or a service."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: ActorRole
    id: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
    entity_id: Slug | None = None
    language: Language = "es"


class Message(BaseModel):
    """Envelope fields shared by commands and events. Subclasses fix `type` and `payload`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The topics this message travels on; each topic's message list is derived from these.
    topics: ClassVar[tuple[TopicName, ...]] = ()
    # The version of the payload schema this class describes; it is what this code writes.
    schema_version: ClassVar[int] = 1
    # How this code reads older versions, so old and new replicas can run side by side during a rolling deploy:
    # `upcasters[n]` turns a version-n message (as a JSON document) into a version n+1 one. A version with no way
    # up to `schema_version`, or a newer one, is rejected.
    upcasters: ClassVar[dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}

    event_id: uuid.UUID
    type: str
    version: int = 1
    occurred_at: AwareDatetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    actor: Actor
    city: Slug
    payload: BaseModel

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, data: Any) -> Any:
        """Bring an older version up to this one, one version at a time."""
        if not isinstance(data, dict) or not isinstance(data.get("version"), int):
            return data
        while data["version"] < cls.schema_version and data["version"] in cls.upcasters:
            data = {**cls.upcasters[data["version"]](data), "version": data["version"] + 1}
        return data

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != cls.schema_version:
            raise ValueError(f"unsupported version {value}; this service reads version {cls.schema_version}")
        return value

    def aggregate_id(self) -> str:
        """The Kafka key: every message about one exchange or practice lands on one partition, in order."""
        return str(self.payload.item_id)  # every event payload names its item; commands override this

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def new(
        cls,
        *,
        payload: BaseModel | dict[str, Any],
        actor: Actor,
        city: str,
        caused_by: Message | None = None,
        event_id: uuid.UUID | None = None,
        occurred_at: datetime | None = None,
    ):
        """Build a message; when it is caused by another, it inherits its correlation id."""
        new_id = event_id or uuid.uuid4()
        return cls(
            event_id=new_id,
            type=cls.model_fields["type"].default,
            version=cls.schema_version,
            occurred_at=occurred_at or datetime.now(UTC),
            correlation_id=caused_by.correlation_id if caused_by else new_id,
            causation_id=caused_by.event_id if caused_by else None,
            actor=actor,
            city=city,
            payload=payload,
        )


SYSTEM_ACTOR = Actor(role=ActorRole.system, id="puente")
# The history import (`puente import`): its events tell what happened before Puente, so no one is alerted of them.
IMPORT_ACTOR = Actor(role=ActorRole.system, id="history-import")

# Messages larger than this are refused before they are parsed.
MAX_MESSAGE_BYTES = 256 * 1024
