"""Bogotá Aprende in phases, in memory: the action plan's commitments (owned by a person of the exchange's entity,
recorded from the action-plan phase on), their progress, and the daily scan's reminders before and after each due
date. Every refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from puente.contracts.commitments import CommitmentStatus
from puente.wiring.clock import SettableClock
from services.phases.handlers import PROCESSES
from tests import aprende_story as story
from tests.ensena_story import COORDINATING, actor
from tests.helpers import in_memory_scheduler, in_memory_service

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 November, 09:00 in Bogotá
DUE = date(2026, 12, 15)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def phases(settings, clock):
    return in_memory_service("phases", settings, clock)


async def told(phases, *messages) -> list[str]:
    return [await phases.dispatch(message) for message in messages]


def events(phases, kind: str) -> list:
    return [event for event in phases.unit_of_work.announced() if event.type == kind]


async def refused(phases, command, reason: str) -> None:
    before = phases.unit_of_work.stored(PROCESSES)
    assert await phases.dispatch(command) == "rejected"
    assert phases.unit_of_work.announced()[-1].payload.reason == reason
    assert phases.unit_of_work.stored(PROCESSES) == before, "nothing changed"


def commitments(phases):
    [process] = phases.unit_of_work.stored(PROCESSES)
    return process.exchange.commitments


async def test_commitments_are_recorded_from_the_action_plan_phase_with_an_owner_of_the_entity(phases):
    await told(phases, *story.PROPOSED)
    await refused(phases, story.record_commitment(DUE), "wrong_phase")
    assert "applied" in await told(phases, *story.IN_ACTION_PLAN[len(story.PROPOSED):])
    assert events(phases, "command.rejected")[-1:] and len(events(phases, "command.rejected")) == 1

    await refused(phases, story.record_commitment(DUE, owner=5021), "owner_not_of_entity")  # staff of the SDM
    await refused(phases, story.record_commitment(DUE, owner=9999), "owner_not_of_entity")  # nobody
    await refused(phases, story.record_commitment(date(2026, 11, 29)), "past_date")
    await refused(phases, story.record_commitment(DUE, by=actor(5021, "staff", "sdm")), "not_your_entity")
    await refused(phases, story.record_commitment(DUE, by=actor(8001, "evaluator", "sds")), "not_a_member")

    first = story.record_commitment(DUE)
    assert await told(phases, first, story.record_commitment(DUE + timedelta(days=30), by=COORDINATING)) == \
        ["applied", "applied"]
    [recorded, second] = events(phases, "commitment.recorded")
    assert (recorded.payload.number, second.payload.number) == (1, 2)
    assert recorded.payload.commitment_id == story.commitment_id(first)
    assert recorded.payload.owner_id == story.person_id(5031) and recorded.payload.entity_id == "sed"
    assert [kept.number for kept in commitments(phases)] == [1, 2]


async def test_progress_is_reported_by_the_owner_or_the_entity_and_a_commitment_done_takes_no_more(phases):
    await told(phases, *story.IN_ACTION_PLAN, story.record_commitment(DUE))
    await refused(phases, story.report_progress(1, CommitmentStatus.in_progress, 50, by=actor(5021, "staff", "sdm")),
                  "not_your_entity")
    await refused(phases, story.report_progress(2, CommitmentStatus.in_progress, 50), "unknown_commitment")
    assert await told(phases, story.report_progress(1, CommitmentStatus.blocked, 40, "Falta el presupuesto.")) == \
        ["applied"]
    assert commitments(phases)[0].status == "blocked" and commitments(phases)[0].note == "Falta el presupuesto."
    assert await told(phases, story.report_progress(1, CommitmentStatus.done, 100, by=story.STAFF_ACTOR)) == \
        ["applied"]
    [blocked, done] = events(phases, "commitment.updated")
    assert (blocked.payload.status, blocked.payload.progress_percent) == (CommitmentStatus.blocked, 40)
    assert done.payload.reported_by == story.person_id(5001)
    await refused(phases, story.report_progress(1, CommitmentStatus.in_progress, 80), "commitment_done")


async def test_the_daily_scan_announces_a_commitment_due_soon_once_and_late_on_the_city_cadence(phases, clock):
    await told(phases, *story.IN_ACTION_PLAN, story.record_commitment(DUE), story.record_commitment(DUE, action="B"))
    await told(phases, story.report_progress(2, CommitmentStatus.done, 100))  # done: never reminded
    scheduler = in_memory_scheduler(phases)

    async def scan_on(day: date) -> None:
        clock.set(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC))
        await scheduler.run_due()

    await scan_on(date(2026, 12, 11))  # four days ahead: not yet
    assert events(phases, "commitment.due") == []
    await scan_on(date(2026, 12, 12))
    await scan_on(date(2026, 12, 13))
    [due] = events(phases, "commitment.due")
    assert (due.payload.number, due.payload.days_left, due.payload.owner_id) == (1, 3, story.person_id(5031))
    await scan_on(date(2026, 12, 16))
    await scan_on(date(2026, 12, 17))
    await scan_on(date(2026, 12, 22))
    await scan_on(date(2026, 12, 23))
    late = events(phases, "commitment.overdue")
    assert [(event.payload.step, event.payload.days_overdue) for event in late] == [(1, 1), (2, 8)]
    await told(phases, story.report_progress(1, CommitmentStatus.done, 100))
    await scan_on(date(2027, 1, 10))
    assert len(events(phases, "commitment.overdue")) == 2, "a commitment done is not reminded any more"
