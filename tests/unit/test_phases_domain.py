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


class RecordingCollection:
    def __init__(self) -> None:
        self.inserted: list[dict] = []

    async def insert_one(self, document: dict, session=None) -> None:
        self.inserted.append(document)


class RecordingTransaction:
    """Just enough of a transaction for a handler that inserts and announces."""

    def __init__(self) -> None:
        self.collections: dict[str, RecordingCollection] = {}
        self.session = None
        self.announced: list = []

    @property
    def database(self) -> dict[str, RecordingCollection]:
        return self.collections

    async def announce(self, topic: str, event) -> None:
        self.announced.append(event)


async def test_the_handler_dates_the_first_phase_on_the_city_calendar():
    from services.phases.handlers import PROCESSES, PhasesHandlers

    late_evening = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)
    handlers = PhasesHandlers(Settings().topics, CITY, clock=lambda: late_evening)
    transaction = RecordingTransaction()
    transaction.collections[PROCESSES] = RecordingCollection()
    _, event = proposal_from(propose_exchange())
    assert await handlers.item_proposed(event, transaction) == "applied"
    [started] = transaction.announced
    assert started.payload.due_on == date(2026, 3, 30)
