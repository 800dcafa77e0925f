"""The methodology's rules, free of Kafka and MongoDB: which phases an item walks, when each is due, and when one
has fallen behind.

Due dates are the city's calendar dates: `today` is the date in the city's time zone, computed once by the
caller. The city's phases arrive as plain values (`PhasePlan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.phases import PhaseOverdue, PhaseOverduePayload, PhasePayload, PhaseStarted


@dataclass(frozen=True)
class PhasePlan:
    """One phase of a line, as the city configures it."""

    key: str
    duration_days: int


class PhaseProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    key: str
    status: str  # pending, started, completed
    started_at: datetime | None = None
    due_on: date | None = None
    completed_at: datetime | None = None
    overdue_announced: bool = False


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
    open: bool = True

    def current(self) -> PhaseProgress:
        return self.phases[self.current_phase - 1]


def start_process(
    item_id: str, line: Line, proposal: Message, phases: list[PhasePlan], now: datetime, today: date
) -> tuple[Process, PhaseStarted]:
    """A new item enters its line's first phase. The process lists every phase, the first with its due date."""
    first = phases[0]
    due_on = today + timedelta(days=first.duration_days)
    process = Process(
        id=item_id,
        line=line,
        city=proposal.city,
        entity_id=proposal.payload.entity_id,
        current_phase=1,
        phases=[
            PhaseProgress(number=1, key=first.key, status="started", started_at=now, due_on=due_on),
            *(PhaseProgress(number=number, key=phase.key, status="pending")
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


def overdue(process: Process, today: date, now: datetime) -> tuple[Process, PhaseOverdue] | None:
    """If the current phase is past its due date and nobody was told yet: the process, marked as told, and the
    event that tells. Once per phase; its id derives from the item and the phase, so a repeated run repeats it."""
    phase = process.current()
    if not process.open or phase.status != "started" or phase.due_on is None or phase.overdue_announced:
        return None
    if today <= phase.due_on:
        return None
    marked = phase.model_copy(update={"overdue_announced": True})
    changed = process.model_copy(
        update={"phases": [marked if p.number == phase.number else p for p in process.phases]}
    )
    event = PhaseOverdue.new(
        payload=PhaseOverduePayload(
            item_id=process.id, line=process.line, phase_number=phase.number, phase_key=phase.key,
            due_on=phase.due_on, days_overdue=(today - phase.due_on).days,
        ),
        actor=SYSTEM_ACTOR,
        city=process.city,
        event_id=derived_id(process.id, "phase.overdue", phase.number),
        occurred_at=now,
    )
    return changed, event
