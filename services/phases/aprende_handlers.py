"""Phases' handlers for Bogotá Aprende's commands: survey answers, the action plan's commitments and their
progress. Each command is authorized against phases' own directory (an answer is anonymous), decided by `aprende`'s
rules and announced in the command's transaction; a refusal is announced instead, and nothing changes."""

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
from puente.contracts.surveys import AnswerSurvey, SurveyRequested, SurveyScoredLow, SurveySubmitted
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.transaction import Transaction
from services.phases import aprende, domain
from services.phases.handlers import PEOPLE, PROCESSES, acting_person, aprende_rules

log = get_logger(__name__)

ANNOUNCES = (SurveyRequested, SurveySubmitted, SurveyScoredLow, CommitmentRecorded, CommitmentDue, CommitmentOverdue,
             CommitmentUpdated)

ExchangeCommand = RecordCommitment | ReportProgress
Refuse = Callable[[Message, PhasesRejectionReason, Transaction], Awaitable[str]]


class AprendeHandlers:
    def __init__(self, topics: Topics, city: CityConfig, refuse: Refuse, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.rules = aprende_rules(city)
        self.refuse = refuse
        self.clock = clock

    def command_routes(self) -> Routes:
        return {RecordCommitment: self.on_exchange, ReportProgress: self.on_exchange,
                AnswerSurvey: self.answer_survey}

    async def answer_survey(self, command: AnswerSurvey, transaction: Transaction) -> str:
        """An anonymous answer: nobody in the directory acts, and a refusal reaches no chat (the bot checked what
        it could and told the person)."""
        processes = transaction.collection(PROCESSES)
        try:
            changed, events = aprende.answer_survey(await processes.get(str(command.payload.item_id)), command,
                                                    self.rules, self.clock())
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await processes.save(changed)
        for event in events:
            await transaction.announce(self.topics.phase_events, event)
        log.info("survey answered", item_id=str(command.payload.item_id), survey_id=str(command.payload.survey_id),
                 events=[event.type for event in events])
        return "applied"

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
