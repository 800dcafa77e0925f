"""Phases' handlers and timed jobs: plain functions over a validated event (or a run) and a transaction, and its
routing table."""

from __future__ import annotations

from datetime import datetime, time

from puente.contracts.common import Line
from puente.contracts.items import ExchangeProposed, PracticeProposed
from puente.contracts.phases import PhaseOverdue, PhaseStarted
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.scheduler import Job, daily_at
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.phases import domain

PROCESSES = Stored("processes", domain.Process, indexed_by=[("open",)])
LINE_OF_PROPOSAL = {ExchangeProposed: Line.aprende, PracticeProposed: Line.ensena}
OVERDUE_SCAN_AT = time(6, 0)  # city time: coordinators and entities hear of late phases at the start of the day


# The events phases announces (the AsyncAPI catalogue lists these), next to the handlers that announce them.
ANNOUNCES = (PhaseStarted, PhaseOverdue)

class PhasesHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.clock = clock

    def routes(self) -> Routes:
        return {ExchangeProposed: self.item_proposed, PracticeProposed: self.item_proposed}

    def jobs(self) -> list[Job]:
        return [Job("phases.overdue-scan", daily_at(OVERDUE_SCAN_AT, self.city.city.timezone), self.announce_overdue)]

    def plan_of(self, line: Line) -> list[domain.PhasePlan]:
        return [domain.PhasePlan(phase.key, phase.duration_days) for phase in self.city.phases_of(line)]

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        line = LINE_OF_PROPOSAL[type(event)]
        now = self.clock()
        process, started = domain.start_process(
            str(event.payload.item_id), line, event, self.plan_of(line), now, self.city.city.local_date(now)
        )
        await transaction.collection(PROCESSES).add(process)
        await transaction.announce(self.topics.phase_events, started)
        return "applied"

    async def announce_overdue(self, transaction: Transaction, run_key: str, now: datetime) -> int:
        """The daily scan: each open item whose current phase passed its due date is announced once."""
        processes = transaction.collection(PROCESSES)
        today = self.city.city.local_date(now)
        announced = 0
        for process in await processes.find(open=True):
            late = domain.overdue(process, today, now)
            if late is None:
                continue
            changed, event = late
            await processes.save(changed)
            await transaction.announce(self.topics.phase_events, event)
            announced += 1
        return announced
