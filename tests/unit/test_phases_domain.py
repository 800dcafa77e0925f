"""Phases' rules in memory: an item enters its line's first phase, due on the city's calendar, and a phase that
passes its due date is announced once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from puente.contracts.common import Line
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.phases.domain import PhasePlan, overdue, start_process
from tests.factories import propose_exchange

CITY = load_city_config(Settings())
APRENDE = [PhasePlan(phase.key, phase.duration_days) for phase in CITY.phases_of(Line.aprende)]


def test_late_evening_in_bogota_counts_from_the_bogota_date():
    late_evening = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)  # 22:30 on 28 February in Bogotá (UTC-5)
    assert CITY.city.local_date(late_evening) == date(2026, 2, 28)
    _, event = proposal_from(propose_exchange())
    process, started = start_process(str(event.payload.item_id), Line.aprende, event, APRENDE, late_evening,
                                     CITY.city.local_date(late_evening))
    assert APRENDE[0].duration_days == 30
    assert started.payload.due_on == date(2026, 3, 30), "30 days from 28 February, not from 1 March"
    assert process.phases[0].due_on == date(2026, 3, 30)
    assert [phase.status for phase in process.phases] == ["started"] + ["pending"] * 5
    assert [phase.key for phase in process.phases] == [plan.key for plan in APRENDE]


def test_a_phase_is_overdue_the_day_after_its_due_date_and_announced_once():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    _, event = proposal_from(propose_exchange())
    process, _ = start_process(str(event.payload.item_id), Line.aprende, event, APRENDE, now, date(2026, 3, 1))
    due = date(2026, 3, 31)
    assert overdue(process, due, now) is None, "on its due date a phase is not late yet"
    marked, announced = overdue(process, due + timedelta(days=3), now)
    assert announced.type == "phase.overdue" and announced.payload.days_overdue == 3
    assert announced.payload.due_on == due and announced.payload.phase_key == APRENDE[0].key
    assert marked.phases[0].overdue_announced and not process.phases[0].overdue_announced
    assert overdue(marked, due + timedelta(days=4), now) is None, "told once per phase, not every day"
    _, again = overdue(process, due + timedelta(days=5), now)
    assert again.event_id == announced.event_id, "a repeated run announces the same event id"


def test_a_due_date_in_working_days_skips_weekends_and_colombias_public_holidays():
    from services.phases.domain import due_date

    calendar = CITY.calendar
    friday = date(2026, 12, 4)
    # Monday 7, Tuesday 8 is a holiday (Immaculate Conception), Wednesday 9: the second working day.
    assert due_date(friday, 2, True, calendar) == date(2026, 12, 9)
    assert due_date(friday, 2, False, calendar) == date(2026, 12, 6)
    assert due_date(date(2026, 12, 31), 1, True, calendar) == date(2027, 1, 4), "1 January is a holiday"


def test_a_reminder_comes_once_before_the_due_date_and_lateness_on_a_cadence_each_step_once():
    from services.phases.domain import FollowUp, due_soon

    follow_up = FollowUp(due_soon_days=3, overdue_every_days=7)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    _, event = proposal_from(propose_exchange())
    process, _ = start_process(str(event.payload.item_id), Line.aprende, event, APRENDE, now, date(2026, 3, 1))
    due = date(2026, 3, 31)
    assert due_soon(process, due - timedelta(days=4), now, follow_up) is None
    process, soon = due_soon(process, due - timedelta(days=3), now, follow_up)
    assert (soon.type, soon.payload.days_left) == ("phase.due_soon", 3)
    assert due_soon(process, due - timedelta(days=1), now, follow_up) is None, "once per due date"

    steps = []
    for days_late in range(1, 30):
        found = overdue(process, due + timedelta(days=days_late), now, follow_up)
        if found is not None:
            process, late = found
            steps.append((days_late, late.payload.step))
    assert steps == [(1, 1), (8, 2), (15, 3), (22, 4), (29, 5)]

    _, fresh = proposal_from(propose_exchange(title="Otra"))
    other, _ = start_process(str(fresh.payload.item_id), Line.aprende, fresh, APRENDE, now, date(2026, 3, 1))
    other, caught_up = overdue(other, due + timedelta(days=20), now, follow_up)  # the service was down 20 days
    assert caught_up.payload.step == 3 and overdue(other, due + timedelta(days=21), now, follow_up) is None
