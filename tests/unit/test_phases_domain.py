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
