"""Bogotá Enseña after a practice is selected: its systematization against a dated schedule of milestones, the
participants in it, and its promotion (a plan of channels with target dates, and each promotion that takes place).
Commands go to phases, which announces the facts."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from puente.contracts.common import CountryCode, ParticipantType, Payload
from puente.contracts.envelope import Message, ShortText, Slug
from puente.contracts.phases import ItemCommand
from puente.contracts.text import NoteText
from puente.contracts.topic_names import TopicName

MAX_MILESTONES = 12
MAX_PARTICIPANTS = 100_000  # of one type, in one practice
MAX_AUDIENCE = 10_000_000


class PromotionChannel(StrEnum):
    international_event = "international_event"
    network = "network"
    platform = "platform"
    publication = "publication"


class ScheduledMilestone(Payload):
    key: Slug
    due_on: date


# --- commands, from the bot to phases -------------------------------------------------------------------------


class MoveMilestonePayload(Payload):
    item_id: uuid.UUID
    key: Slug
    due_on: date
    reason: NoteText


class MoveMilestone(ItemCommand):
    """A coordinator moves a milestone's date, saying why; it stays after the previous one and before the next."""

    type: Literal["move_milestone"] = "move_milestone"
    payload: MoveMilestonePayload


class ReportMilestonePayload(Payload):
    item_id: uuid.UUID
    key: Slug


class ReportMilestone(ItemCommand):
    """Staff of the practice's entity (or a coordinator) report a milestone done."""

    type: Literal["report_milestone"] = "report_milestone"
    payload: ReportMilestonePayload


class ParticipantCounts(Payload):
    counts: dict[ParticipantType, int] = Field(min_length=1)

    @field_validator("counts")
    @classmethod
    def _sensible(cls, counts: dict[ParticipantType, int]) -> dict[ParticipantType, int]:
        if any(not 0 <= count <= MAX_PARTICIPANTS for count in counts.values()):
            raise ValueError(f"participants of one type are a whole number from 0 to {MAX_PARTICIPANTS}")
        if sum(counts.values()) == 0:
            raise ValueError("at least one participant")
        return counts


class RecordParticipantsPayload(ParticipantCounts):
    item_id: uuid.UUID


class RecordParticipants(ItemCommand):
    """Who took part in the practice's systematization, by type (it replaces an earlier count)."""

    type: Literal["record_participants"] = "record_participants"
    payload: RecordParticipantsPayload


class PlanPromotionPayload(Payload):
    item_id: uuid.UUID
    channel: PromotionChannel
    name: ShortText
    target_on: date


class PlanPromotion(ItemCommand):
    type: Literal["plan_promotion"] = "plan_promotion"
    payload: PlanPromotionPayload


class RecordPromotionPayload(Payload):
    item_id: uuid.UUID
    channel: PromotionChannel
    name: ShortText
    held_on: date
    city: ShortText
    country: CountryCode
    audience: int = Field(ge=0, le=MAX_AUDIENCE)


class RecordPromotion(ItemCommand):
    """A promotion that took place: an event, a network, a platform or a publication."""

    type: Literal["record_promotion"] = "record_promotion"
    payload: RecordPromotionPayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class SystematizationScheduledPayload(Payload):
    item_id: uuid.UUID
    milestones: list[ScheduledMilestone] = Field(min_length=1, max_length=MAX_MILESTONES)


class SystematizationScheduled(Message):
    """A selected practice's systematization started: its milestones and their dates, from the city file."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["systematization.scheduled"] = "systematization.scheduled"
    payload: SystematizationScheduledPayload


class MilestoneMovedPayload(Payload):
    item_id: uuid.UUID
    key: Slug
    due_on: date
    previous_due_on: date
    reason: NoteText


class MilestoneMoved(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["milestone.moved"] = "milestone.moved"
    payload: MilestoneMovedPayload


class MilestoneReachedPayload(Payload):
    item_id: uuid.UUID
    key: Slug
    due_on: date
    reached_on: date
    pending: list[Slug] = Field(default_factory=list, description="The milestones still ahead.")


class MilestoneReached(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["milestone.reached"] = "milestone.reached"
    payload: MilestoneReachedPayload


class SystematizationSlippedPayload(Payload):
    item_id: uuid.UUID
    key: Slug
    due_on: date
    days_late: int = Field(ge=1)


class SystematizationSlipped(Message):
    """A milestone passed its date without being reported done: announced once per milestone and date."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["systematization.slipped"] = "systematization.slipped"
    payload: SystematizationSlippedPayload


class ParticipantsRecordedPayload(ParticipantCounts):
    item_id: uuid.UUID
    phase_key: Slug


class ParticipantsRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["participants.recorded"] = "participants.recorded"
    payload: ParticipantsRecordedPayload


class PromotionPlannedPayload(PlanPromotionPayload):
    promotion_id: uuid.UUID


class PromotionPlanned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["promotion.planned"] = "promotion.planned"
    payload: PromotionPlannedPayload


class PromotionRecordedPayload(RecordPromotionPayload):
    promotion_id: uuid.UUID


class PromotionRecorded(Message):
    """A promotion took place (reporting counts these: the seed's 8 international events and 2 networks)."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["promotion.recorded"] = "promotion.recorded"
    payload: PromotionRecordedPayload


MESSAGES = (MoveMilestone, ReportMilestone, RecordParticipants, PlanPromotion, RecordPromotion,
            SystematizationScheduled, MilestoneMoved, MilestoneReached, SystematizationSlipped, ParticipantsRecorded,
            PromotionPlanned, PromotionRecorded)

