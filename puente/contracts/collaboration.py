"""Collaboration requests that promoting a practice brings in, and who accompanies each."""

from __future__ import annotations

import uuid
from typing import Annotated, ClassVar, Literal

from pydantic import StringConstraints

from puente.contracts.common import CountryCode, Payload
from puente.contracts.envelope import LongText, Message, ShortText
from puente.contracts.topic_names import TopicName


class CollaborationRequestedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    requester: ShortText
    country: CountryCode | None = None
    description: LongText


class CollaborationRequested(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.requested"] = "collaboration.requested"
    payload: CollaborationRequestedPayload


class CollaborationAssignedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    companion_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CollaborationAssigned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.assigned"] = "collaboration.assigned"
    payload: CollaborationAssignedPayload


MESSAGES = (CollaborationRequested, CollaborationAssigned)
