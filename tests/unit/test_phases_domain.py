"""Phases' rules in memory: an item enters its line's first phase, due on the city's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from puente.contracts.events import Line
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.phases.domain import start_process
from tests.factories import propose_exchange

CITY = load_city_config(Settings())


def test_late_evening_in_bogota_counts_from_the_bogota_date():
    late_evening = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)  # 22:30 on 28 February in Bogotá (UTC-5)
    assert CITY.city.local_date(late_evening) == date(2026, 2, 28)
    _, event = proposal_from(propose_exchange())
    phases = CITY.phases_of(Line.aprende)
    document, started = start_process(str(event.payload.item_id), Line.aprende, event, phases, late_evening,
                                      CITY.city.local_date(late_evening))
    assert phases[0].duration_days == 30
    assert started.payload.due_on == date(2026, 3, 30), "30 days from 28 February, not from 1 March"
    assert document["phases"][0]["due_on"] == "2026-03-30"
    assert [phase["status"] for phase in document["phases"]] == ["started"] + ["pending"] * 5
