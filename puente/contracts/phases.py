"""The methodology's facts, announced by phases: an item's phases start, end and fall behind."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from puente.contracts.common import Line, Payload
from puente.contracts.envelope import Message, Slug
from puente.contracts.topic_names import TopicName


class PhasePayload(Payload):
    item_id: uuid.UUID
    line: Line
    phase_number: int = Field(ge=1, le=12)
    phase_key: Slug
    due_on: date | None = None


class PhaseStarted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.started"] = "phase.started"
    payload: PhasePayload


class PhaseCompleted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.completed"] = "phase.completed"
    payload: PhasePayload


class PhaseOverduePayload(PhasePayload):
    due_on: date
    days_overdue: int = Field(ge=1)


class PhaseOverdue(Message):
    """A phase passed its due date without being completed; announced once per phase, by phases' daily scan."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.overdue"] = "phase.overdue"
    payload: PhaseOverduePayload


MESSAGES = (PhaseStarted, PhaseCompleted, PhaseOverdue)
