"""The scheduler in memory: which run is due when, each run done once, a failed run done again, missed runs
caught up once, all on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from puente.contracts.phases import PhaseOverdue
from puente.wiring.clock import SettableClock
from puente.wiring.in_memory import InMemoryUnitOfWork
from puente.wiring.scheduler import SCHEDULED_RUNS, Job, Scheduler, daily_at, weekly_at
from tests.handler_cases import EXCHANGE_PROPOSED, PRACTICE_PROPOSED
from tests.helpers import in_memory_scheduler, in_memory_service

BOGOTA = "America/Bogota"  # UTC-5 all year


@pytest.mark.parametrize(("moment", "key"), [
    (datetime(2026, 3, 2, 10, 59, tzinfo=UTC), "2026-03-01"),  # 05:59 in Bogotá: today's 06:00 run is not due
    (datetime(2026, 3, 2, 11, 0, tzinfo=UTC), "2026-03-02"),
    (datetime(2026, 3, 3, 4, 30, tzinfo=UTC), "2026-03-02"),  # 23:30 on the 2nd in Bogotá, already the 3rd in UTC
])
def test_a_daily_run_is_named_by_the_citys_date(moment, key):
    assert daily_at(time(6, 0), BOGOTA)(moment) == key


@pytest.mark.parametrize(("moment", "key"), [
    (datetime(2026, 11, 30, 12, 59, tzinfo=UTC), "2026-W48"),  # Monday 07:59 in Bogotá: still last week's run
    (datetime(2026, 11, 30, 13, 0, tzinfo=UTC), "2026-W49"),  # Monday 08:00
    (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), "2026-W49"),  # Sunday evening
    (datetime(2027, 1, 4, 13, 0, tzinfo=UTC), "2027-W01"),
])
def test_a_weekly_run_is_named_by_its_iso_week(moment, key):
    assert weekly_at(0, time(8, 0), BOGOTA)(moment) == key


def overdue_events(runtime) -> list[PhaseOverdue]:
    return [event for event in runtime.unit_of_work.announced() if isinstance(event, PhaseOverdue)]


async def test_phases_announces_a_late_phase_once_on_the_morning_after_its_due_date(settings):
    clock = SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    runtime = in_memory_service("phases", settings, clock)
    scheduler = in_memory_scheduler(runtime)
    for proposal in (EXCHANGE_PROPOSED, PRACTICE_PROPOSED):
        assert await runtime.dispatch(proposal) == "applied"
    assert await scheduler.run_due() == ["phases.overdue-scan:2026-11-28"]
    assert overdue_events(runtime) == [], "nothing is late on the day it starts"

    clock.set(datetime(2026, 12, 28, 17, 0, tzinfo=UTC))  # the exchange's first phase (30 days) is due today
    assert await scheduler.run_due() == ["phases.overdue-scan:2026-12-28"]
    clock.set(datetime(2026, 12, 29, 10, 59, tzinfo=UTC))  # 05:59 on the 29th in Bogotá
    assert await scheduler.run_due() == []
    assert overdue_events(runtime) == []
    clock.set(datetime(2026, 12, 29, 11, 0, tzinfo=UTC))  # 06:00
    assert await scheduler.run_due() == ["phases.overdue-scan:2026-12-29"]
    late = overdue_events(runtime)
    assert [(event.payload.item_id, event.payload.phase_key, event.payload.days_overdue) for event in late] == [
        (EXCHANGE_PROPOSED.payload.item_id, "demand", 1)], "the practice's first phase (45 days) is not late yet"

    assert await scheduler.run_due() == [], "the same run is not done twice"
    clock.advance(timedelta(days=1))
    assert await scheduler.run_due() == ["phases.overdue-scan:2026-12-30"]
    assert overdue_events(runtime) == late, "a late phase is announced once, not every morning"
    runs = runtime.unit_of_work.stored(SCHEDULED_RUNS)
    assert [(run.run_key, run.done) for run in runs] == [
        ("2026-11-28", 0), ("2026-12-28", 1), ("2026-12-29", 1), ("2026-12-30", 0)], "12-28: due today (soon)"


async def test_a_failed_run_leaves_no_trace_and_is_done_on_the_next_pass():
    clock = SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    attempts = []

    async def flaky(transaction, run_key, now):
        attempts.append(run_key)
        await transaction.announce("topic", EXCHANGE_PROPOSED)
        if len(attempts) == 1:
            raise ConnectionError("the database went away mid-run")
        return 1

    unit_of_work = InMemoryUnitOfWork()
    scheduler = Scheduler([Job("flaky", daily_at(time(6, 0), BOGOTA), flaky)], unit_of_work, clock)
    with pytest.raises(ConnectionError):
        await scheduler.run_due()
    assert unit_of_work.stored(SCHEDULED_RUNS) == [] and unit_of_work.announced() == []
    assert await scheduler.run_due() == ["flaky:2026-11-28"]
    assert unit_of_work.announced() == [EXCHANGE_PROPOSED]


async def test_a_service_that_was_down_for_days_does_the_latest_run_once():
    clock = SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    done = []

    async def count(transaction, run_key, now):
        done.append(run_key)
        return 0

    scheduler = Scheduler([Job("count", daily_at(time(6, 0), BOGOTA), count)], InMemoryUnitOfWork(), clock)
    await scheduler.run_due()
    clock.advance(timedelta(days=4))
    await scheduler.run_due()
    await scheduler.run_due()
    assert done == ["2026-11-28", "2026-12-02"]
