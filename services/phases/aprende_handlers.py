"""Phases' handlers for Bogotá Aprende's commands: the action plan's commitments and their progress. Each command
is authorized against phases' own directory, decided by `aprende`'s rules and announced in the command's
transaction; a refusal is announced instead, and nothing changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from puente.contracts.commitments import (
    CommitmentDue,
    CommitmentOverdue,
    CommitmentRecorded,
    CommitmentUpdated,
    RecordCommitment,
    ReportProgress,
)
from puente.contracts.envelope import Message
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.transaction import Transaction
from services.phases import aprende, domain
from services.phases.handlers import PEOPLE, PROCESSES, acting_person

log = get_logger(__name__)

ANNOUNCES = (CommitmentRecorded, CommitmentDue, CommitmentOverdue, CommitmentUpdated)

ExchangeCommand = RecordCommitment | ReportProgress
Refuse = Callable[[Message, PhasesRejectionReason, Transaction], Awaitable[str]]


def aprende_rules(city: CityConfig) -> aprende.AprendeRules:
    config = city.aprende
    return aprende.AprendeRules(
        matching_phase=config.matching_phase, record_phases=tuple(config.record_phases),
        action_plan_phase=config.action_plan_phase, survey_phases=tuple(config.survey_phases),
        questions=tuple(question.key for question in config.survey_questions),
        low_average=config.survey_low_average, min_answers=config.survey_min_answers,
    )


class AprendeHandlers:
    def __init__(self, topics: Topics, city: CityConfig, refuse: Refuse, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.rules = aprende_rules(city)
        self.refuse = refuse
        self.clock = clock

    def command_routes(self) -> Routes:
        return {RecordCommitment: self.on_exchange, ReportProgress: self.on_exchange}

    async def on_exchange(self, command: ExchangeCommand, transaction: Transaction) -> str:
        processes = transaction.collection(PROCESSES)
        process = await processes.get(str(command.payload.item_id))
        now = self.clock()
        today = self.city.city.local_date(now)
        try:
            acting = await acting_person(command, transaction)
            if isinstance(command, RecordCommitment):
                owner = await transaction.collection(PEOPLE).get(str(command.payload.owner_id))
                changed, events = aprende.record_commitment(process, command, acting, owner, self.rules, today, now)
            else:
                changed, events = aprende.report_progress(process, command, acting, now)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await processes.save(changed)
        for event in events:
            await transaction.announce(self.topics.phase_events, event)
        log.info("exchange changed", command_type=command.type, item_id=str(command.payload.item_id),
                 events=[event.type for event in events])
        return "applied"
