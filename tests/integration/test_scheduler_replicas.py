"""Two replicas of phases, running side by side on the real servers with one clock the test sets, do each daily
scan once: a phase due soon is announced once, a late phase once per cadence step (Bogotá: every 7 days), and each
run is recorded once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pymongo import AsyncMongoClient

from puente.contracts import parse_message
from puente.wiring.clock import SettableClock
from services.phases.app import build_app as build_phases
from tests.handler_cases import EXCHANGE_PROPOSED, PRACTICE_PROPOSED
from tests.helpers import eventually, publish_message, read_topic, running_app

pytestmark = pytest.mark.integration


async def test_two_replicas_announce_each_late_phase_once(settings):
    clock = SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value(), tz_aware=True)
    database = mongo[settings.database_name("phases")]
    first, second = build_phases(settings, clock), build_phases(settings, clock)
    try:
        async with running_app(first), running_app(second):
            for proposal in (EXCHANGE_PROPOSED, PRACTICE_PROPOSED):
                await publish_message(settings, settings.topics.item_events, proposal)
            await eventually(lambda: database.scheduled_runs.find_one({"run_key": "2026-11-28"}),
                             message="the first day's scan")
            await eventually(lambda: _count(database.processes), message="both processes")

            # Both replicas wake on each new day at once; the exchange (30 days) is late from 29 December (and again
            # a week and two weeks later), the practice (45 days) is due soon on 10 January and late from 13 January.
            for day, moment in [("2026-12-29", datetime(2026, 12, 29, 11, 0, tzinfo=UTC)),
                                ("2026-12-30", datetime(2026, 12, 30, 11, 0, tzinfo=UTC)),
                                ("2027-01-05", datetime(2027, 1, 5, 11, 0, tzinfo=UTC)),
                                ("2027-01-10", datetime(2027, 1, 10, 11, 0, tzinfo=UTC)),
                                ("2027-01-13", datetime(2027, 1, 13, 12, 0, tzinfo=UTC))]:
                clock.set(moment)
                for replica in (first, second):
                    replica.runtime.scheduler.wake()
                await eventually(lambda day=day: database.scheduled_runs.find_one({"run_key": day}),
                                 message=f"the scan of {day}")

            events = [parse_message(record.value, settings.topics.messages_on(settings.topics.phase_events))
                      for record in await read_topic(settings, settings.topics.phase_events, expected=7)]
            runs = await database.scheduled_runs.find({}, {"_id": 1, "done": 1}).sort("_id", 1).to_list()
    finally:
        await mongo.close()
    late = sorted((event.payload.phase_key, event.payload.due_on.isoformat(), event.payload.days_overdue,
                   event.payload.step) for event in events if event.type == "phase.overdue")
    assert late == [("demand", "2026-12-28", 1, 1), ("demand", "2026-12-28", 8, 2), ("demand", "2026-12-28", 16, 3),
                    ("evaluation", "2027-01-12", 1, 1)]
    [soon] = [event for event in events if event.type == "phase.due_soon"]
    assert (soon.payload.phase_key, soon.payload.days_left) == ("evaluation", 2)
    assert sorted(event.type for event in events) == ["phase.due_soon"] + ["phase.overdue"] * 4 + ["phase.started"] * 2
    assert runs == [
        {"_id": "phases.overdue-scan:2026-11-28", "done": 0},
        {"_id": "phases.overdue-scan:2026-12-29", "done": 1},
        {"_id": "phases.overdue-scan:2026-12-30", "done": 0},
        {"_id": "phases.overdue-scan:2027-01-05", "done": 1},
        {"_id": "phases.overdue-scan:2027-01-10", "done": 1},
        {"_id": "phases.overdue-scan:2027-01-13", "done": 2},
    ]


async def _count(collection) -> int:
    return await collection.count_documents({}) == 2 or 0


