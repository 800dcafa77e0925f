"""Phases' handlers: plain functions over a validated event and a transaction, and its routing table."""

from __future__ import annotations

from puente.contracts.events import ExchangeProposed, Line, PracticeProposed
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.outbox import Transaction
from puente.wiring.service import Routes
from services.phases import domain

PROCESSES = "processes"
LINE_OF_PROPOSAL = {ExchangeProposed: Line.aprende, PracticeProposed: Line.ensena}


class PhasesHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.clock = clock

    def routes(self) -> Routes:
        return {ExchangeProposed: self.item_proposed, PracticeProposed: self.item_proposed}

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        line = LINE_OF_PROPOSAL[type(event)]
        now = self.clock()
        document, started = domain.start_process(
            str(event.payload.item_id), line, event, self.city.phases_of(line), now, self.city.city.local_date(now)
        )
        await transaction.database[PROCESSES].insert_one(document, session=transaction.session)
        await transaction.announce(self.topics.phase_events, started)
        return "applied"
