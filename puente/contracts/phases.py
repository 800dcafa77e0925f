"""The methodology: what coordinators ask of phases (complete the current phase, send an item back a phase, put it
on hold, resume it, withdraw it), and the facts phases announces (phases start, end and fall behind; items are
held, resumed, withdrawn and closed), with the reasons phases gives when it cannot carry a command out."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, model_validator

from puente.contracts.common import Line, Payload
from puente.contracts.deliverables import MAX_VALUE_LENGTH, DocumentRef
from puente.contracts.envelope import Message, Slug
from puente.contracts.text import NoteText
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
    step: int = Field(1, ge=1, description="1 the first time; then once more every `overdue_every_days`.")


def first_step(document: dict) -> dict:
    """Version 1 announced a late phase once: read it as the first step."""
    payload = document.get("payload")
    return {**document, "payload": {"step": 1, **payload}} if isinstance(payload, dict) else document


class PhaseOverdue(Message):
    """A phase passed its due date without being completed: announced by phases' daily scan once, then again on the
    city's cadence (each step once)."""

    topics: ClassVar = (TopicName.phase_events,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: first_step}
    type: Literal["phase.overdue"] = "phase.overdue"
    payload: PhaseOverduePayload


class PhaseDueSoonPayload(PhasePayload):
    due_on: date
    days_left: int = Field(ge=0)


class PhaseDueSoon(Message):
    """A phase's due date is near (the city file says how near): announced once per phase and due date."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.due_soon"] = "phase.due_soon"
    payload: PhaseDueSoonPayload


class PhaseDueDateMovedPayload(PhasePayload):
    due_on: date
    previous_due_on: date | None = None
    reason: NoteText


class PhaseDueDateMoved(Message):
    """A coordinator moved the current phase's due date, saying why."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.due_date_moved"] = "phase.due_date_moved"
    payload: PhaseDueDateMovedPayload


# --- commands, from the bot to phases ---------------------------------------------------------------------------


class ItemCommand(Message):
    """A command about one item: kept in order with the item's other commands."""

    topics: ClassVar = (TopicName.phase_commands,)

    def aggregate_id(self) -> str:
        return str(self.payload.item_id)


class PhaseStep(Payload):
    item_id: uuid.UUID
    phase_number: int = Field(ge=1, le=12, description="The phase the person saw as current: a stale view is refused.")


class AdvancePhase(ItemCommand):
    """A coordinator completes the current phase; the next one starts (or, after the last, the item closes)."""

    type: Literal["advance_phase"] = "advance_phase"
    payload: PhaseStep


class ReturnPhasePayload(PhaseStep):
    note: NoteText


class ReturnPhase(ItemCommand):
    """A coordinator sends an item back to the previous phase, saying why."""

    type: Literal["return_phase"] = "return_phase"
    payload: ReturnPhasePayload


class ItemReasonPayload(Payload):
    item_id: uuid.UUID
    reason: NoteText


class HoldItem(ItemCommand):
    """A coordinator puts an item on hold: no due dates run, no reminders go out."""

    type: Literal["hold_item"] = "hold_item"
    payload: ItemReasonPayload


class ItemPayload(Payload):
    item_id: uuid.UUID


class ResumeItem(ItemCommand):
    """A coordinator resumes an item on hold; its current phase gets a new due date."""

    type: Literal["resume_item"] = "resume_item"
    payload: ItemPayload


class MoveDueDatePayload(PhaseStep):
    due_on: date
    reason: NoteText


class MoveDueDate(ItemCommand):
    """A coordinator moves the current phase's due date (to today or later), saying why."""

    type: Literal["move_due_date"] = "move_due_date"
    payload: MoveDueDatePayload


class WithdrawItem(ItemCommand):
    """A coordinator withdraws an item from the program, saying why; it ends there."""

    type: Literal["withdraw_item"] = "withdraw_item"
    payload: ItemReasonPayload


class SubmitDeliverablePayload(PhaseStep):
    key: Slug
    value: Annotated[str, StringConstraints(min_length=1, max_length=MAX_VALUE_LENGTH)] | None = None
    document: DocumentRef | None = None

    @model_validator(mode="after")
    def _a_value_or_a_document(self) -> SubmitDeliverablePayload:
        if (self.value is None) == (self.document is None):
            raise ValueError("a deliverable is a value or a document")
        return self


class SubmitDeliverable(ItemCommand):
    """Staff of the item's entity (or a coordinator) fill in one of the current phase's deliverables."""

    type: Literal["submit_deliverable"] = "submit_deliverable"
    payload: SubmitDeliverablePayload


# --- facts about items' course, announced by phases ----------------------------------------------------------


class DeliverableSubmittedPayload(PhasePayload):
    key: Slug
    value: str | None = None
    document: DocumentRef | None = None
    missing: list[Slug] = Field(default_factory=list, description="The phase's required deliverables still missing.")


class DeliverableSubmitted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["deliverable.submitted"] = "deliverable.submitted"
    payload: DeliverableSubmittedPayload


class PhaseReturnedPayload(PhasePayload):
    from_phase_number: int = Field(ge=2, le=12)
    note: NoteText


class PhaseReturned(Message):
    """An item went back to an earlier phase (named by the payload's phase fields), which starts again."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["phase.returned"] = "phase.returned"
    payload: PhaseReturnedPayload


class ItemCoursePayload(Payload):
    item_id: uuid.UUID
    line: Line
    phase_number: int = Field(ge=1, le=12)
    phase_key: Slug
    reason: NoteText | None = None
    due_on: date | None = None  # a resumed item's new due date


class ItemOnHold(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["item.on_hold"] = "item.on_hold"
    payload: ItemCoursePayload


class ItemResumed(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["item.resumed"] = "item.resumed"
    payload: ItemCoursePayload


class ItemWithdrawn(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["item.withdrawn"] = "item.withdrawn"
    payload: ItemCoursePayload


class ItemClosed(Message):
    """The last phase was completed: the item's process is over."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["item.closed"] = "item.closed"
    payload: ItemCoursePayload


# --- why phases could not carry a command out (announced as `command.rejected`) -------------------------------


class PhasesRejectionReason(StrEnum):
    not_a_member = "not_a_member"
    not_allowed = "not_allowed"  # only coordinators and administrators steer an item's course
    unknown_item = "unknown_item"
    not_current_phase = "not_current_phase"  # skipping a phase, or completing one twice
    first_phase = "first_phase"  # there is no earlier phase to return to
    on_hold = "on_hold"
    not_on_hold = "not_on_hold"
    item_ended = "item_ended"  # closed or withdrawn
    not_your_entity = "not_your_entity"  # staff fill in only their own entity's items
    unknown_deliverable = "unknown_deliverable"  # the phase asks for no such deliverable
    invalid_value = "invalid_value"  # the value does not fit the deliverable's type or bounds
    deliverables_missing = "deliverables_missing"  # a required deliverable of the phase is not in yet
    past_date = "past_date"  # a due date moved to a day already gone
    # Bogotá Enseña's: evaluation, systematization, promotion and collaboration requests
    unknown_practice = "unknown_practice"  # no such practice (or the item is an exchange)
    wrong_phase = "wrong_phase"  # the practice is not in the phase this belongs to
    not_an_evaluator = "not_an_evaluator"  # someone named is not an active evaluator
    own_entity = "own_entity"  # nobody evaluates their own entity's practice
    evaluators_count = "evaluators_count"  # fewer or more evaluators than the city file allows
    not_assigned = "not_assigned"  # the evaluator is not assigned to this practice
    already_scored = "already_scored"
    out_of_scale = "out_of_scale"  # a score outside the city's scale, or a criterion missing or unknown
    scorecards_missing = "scorecards_missing"  # an assigned evaluator has not scored yet
    already_decided = "already_decided"  # the practice was selected or not selected already
    decision_missing = "decision_missing"  # the evaluation phase ends only for a selected practice
    not_selected = "not_selected"  # systematization and promotion are for selected practices
    unknown_milestone = "unknown_milestone"
    milestone_out_of_order = "milestone_out_of_order"  # dated before the previous milestone or after the next
    earlier_milestone_pending = "earlier_milestone_pending"
    milestone_done = "milestone_done"
    not_a_companion = "not_a_companion"  # not an active person of the practice's entity, or not its companion
    over_capacity = "over_capacity"  # the companion holds as many open requests as the city file allows
    unknown_request = "unknown_request"
    request_closed = "request_closed"
    already_registered = "already_registered"  # a request with that id exists
    not_held_yet = "not_held_yet"  # a promotion is recorded once it took place
    # Bogotá Aprende's: the exchange record, surveys and the action plan
    unknown_exchange = "unknown_exchange"  # no such exchange (or the item is a practice)
    owner_not_of_entity = "owner_not_of_entity"  # a commitment's owner is an active person of the exchange's entity
    too_many_commitments = "too_many_commitments"
    unknown_commitment = "unknown_commitment"
    commitment_done = "commitment_done"  # a commitment done takes no more progress
    unknown_survey = "unknown_survey"
    already_answered = "already_answered"  # one answer per Telegram account and survey
    invalid_answer = "invalid_answer"  # a question left out or unknown, or a rating off 1 to 5
    survey_full = "survey_full"
    unknown_catalogue_entry = "unknown_catalogue_entry"  # no such expert, ally or practice in the catalogue
    ally_not_involved = "ally_not_involved"  # a budget line paid by an ally not recorded on the exchange
    too_many_budget_lines = "too_many_budget_lines"
    unknown_budget_line = "unknown_budget_line"
    plan_missing = "plan_missing"  # the phase completes once the exchange's plan is recorded
    participants_missing = "participants_missing"  # the phase completes once the participants are recorded


MESSAGES = (PhaseStarted, PhaseCompleted, PhaseOverdue, PhaseDueSoon, PhaseDueDateMoved, AdvancePhase, ReturnPhase,
            HoldItem, ResumeItem, MoveDueDate, WithdrawItem, SubmitDeliverable, DeliverableSubmitted, PhaseReturned,
            ItemOnHold, ItemResumed, ItemWithdrawn, ItemClosed)
