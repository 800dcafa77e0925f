"""The methodology's rules, free of Kafka and MongoDB: which phases a line has and when each is due.

Due dates are the city's calendar dates: `today` is the date in the city's time zone, computed once by the caller.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.events import Line, PhasePayload, PhaseStarted
from puente.wiring.city import Phase


def start_process(
    item_id: str, line: Line, proposal: Message, phases: list[Phase], now: datetime, today: date
) -> tuple[dict[str, Any], PhaseStarted]:
    """A new item enters its line's first phase. The process document lists every phase with its due date."""
    first = phases[0]
    due_on = today + timedelta(days=first.duration_days)
    document = {
        "_id": item_id,
        "line": line.value,
        "entity_id": proposal.payload.entity_id,
        "current_phase": 1,
        "phases": [
            {
                "number": number,
                "key": phase.key,
                "status": "started" if number == 1 else "pending",
                "started_at": now if number == 1 else None,
                "due_on": due_on.isoformat() if number == 1 else None,
                "completed_at": None,
            }
            for number, phase in enumerate(phases, start=1)
        ],
        "created_at": now,
    }
    event = PhaseStarted.new(
        payload=PhasePayload(item_id=item_id, line=line, phase_number=1, phase_key=first.key, due_on=due_on),
        actor=SYSTEM_ACTOR,
        city=proposal.city,
        caused_by=proposal,
        event_id=derived_id(proposal.event_id, "phase.started", 1),
        occurred_at=now,
    )
    return document, event
