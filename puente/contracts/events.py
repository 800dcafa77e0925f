"""Facts the services announce, named in the past tense. Each class fixes the envelope's `type` and payload."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from puente.contracts.envelope import LongText, Message, ShortText, Slug


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(StrEnum):
    """The program's two lines of action."""

    aprende = "aprende"  # the city learns from an international practice through a knowledge exchange
    ensena = "ensena"  # the city systematizes and promotes one of its own practices


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


# --- items: exchanges (Aprende) and practices (Enseña) -------------------------------------------------------


class ExchangeProposedPayload(Payload):
    item_id: uuid.UUID
    entity_id: Slug
    sector: Slug
    title: ShortText
    need: LongText = Field(description="The institutional challenge the entity wants to learn about.")
    topic: ShortText | None = None
    countries_of_interest: list[CountryCode] = Field(default_factory=list, max_length=20)


class ExchangeProposed(Message):
    type: Literal["exchange.proposed"] = "exchange.proposed"
    payload: ExchangeProposedPayload


class PracticeProposedPayload(Payload):
    item_id: uuid.UUID
    entity_id: Slug
    sector: Slug
    title: ShortText
    summary: LongText = Field(description="What the practice does and why it is worth sharing.")
    topic: ShortText | None = None


class PracticeProposed(Message):
    type: Literal["practice.proposed"] = "practice.proposed"
    payload: PracticeProposedPayload


class ItemChanges(Payload):
    """Fields staff may change on a proposal at any phase; the history keeps the earlier values."""

    title: ShortText | None = None
    need: LongText | None = None
    summary: LongText | None = None
    topic: ShortText | None = None


class ItemUpdatedPayload(Payload):
    item_id: uuid.UUID
    line: Line
    revision: int = Field(ge=1)
    changes: ItemChanges


class ItemUpdated(Message):
    type: Literal["item.updated"] = "item.updated"
    payload: ItemUpdatedPayload


# --- phases ---------------------------------------------------------------------------------------------


class PhasePayload(Payload):
    item_id: uuid.UUID
    line: Line
    phase_number: int = Field(ge=1, le=12)
    phase_key: Slug
    due_on: date | None = None


class PhaseStarted(Message):
    type: Literal["phase.started"] = "phase.started"
    payload: PhasePayload


class PhaseCompleted(Message):
    type: Literal["phase.completed"] = "phase.completed"
    payload: PhasePayload


class PhaseOverduePayload(PhasePayload):
    days_overdue: int = Field(ge=1)


class PhaseOverdue(Message):
    type: Literal["phase.overdue"] = "phase.overdue"
    payload: PhaseOverduePayload


# --- action-plan commitments ------------------------------------------------------------------------------


class CommitmentStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


class CommitmentDuePayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    owner_entity_id: Slug
    action: ShortText
    due_on: date


class CommitmentDue(Message):
    type: Literal["commitment.due"] = "commitment.due"
    payload: CommitmentDuePayload


class CommitmentOverduePayload(CommitmentDuePayload):
    days_overdue: int = Field(ge=1)


class CommitmentOverdue(Message):
    type: Literal["commitment.overdue"] = "commitment.overdue"
    payload: CommitmentOverduePayload


class CommitmentUpdatedPayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    status: CommitmentStatus
    progress_percent: int = Field(ge=0, le=100)
    note: LongText | None = None


class CommitmentUpdated(Message):
    type: Literal["commitment.updated"] = "commitment.updated"
    payload: CommitmentUpdatedPayload


# --- collaboration requests that promotion of a practice generates ----------------------------------------


class CollaborationRequestedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    requester: ShortText
    country: CountryCode | None = None
    description: LongText


class CollaborationRequested(Message):
    type: Literal["collaboration.requested"] = "collaboration.requested"
    payload: CollaborationRequestedPayload


class CollaborationAssignedPayload(Payload):
    item_id: uuid.UUID
    request_id: uuid.UUID
    companion_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CollaborationAssigned(Message):
    type: Literal["collaboration.assigned"] = "collaboration.assigned"
    payload: CollaborationAssignedPayload


# --- surveys --------------------------------------------------------------------------------------------


class SurveyMoment(StrEnum):
    after_exchange = "after_exchange"
    closure = "closure"


class SurveyRequestedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    moment: SurveyMoment
    participant_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(max_length=2000)


class SurveyRequested(Message):
    type: Literal["survey.requested"] = "survey.requested"
    payload: SurveyRequestedPayload


class SurveySubmittedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    respondent_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    scores: dict[Slug, Annotated[int, Field(ge=1, le=5)]] = Field(max_length=50)
    comment: LongText | None = None


class SurveySubmitted(Message):
    type: Literal["survey.submitted"] = "survey.submitted"
    payload: SurveySubmittedPayload


# --- reporting and notification -------------------------------------------------------------------------


class DigestGeneratedPayload(Payload):
    digest_id: uuid.UUID
    iso_week: Annotated[str, StringConstraints(pattern=r"^\d{4}-W\d{2}$")]
    language: Literal["es", "en"] = "es"


class DigestGenerated(Message):
    type: Literal["digest.generated"] = "digest.generated"
    payload: DigestGeneratedPayload

    def aggregate_id(self) -> str:
        return self.payload.iso_week


class NotificationDeliveredPayload(Payload):
    notification_id: uuid.UUID
    chat_id: int
    kind: Slug
    item_id: uuid.UUID | None = None


class NotificationDelivered(Message):
    type: Literal["notification.delivered"] = "notification.delivered"
    payload: NotificationDeliveredPayload

    def aggregate_id(self) -> str:
        return str(self.payload.notification_id)


# --- answers to commands that could not be carried out -----------------------------------------------------


class RejectionReason(StrEnum):
    not_your_entity = "not_your_entity"
    unknown_sector = "unknown_sector"
    unknown_entity = "unknown_entity"
    unknown_item = "unknown_item"
    nothing_to_change = "nothing_to_change"
    wrong_city = "wrong_city"


class CommandRejectedPayload(Payload):
    command_id: uuid.UUID
    command_type: Slug
    reason: RejectionReason
    item_id: uuid.UUID | None = None


class CommandRejected(Message):
    """A command was well-formed but could not be carried out; the bot tells the person why, in their language."""

    type: Literal["command.rejected"] = "command.rejected"
    payload: CommandRejectedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.item_id or self.payload.command_id)


# Which events travel together on one topic (see topics.py).
ITEM_EVENTS: tuple[type[Message], ...] = (ExchangeProposed, PracticeProposed, ItemUpdated, CommandRejected)
PHASE_EVENTS = (
    PhaseStarted,
    PhaseCompleted,
    PhaseOverdue,
    CommitmentDue,
    CommitmentOverdue,
    CommitmentUpdated,
    CollaborationRequested,
    CollaborationAssigned,
    SurveyRequested,
    SurveySubmitted,
)
REPORTING_EVENTS = (DigestGenerated,)
NOTIFICATION_EVENTS = (NotificationDelivered,)
ALL_EVENTS = ITEM_EVENTS + PHASE_EVENTS + REPORTING_EVENTS + NOTIFICATION_EVENTS
