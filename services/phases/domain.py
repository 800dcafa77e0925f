"""The methodology's rules, free of Kafka and MongoDB: which phases an item walks, when each is due, when one has
fallen behind, and how a coordinator steers an item's course (complete the current phase, send it back a phase,
hold, resume, withdraw). Each item keeps the phases (and durations) it started with: a changed city file applies
to new items only.

Due dates are the city's calendar dates: `today` is the date in the city's time zone, computed once by the
caller. The city's phases arrive as plain values (`PhasePlan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.common import Line
from puente.contracts.deliverables import DeliverableRule, DocumentRef, InvalidDeliverable, checked_value
from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.phases import (
    AdvancePhase,
    DeliverableSubmitted,
    DeliverableSubmittedPayload,
    HoldItem,
    ItemClosed,
    ItemCoursePayload,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    MoveDueDate,
    PhaseCompleted,
    PhaseDueDateMoved,
    PhaseDueDateMovedPayload,
    PhaseDueSoon,
    PhaseDueSoonPayload,
    PhaseOverdue,
    PhaseOverduePayload,
    PhasePayload,
    PhaseReturned,
    PhaseReturnedPayload,
    PhasesRejectionReason,
    PhaseStarted,
    ResumeItem,
    ReturnPhase,
    SubmitDeliverable,
    WithdrawItem,
)


class Refused(Exception):
    """A command phases cannot carry out; `reason` says why (the person hears it in their language)."""

    def __init__(self, reason: PhasesRejectionReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


class WorkCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...


class EveryDay:
    """A calendar where every day is worked (phases that count calendar days never ask it)."""

    def is_working_day(self, day: date) -> bool:
        return True


EVERY_DAY = EveryDay()


def due_date(start: date, days: int, working_days: bool, calendar: WorkCalendar) -> date:
    """The day a phase that starts on `start` is due: `days` calendar days later, or `days` working days later
    (weekends and the city's public holidays not counted)."""
    if not working_days:
        return start + timedelta(days=days)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += calendar.is_working_day(day)
    return day


@dataclass(frozen=True)
class PhasePlan:
    """One phase of a line, as the city configures it."""

    key: str
    duration_days: int
    deliverables: tuple[DeliverableRule, ...] = ()
    working_days: bool = False


@dataclass(frozen=True)
class FollowUp:
    """How deadlines are followed up: reminders so many days before, late phases announced again so often."""

    due_soon_days: int = 3
    overdue_every_days: int = 7


class Submitted(BaseModel):
    """A deliverable as it was filled in: its value (or document), when and by whom (an opaque person id)."""

    model_config = ConfigDict(frozen=True)

    value: str | None = None
    document: DocumentRef | None = None
    at: datetime
    by: str


class PhaseProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    key: str
    status: str  # pending, started, completed
    started_at: datetime | None = None
    due_on: date | None = None
    completed_at: datetime | None = None
    overdue_announced: bool = False
    overdue_steps: int = 0  # how many times its lateness was announced, for this due date
    due_soon_for: date | None = None  # the due date a reminder was announced for
    duration_days: int | None = None  # as the city file said when the item started (None: items from before)
    working_days: bool = False  # likewise
    deliverables: list[DeliverableRule] = Field(default_factory=list)  # likewise
    submitted: dict[str, Submitted] = Field(default_factory=dict)  # by deliverable key, the latest of each

    def missing(self) -> list[str]:
        """The required deliverables not in yet."""
        return [rule.key for rule in self.deliverables if rule.required and rule.key not in self.submitted]


class Scorecard(BaseModel):
    model_config = ConfigDict(frozen=True)

    scores: dict[str, int]
    comment: str
    at: datetime


class MilestoneProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    due_on: date
    reached_on: date | None = None
    slipped_for: date | None = None  # the due date its slip was announced for


class PlannedPromotion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    channel: str
    name: str
    target_on: date


class HeldPromotion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    channel: str
    name: str
    held_on: date
    city: str
    country: str
    audience: int


class PracticeRecord(BaseModel):
    """What Bogotá Enseña adds to a practice's walk: its evaluation team and scorecards, the decision, the
    systematization's milestones and participants, its promotion, and its companions (by person id)."""

    model_config = ConfigDict(frozen=True)

    evaluators: list[str] = Field(default_factory=list)
    scorecards: dict[str, Scorecard] = Field(default_factory=dict)  # by evaluator
    decision: str | None = None  # selected, not_selected, more_information
    milestones: list[MilestoneProgress] = Field(default_factory=list)
    participants: dict[str, int] = Field(default_factory=dict)
    planned: list[PlannedPromotion] = Field(default_factory=list)
    promotions: list[HeldPromotion] = Field(default_factory=list)
    companions: list[str] = Field(default_factory=list)


class Commitment(BaseModel):
    """One commitment of an exchange's action plan, with its progress and the reminders announced for it."""

    model_config = ConfigDict(frozen=True)

    id: str
    number: int
    action: str
    owner_id: str
    due_on: date
    indicator: str
    target: str
    status: str = "not_started"  # not_started, in_progress, done, blocked
    progress_percent: int = 0
    note: str | None = None
    due_soon_for: date | None = None  # the due date `commitment.due` was announced for
    overdue_for: date | None = None  # the due date the overdue steps count from
    overdue_steps: int = 0


class SurveyRecord(BaseModel):
    """A survey of the exchange's participants: its questions, who answered (keyed hashes, no names) and the sum of
    the ratings given to each question."""

    model_config = ConfigDict(frozen=True)

    id: str
    code: str
    phase_key: str
    questions: list[str]
    respondents: list[str] = Field(default_factory=list)
    totals: dict[str, int] = Field(default_factory=dict)
    alerted: bool = False  # the coordinators heard of a low average

    def averages(self) -> dict[str, float]:
        answers = len(self.respondents)
        return {question: round(self.totals.get(question, 0) / answers, 2) for question in self.questions} \
            if answers else {}

    def average(self) -> float:
        answers = len(self.respondents)
        return round(sum(self.totals.values()) / (answers * len(self.questions)), 2) if answers else 0.0


class ShortlistedEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    name: str = ""
    reasons: list[dict[str, str]]  # {"kind": ..., "detail": ...}, as the contract's MatchReason


class ExchangePlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    instrument: str
    starts_on: date
    ends_on: date
    city: str
    country: str


class BudgetEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    concept: str
    amount: Decimal
    currency: str
    paid_by: str  # "program", or an ally's key


class LogisticsEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    owner_id: str
    done: bool = False


class ExchangeRecord(BaseModel):
    """What Bogotá Aprende adds to an exchange's walk: the shortlist matched to its need, its plan, experts, allies,
    budget, logistics and participants, its surveys and its action plan's commitments."""

    model_config = ConfigDict(frozen=True)

    shortlisted_practices: list[ShortlistedEntry] = Field(default_factory=list)
    shortlisted_experts: list[ShortlistedEntry] = Field(default_factory=list)
    plan: ExchangePlan | None = None
    experts: list[str] = Field(default_factory=list)  # catalogue keys
    allies: list[str] = Field(default_factory=list)  # catalogue keys
    budget: list[BudgetEntry] = Field(default_factory=list)
    logistics: dict[str, LogisticsEntry] = Field(default_factory=dict)  # by task
    participants: dict[str, int] = Field(default_factory=dict)
    commitments: list[Commitment] = Field(default_factory=list)
    surveys: list[SurveyRecord] = Field(default_factory=list)


class Process(BaseModel):
    """An item's walk through its line's phases."""

    model_config = ConfigDict(frozen=True)

    id: str  # the item's id
    line: Line
    city: str
    entity_id: str
    current_phase: int
    phases: list[PhaseProgress]
    created_at: datetime
    open: bool = True  # closed, withdrawn and not selected items are not open: nothing is due any more
    status: str = "active"  # active, on_hold, closed, withdrawn, not_selected
    days_left_when_held: int | None = None
    practice: PracticeRecord | None = None  # an Enseña practice's evaluation, schedule, promotion and companions
    exchange: ExchangeRecord | None = None  # an Aprende exchange's record, surveys and action plan

    def current(self) -> PhaseProgress:
        return self.phases[self.current_phase - 1]

    def with_phase(self, changed: PhaseProgress, **updates) -> Process:
        phases = [changed if phase.number == changed.number else phase for phase in self.phases]
        return self.model_copy(update={"phases": phases, **updates})


def start_process(
    item_id: str, line: Line, proposal: Message, phases: list[PhasePlan], now: datetime, today: date,
    calendar: WorkCalendar = EVERY_DAY,
) -> tuple[Process, PhaseStarted]:
    """A new item enters its line's first phase. The process lists every phase, the first with its due date."""
    first = phases[0]
    due_on = due_date(today, first.duration_days, first.working_days, calendar)
    process = Process(
        id=item_id,
        line=line,
        city=proposal.city,
        entity_id=proposal.payload.entity_id,
        current_phase=1,
        phases=[
            PhaseProgress(number=1, key=first.key, status="started", started_at=now, due_on=due_on,
                          duration_days=first.duration_days, working_days=first.working_days,
                          deliverables=list(first.deliverables)),
            *(PhaseProgress(number=number, key=phase.key, status="pending", duration_days=phase.duration_days,
                            working_days=phase.working_days, deliverables=list(phase.deliverables))
              for number, phase in enumerate(phases[1:], start=2)),
        ],
        created_at=now,
    )
    event = PhaseStarted.new(
        payload=PhasePayload(item_id=item_id, line=line, phase_number=1, phase_key=first.key, due_on=due_on),
        actor=SYSTEM_ACTOR,
        city=proposal.city,
        caused_by=proposal,
        event_id=derived_id(proposal.event_id, "phase.started", 1),
        occurred_at=now,
    )
    return process, event


def overdue(process: Process, today: date, now: datetime,
            follow_up: FollowUp = FollowUp()) -> tuple[Process, PhaseOverdue] | None:
    """If the current phase is past its due date: announced the day after, then again every
    `overdue_every_days`. Each step once: its id derives from the item, the phase, the due date and the step, so a
    repeated run repeats it, and a service that was down announces only the step it has reached."""
    phase = process.current()
    if not process.open or process.status != "active" or phase.status != "started" or phase.due_on is None:
        return None
    if today <= phase.due_on:
        return None
    days_late = (today - phase.due_on).days
    step = 1 + (days_late - 1) // follow_up.overdue_every_days
    if step <= phase.overdue_steps or (phase.overdue_announced and phase.overdue_steps == 0 and step == 1):
        return None  # this step was told (or, for an item from before steps, the first one was)
    changed = process.with_phase(phase.model_copy(update={"overdue_announced": True, "overdue_steps": step}))
    event = PhaseOverdue.new(
        payload=PhaseOverduePayload(
            item_id=process.id, line=process.line, phase_number=phase.number, phase_key=phase.key,
            due_on=phase.due_on, days_overdue=days_late, step=step,
        ),
        actor=SYSTEM_ACTOR,
        city=process.city,
        event_id=derived_id(process.id, "phase.overdue", phase.number, phase.due_on, step),
        occurred_at=now,
    )
    return changed, event


def due_soon(process: Process, today: date, now: datetime,
             follow_up: FollowUp = FollowUp()) -> tuple[Process, PhaseDueSoon] | None:
    """If the current phase is due within `due_soon_days` (and not yet late): announced once per due date."""
    phase = process.current()
    if not process.open or process.status != "active" or phase.status != "started" or phase.due_on is None:
        return None
    days_left = (phase.due_on - today).days
    if not 0 <= days_left <= follow_up.due_soon_days or phase.due_soon_for == phase.due_on:
        return None
    changed = process.with_phase(phase.model_copy(update={"due_soon_for": phase.due_on}))
    event = PhaseDueSoon.new(
        payload=PhaseDueSoonPayload(item_id=process.id, line=process.line, phase_number=phase.number,
                                    phase_key=phase.key, due_on=phase.due_on, days_left=days_left),
        actor=SYSTEM_ACTOR, city=process.city,
        event_id=derived_id(process.id, "phase.due_soon", phase.number, phase.due_on), occurred_at=now,
    )
    return changed, event


# --- a coordinator steers the course ------------------------------------------------------------------------------


ENDED = ("closed", "withdrawn", "not_selected")


def _steerable(process: Process) -> None:
    if process.status in ENDED:
        raise Refused(PhasesRejectionReason.item_ended)


def _course_event(event_class, process: Process, command: Message, now: datetime, name: str,
                  reason: str | None = None, due_on: date | None = None):
    phase = process.current()
    return event_class.new(
        payload=ItemCoursePayload(item_id=process.id, line=process.line, phase_number=phase.number,
                                  phase_key=phase.key, reason=reason, due_on=due_on),
        actor=command.actor, city=process.city, caused_by=command, event_id=derived_id(command.event_id, name),
        occurred_at=now,
    )


def _phase_event(event_class, process: Process, phase: PhaseProgress, command: Message, now: datetime, name: str):
    return event_class.new(
        payload=PhasePayload(item_id=process.id, line=process.line, phase_number=phase.number, phase_key=phase.key,
                             due_on=phase.due_on),
        actor=command.actor, city=process.city, caused_by=command,
        event_id=derived_id(command.event_id, name, phase.number), occurred_at=now,
    )


def due_from(phase: PhaseProgress, plan: list[PhasePlan], today: date, calendar: WorkCalendar) -> date:
    """A phase's due date if it starts today, after its duration as the item started with it (or, for an item
    from before durations were kept, the city's)."""
    if phase.duration_days is not None:
        return due_date(today, phase.duration_days, phase.working_days, calendar)
    planned = next((planned for planned in plan if planned.key == phase.key), None)
    if planned is None:
        return today + timedelta(days=30)
    return due_date(today, planned.duration_days, planned.working_days, calendar)


def advance(process: Process, command: AdvancePhase, plan: list[PhasePlan], today: date,
            now: datetime, calendar: WorkCalendar = EVERY_DAY) -> tuple[Process, list[Message]]:
    """Complete the current phase (the one the coordinator saw), then start the next one, or close the item after
    the last. Skipping a phase or completing one twice is refused: the command names the phase it completes."""
    _steerable(process)
    if process.status == "on_hold":
        raise Refused(PhasesRejectionReason.on_hold)
    current = process.current()
    if command.payload.phase_number != current.number or current.status != "started":
        raise Refused(PhasesRejectionReason.not_current_phase)
    if current.missing():
        raise Refused(PhasesRejectionReason.deliverables_missing)
    completed = current.model_copy(update={"status": "completed", "completed_at": now})
    process = process.with_phase(completed)
    events: list[Message] = [_phase_event(PhaseCompleted, process, completed, command, now, "phase.completed")]
    if current.number == len(process.phases):
        process = process.model_copy(update={"status": "closed", "open": False})
        events.append(_course_event(ItemClosed, process, command, now, "item.closed"))
        return process, events
    following = process.phases[current.number]
    started = following.model_copy(update={
        "status": "started", "started_at": now, "completed_at": None, "overdue_announced": False,
        "overdue_steps": 0, "due_on": due_from(following, plan, today, calendar),
    })
    process = process.with_phase(started, current_phase=started.number)
    events.append(_phase_event(PhaseStarted, process, started, command, now, "phase.started"))
    return process, events


def return_to_previous(process: Process, command: ReturnPhase, plan: list[PhasePlan], today: date,
                       now: datetime, calendar: WorkCalendar = EVERY_DAY) -> tuple[Process, list[Message]]:
    """Send the item back to the phase before the current one, which starts again with a new due date."""
    _steerable(process)
    if process.status == "on_hold":
        raise Refused(PhasesRejectionReason.on_hold)
    current = process.current()
    if command.payload.phase_number != current.number:
        raise Refused(PhasesRejectionReason.not_current_phase)
    if current.number == 1:
        raise Refused(PhasesRejectionReason.first_phase)
    left = current.model_copy(update={"status": "pending", "started_at": None, "due_on": None,
                                      "overdue_announced": False, "overdue_steps": 0})
    previous = process.phases[current.number - 2]
    again = previous.model_copy(update={
        "status": "started", "started_at": now, "completed_at": None, "overdue_announced": False,
        "overdue_steps": 0, "due_on": due_from(previous, plan, today, calendar),
    })
    process = process.with_phase(left).with_phase(again, current_phase=again.number)
    event = PhaseReturned.new(
        payload=PhaseReturnedPayload(item_id=process.id, line=process.line, phase_number=again.number,
                                     phase_key=again.key, due_on=again.due_on, from_phase_number=current.number,
                                     note=command.payload.note),
        actor=command.actor, city=process.city, caused_by=command,
        event_id=derived_id(command.event_id, "phase.returned"), occurred_at=now,
    )
    return process, [event]


def hold(process: Process, command: HoldItem, today: date, now: datetime) -> tuple[Process, list[Message]]:
    """Put the item on hold: its due date stops; the days it had left are kept for when it resumes."""
    _steerable(process)
    if process.status == "on_hold":
        raise Refused(PhasesRejectionReason.on_hold)
    due_on = process.current().due_on
    days_left = max(0, (due_on - today).days) if due_on else None
    process = process.model_copy(update={"status": "on_hold", "days_left_when_held": days_left})
    return process, [_course_event(ItemOnHold, process, command, now, "item.on_hold", command.payload.reason)]


def resume(process: Process, command: ResumeItem, plan: list[PhasePlan], today: date,
           now: datetime, calendar: WorkCalendar = EVERY_DAY) -> tuple[Process, list[Message]]:
    """Resume a held item: its current phase is due after the days it had left when it was held."""
    _steerable(process)
    if process.status != "on_hold":
        raise Refused(PhasesRejectionReason.not_on_hold)
    current = process.current()
    days = process.days_left_when_held
    due_on = due_from(current, plan, today, calendar) if days is None else today + timedelta(days=days)
    process = process.with_phase(current.model_copy(update={"due_on": due_on, "overdue_announced": False,
                                                            "overdue_steps": 0, "due_soon_for": None}),
                                 status="active", days_left_when_held=None)
    return process, [_course_event(ItemResumed, process, command, now, "item.resumed", due_on=due_on)]


def withdraw(process: Process, command: WithdrawItem, now: datetime) -> tuple[Process, list[Message]]:
    """Withdraw the item from the program, saying why: it ends there."""
    _steerable(process)
    process = process.model_copy(update={"status": "withdrawn", "open": False})
    return process, [_course_event(ItemWithdrawn, process, command, now, "item.withdrawn", command.payload.reason)]


def submit(process: Process, command: SubmitDeliverable, person_id: str, today: date,
           now: datetime) -> tuple[Process, list[Message]]:
    """Keep one of the current phase's deliverables, checked against its type as the item started with it; a
    later value replaces an earlier one. The event says which required ones are still missing."""
    _steerable(process)
    current = process.current()
    payload = command.payload
    if payload.phase_number != current.number or current.status != "started":
        raise Refused(PhasesRejectionReason.not_current_phase)
    rule = next((rule for rule in current.deliverables if rule.key == payload.key), None)
    if rule is None:
        raise Refused(PhasesRejectionReason.unknown_deliverable)
    try:
        value = checked_value(rule, payload.value, payload.document, today)
    except InvalidDeliverable:
        raise Refused(PhasesRejectionReason.invalid_value) from None
    kept = Submitted(value=value, document=payload.document, at=now, by=person_id)
    changed = current.model_copy(update={"submitted": {**current.submitted, rule.key: kept}})
    process = process.with_phase(changed)
    event = DeliverableSubmitted.new(
        payload=DeliverableSubmittedPayload(item_id=process.id, line=process.line, phase_number=changed.number,
                                            phase_key=changed.key, due_on=changed.due_on, key=rule.key, value=value,
                                            document=payload.document, missing=changed.missing()),
        actor=command.actor, city=process.city, caused_by=command,
        event_id=derived_id(command.event_id, "deliverable.submitted"), occurred_at=now,
    )
    return process, [event]


def move_due_date(process: Process, command: MoveDueDate, today: date, now: datetime) -> tuple[Process, list[Message]]:
    """A coordinator moves the current phase's due date to today or later, saying why; reminders and lateness
    start over from the new date."""
    _steerable(process)
    current = process.current()
    if command.payload.phase_number != current.number or current.status != "started":
        raise Refused(PhasesRejectionReason.not_current_phase)
    if command.payload.due_on < today:
        raise Refused(PhasesRejectionReason.past_date)
    moved = current.model_copy(update={"due_on": command.payload.due_on, "overdue_announced": False,
                                       "overdue_steps": 0, "due_soon_for": None})
    held = {"days_left_when_held": (command.payload.due_on - today).days} if process.status == "on_hold" else {}
    process = process.with_phase(moved, **held)  # a held item resumes with the days to its new due date
    event = PhaseDueDateMoved.new(
        payload=PhaseDueDateMovedPayload(item_id=process.id, line=process.line, phase_number=moved.number,
                                         phase_key=moved.key, due_on=command.payload.due_on,
                                         previous_due_on=current.due_on, reason=command.payload.reason),
        actor=command.actor, city=process.city, caused_by=command,
        event_id=derived_id(command.event_id, "phase.due_date_moved"), occurred_at=now,
    )
    return process, [event]
