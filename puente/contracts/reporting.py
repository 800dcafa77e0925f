"""The weekly digest, announced by reporting."""

from __future__ import annotations

import uuid
from typing import Annotated, ClassVar, Literal

from pydantic import StringConstraints

from puente.contracts.common import Payload
from puente.contracts.envelope import Message
from puente.contracts.topic_names import TopicName


class DigestGeneratedPayload(Payload):
    digest_id: uuid.UUID
    iso_week: Annotated[str, StringConstraints(pattern=r"^\d{4}-W\d{2}$")]
    language: Literal["es", "en"] = "es"


class DigestGenerated(Message):
    topics: ClassVar = (TopicName.reporting_events,)
    type: Literal["digest.generated"] = "digest.generated"
    payload: DigestGeneratedPayload

    def aggregate_id(self) -> str:
        return self.payload.iso_week


MESSAGES = (DigestGenerated,)
