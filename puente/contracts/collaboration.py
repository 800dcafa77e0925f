"""Collaboration requests that promoting a practice brings in, and the companions who accompany them: a coordinator
registers a request, phases assigns it to one of the practice's companions with free capacity (or alerts the
coordinators and keeps it waiting), and the request is closed with an outcome. Each practice's entity names its
companions; the city file sets how many open requests one companion holds."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from puente.contracts.common import CountryCode, Payload
from puente.contracts.envelope import LongText, Message, ShortText
from puente.contracts.phases import ItemCommand
from puente.contracts.topic_names import TopicName

MAX_COMPANIONS = 10


class RequestKind(StrEnum):
    information = "information"
    visit = "visit"
    technical_assistance = "technical_assistance"
    transfer = "transfer"


class RequestOutcome(StrEnum):
    information_shared = "information_shared"
    visit_hosted = "visit_hosted"
    assistance_given = "assistance_given"
    transfer_agreed = "transfer_agreed"
    declined = "declined"


# --- commands, from the bot to phases -------------------------------------------------------------------------


class NameCompanionsPayload(Payload):
    item_id: uuid.UUID
    companion_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_COMPANIONS)

    @field_validator("companion_ids")
    @classmethod
    def _each_once(cls, companion_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(companion_ids) != len(set(companion_ids)):
            raise ValueError("each companion once")
        return companion_ids


class NameCompanions(ItemCommand):
    """The practice's entity (or a coordinator) names the people who accompany its collaboration requests."""

    type: Literal["name_companions"] = "name_companions"
    payload: NameCompanionsPayload


class RequestCollaborationPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    requester: ShortText = Field(description="Who asks: a city, an organisation, a person's office.")
    city: ShortText
    country: CountryCode
    kind: RequestKind
    description: LongText


class RequestCollaboration(ItemCommand):
    """A coordinator registers a request about a practice."""

    type: Literal["request_collaboration"] = "request_collaboration"
    payload: RequestCollaborationPayload


class AssignCollaborationPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    companion_id: uuid.UUID


class AssignCollaboration(ItemCommand):
    """A coordinator gives a request to a companion of its practice (within the companion's capacity)."""

    type: Literal["assign_collaboration"] = "assign_collaboration"
    payload: AssignCollaborationPayload


class CloseCollaborationPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    outcome: RequestOutcome


class CloseCollaboration(ItemCommand):
    """A coordinator or the request's companion closes it with its outcome."""

    type: Literal["close_collaboration"] = "close_collaboration"
    payload: CloseCollaborationPayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class CompanionsNamedPayload(Payload):
    item_id: uuid.UUID
    companion_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_COMPANIONS)


class CompanionsNamed(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["companions.named"] = "companions.named"
    payload: CompanionsNamedPayload


class CollaborationRequestedPayload(RequestCollaborationPayload):
    pass


class CollaborationRequested(Message):
    """Another city or organisation asked about a practice: an international opportunity for teaching."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.requested"] = "collaboration.requested"
    payload: CollaborationRequestedPayload


class CollaborationAssignedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    companion_id: uuid.UUID
    previous_companion_id: uuid.UUID | None = None
    open_requests: int = Field(ge=1, description="The companion's open requests, this one included.")


class CollaborationAssigned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.assigned"] = "collaboration.assigned"
    payload: CollaborationAssignedPayload


class CollaborationCapacityExhaustedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    companions: int = Field(ge=0, description="The practice's companions, all at capacity.")
    waiting: int = Field(ge=1, description="Requests waiting for a companion, this one included.")


class CollaborationCapacityExhausted(Message):
    """No companion of the practice has capacity: the request waits in the queue, and the coordinators hear it."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.capacity_exhausted"] = "collaboration.capacity_exhausted"
    payload: CollaborationCapacityExhaustedPayload


class CollaborationClosedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    outcome: RequestOutcome
    companion_id: uuid.UUID | None = None


class CollaborationClosed(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["collaboration.closed"] = "collaboration.closed"
    payload: CollaborationClosedPayload


MESSAGES = (NameCompanions, RequestCollaboration, AssignCollaboration, CloseCollaboration, CompanionsNamed,
            CollaborationRequested, CollaborationAssigned, CollaborationCapacityExhausted, CollaborationClosed)
