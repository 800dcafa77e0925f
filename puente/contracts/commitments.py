"""The action plan's commitments: due, overdue and their progress."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from puente.contracts.common import Payload
from puente.contracts.envelope import LongText, Message, ShortText, Slug
from puente.contracts.topic_names import TopicName


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
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.due"] = "commitment.due"
    payload: CommitmentDuePayload


class CommitmentOverduePayload(CommitmentDuePayload):
    days_overdue: int = Field(ge=1)


class CommitmentOverdue(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.overdue"] = "commitment.overdue"
    payload: CommitmentOverduePayload


class CommitmentUpdatedPayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    status: CommitmentStatus
    progress_percent: int = Field(ge=0, le=100)
    note: LongText | None = None


class CommitmentUpdated(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.updated"] = "commitment.updated"
    payload: CommitmentUpdatedPayload


MESSAGES = (CommitmentDue, CommitmentOverdue, CommitmentUpdated)
