"""Phases' handlers: plain functions over a validated event and a transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from puente.contracts.events import ExchangeProposed, Line, PracticeProposed
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.outbox import Transaction
from services.phases import domain

PROCESSES = "processes"


class PhasesHandlers:
    def __init__(self, topics: Topics, city: CityConfig) -> None:
        self.topics = topics
        self.city = city

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        await transaction.claim(event)
        line = Line.aprende if isinstance(event, ExchangeProposed) else Line.ensena
        document, started = domain.start_process(str(event.payload.item_id), line, event, self.city, datetime.now(UTC))
        await transaction.database[PROCESSES].insert_one(document, session=transaction.session)
        await transaction.announce(self.topics.phase_events, started)
        return "applied"

    async def acknowledge(self, event, transaction: Transaction) -> str:
        """Events phases does not act on yet are still claimed, so counts of handled messages stay honest."""
        await transaction.claim(event)
        return "ignored"
