"""Reference codes in memory: each line counts its own proposals per year in the city's time zone, a redelivered
or rejected command uses up no number, and an old proposal without a code is still read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from puente.contracts.items import ExchangeProposed
from puente.wiring.clock import SettableClock
from services.intake.domain import proposal_from
from services.intake.repository import ITEMS
from tests.factories import propose_exchange, propose_practice, staff
from tests.helpers import in_memory_service, seat


async def references_after(intake, *commands) -> list[str | None]:
    for command in commands:
        await intake.dispatch(command)
    events = intake.unit_of_work.announced(intake.settings.topics.item_events)
    return [event.payload.reference for event in events if event.type.endswith(".proposed")]


async def test_each_line_counts_its_proposals_of_the_year_once(settings):
    clock = SettableClock(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))  # 18:00 in Bogotá: still 2026
    intake = in_memory_service("intake", settings, clock)
    await seat(intake, 5001, "staff", "sed")
    first = propose_exchange()
    assert await references_after(intake, first, first, propose_practice(), propose_exchange(entity_id="sds"),
                                  propose_exchange()) == ["AP-2026-0001", "EN-2026-0001", "AP-2026-0002"]
    assert "command.rejected" in [event.type for event in intake.unit_of_work.announced(
        intake.settings.topics.item_events)], "the sds proposal was refused, and used up no number"

    clock.set(datetime(2027, 1, 1, 5, 0, tzinfo=UTC))  # midnight in Bogotá: 2027 begins
    assert (await references_after(intake, propose_exchange()))[-1] == "AP-2027-0001"
    assert [item.reference for item in intake.unit_of_work.stored(ITEMS)].count("AP-2026-0002") == 1


def test_a_version_1_proposal_is_read_without_a_code():
    _, event = proposal_from(propose_exchange(actor=staff()))
    document = json.loads(event.to_bytes())
    del document["payload"]["reference"]
    document["version"] = 1
    read = ExchangeProposed.model_validate(document)
    assert (read.version, read.payload.reference) == (2, None)
