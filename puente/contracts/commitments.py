"""An exchange's action plan: the commitments its entity takes on after the exchange (action, owner, due date,
indicator and target), their reminders before and after the due date, and the progress their owners report.
Commands go to phases, which announces the facts; the daily scan announces `commitment.due` and
`commitment.overdue`, each step once."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from puente.contracts.common import Payload
from puente.contracts.envelope import Message, ShortText
from puente.contracts.phases import ItemCommand
from puente.contracts.text import NoteText
from puente.contracts.topic_names import TopicName

MAX_COMMITMENTS = 30  # in one action plan: each has a number, 1 to 30, which the bot's buttons carry


class CommitmentStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


class CommitmentTerms(Payload):
    action: ShortText
    owner_id: uuid.UUID = Field(description="A person of the exchange's entity, who reports its progress.")
    due_on: date
    indicator: ShortText
    target: ShortText


# --- commands, from the bot to phases -------------------------------------------------------------------------


class RecordCommitmentPayload(CommitmentTerms):
    item_id: uuid.UUID


class RecordCommitment(ItemCommand):
    """Staff of the exchange's entity (or a coordinator) add a commitment to its action plan."""

    type: Literal["record_commitment"] = "record_commitment"
    payload: RecordCommitmentPayload


class ReportProgressPayload(Payload):
    item_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_COMMITMENTS)
    status: CommitmentStatus
    progress_percent: int = Field(ge=0, le=100)
    note: NoteText | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ReportProgressPayload:
        if self.status is CommitmentStatus.done and self.progress_percent != 100:
            raise ValueError("a commitment done is 100 % done")
        if self.status is CommitmentStatus.blocked and self.note is None:
            raise ValueError("a blocked commitment says why")
        return self


class ReportProgress(ItemCommand):
    """A commitment's owner (or staff of its entity, or a coordinator) reports its progress."""

    type: Literal["report_progress"] = "report_progress"
    payload: ReportProgressPayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class CommitmentRecordedPayload(CommitmentTerms):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_COMMITMENTS)
    entity_id: str


class CommitmentRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.recorded"] = "commitment.recorded"
    payload: CommitmentRecordedPayload


class CommitmentDuePayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_COMMITMENTS)
    owner_id: uuid.UUID
    entity_id: str
    action: ShortText
    due_on: date
    days_left: int = Field(ge=0)


class CommitmentDue(Message):
    """A commitment not done is due within the city's `due_soon_days`: announced once per due date."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.due"] = "commitment.due"
    payload: CommitmentDuePayload


class CommitmentOverduePayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_COMMITMENTS)
    owner_id: uuid.UUID
    entity_id: str
    action: ShortText
    due_on: date
    days_overdue: int = Field(ge=1)
    step: int = Field(ge=1, description="The day after the due date is step 1; then one more every city cadence.")


class CommitmentOverdue(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.overdue"] = "commitment.overdue"
    payload: CommitmentOverduePayload


class CommitmentUpdatedPayload(Payload):
    item_id: uuid.UUID
    commitment_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_COMMITMENTS)
    owner_id: uuid.UUID
    status: CommitmentStatus
    progress_percent: int = Field(ge=0, le=100)
    note: NoteText | None = None
    reported_by: uuid.UUID


class CommitmentUpdated(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["commitment.updated"] = "commitment.updated"
    payload: CommitmentUpdatedPayload


MESSAGES = (RecordCommitment, ReportProgress, CommitmentRecorded, CommitmentDue, CommitmentOverdue,
            CommitmentUpdated)
