"""Phases' handlers for Bogotá Aprende's commands: the shortlist, the exchange's record, survey answers, the action
plan's commitments and their progress. Each command is authorized against phases' own directory (an answer is
anonymous), decided by `aprende`'s rules and announced in the command's transaction; a refusal is announced instead,
and nothing changes.

Phases keeps which catalogue entries exist (`catalogue`, from intake's `catalogue.entry_recorded`), so an unknown
expert, ally or practice is refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import BaseModel, ConfigDict

from puente.contracts.commitments import (
    CommitmentDue,
    CommitmentOverdue,
    CommitmentRecorded,
    CommitmentUpdated,
    RecordCommitment,
    ReportProgress,
)
from puente.contracts.envelope import Message
from puente.contracts.exchanges import (
    AddBudgetLine,
    AlliesRecorded,
    AssignLogistics,
    BudgetLineAdded,
    BudgetLineRemoved,
    ExchangeParticipantsRecorded,
    ExchangePlanned,
    ExpertsRecorded,
    LogisticsAssigned,
    PlanExchange,
    RecordAllies,
    RecordExchangeParticipants,
    RecordExperts,
    RemoveBudgetLine,
    Shortlist,
    ShortlistRecorded,
)
from puente.contracts.knowledge import CatalogueEntryRecorded, entry_id
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.surveys import AnswerSurvey, SurveyRequested, SurveyScoredLow, SurveySubmitted
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.phases import aprende, domain
from services.phases.handlers import PEOPLE, PROCESSES, acting_person, aprende_rules

log = get_logger(__name__)

ANNOUNCES = (ShortlistRecorded, ExchangePlanned, ExpertsRecorded, AlliesRecorded, BudgetLineAdded, BudgetLineRemoved,
             LogisticsAssigned, ExchangeParticipantsRecorded, SurveyRequested, SurveySubmitted, SurveyScoredLow,
             CommitmentRecorded, CommitmentDue, CommitmentOverdue, CommitmentUpdated)

ExchangeCommand = (Shortlist | PlanExchange | RecordExperts | RecordAllies | AddBudgetLine | RemoveBudgetLine
                   | AssignLogistics | RecordExchangeParticipants | RecordCommitment | ReportProgress)
EXCHANGE_COMMANDS = (Shortlist, PlanExchange, RecordExperts, RecordAllies, AddBudgetLine, RemoveBudgetLine,
                     AssignLogistics, RecordExchangeParticipants, RecordCommitment, ReportProgress)


class KnownEntry(BaseModel):
    """A catalogue entry, as far as phases needs: that it exists."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<kind>:<key>"


KNOWN_ENTRIES = Stored("catalogue", KnownEntry)
Refuse = Callable[[Message, PhasesRejectionReason, Transaction], Awaitable[str]]


class AprendeHandlers:
    def __init__(self, topics: Topics, city: CityConfig, refuse: Refuse, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.rules = aprende_rules(city)
        self.refuse = refuse
        self.clock = clock

    def command_routes(self) -> Routes:
        return {**{command: self.on_exchange for command in EXCHANGE_COMMANDS}, AnswerSurvey: self.answer_survey}

    def catalogue_routes(self) -> Routes:
        return {CatalogueEntryRecorded: self.entry_recorded}

    async def entry_recorded(self, event: CatalogueEntryRecorded, transaction: Transaction) -> str:
        known = transaction.collection(KNOWN_ENTRIES)
        key = entry_id(event.payload.entry.kind, event.payload.key)
        if await known.get(key) is not None:
            return "ignored"
        await known.save(KnownEntry(id=key))
        return "applied"

    async def _known(self, transaction: Transaction, kind: str, keys) -> aprende.Known:
        known = transaction.collection(KNOWN_ENTRIES)
        return {f"{kind}:{key}" for key in keys if await known.get(f"{kind}:{key}") is not None}

    async def _decide(self, command: ExchangeCommand, process: domain.Process | None, acting, transaction: Transaction,
                      today, now) -> tuple[domain.Process, list[Message]]:
        people = transaction.collection(PEOPLE)
        payload = command.payload
        if isinstance(command, Shortlist):
            known = await self._known(transaction, "practice", [match.key for match in payload.practices])
            known |= await self._known(transaction, "expert", [match.key for match in payload.experts])
            return aprende.shortlist(process, command, acting, known, self.rules, now)
        if isinstance(command, PlanExchange):
            return aprende.plan_exchange(process, command, acting, self.rules, now)
        if isinstance(command, RecordExperts):
            known = await self._known(transaction, "expert", payload.expert_keys)
            return aprende.record_experts(process, command, acting, known, self.rules, now)
        if isinstance(command, RecordAllies):
            known = await self._known(transaction, "ally", payload.ally_keys)
            return aprende.record_allies(process, command, acting, known, now)
        if isinstance(command, AddBudgetLine):
            return aprende.add_budget_line(process, command, acting, self.rules, now)
        if isinstance(command, RemoveBudgetLine):
            return aprende.remove_budget_line(process, command, acting, self.rules, now)
        if isinstance(command, AssignLogistics):
            owner = await people.get(str(payload.owner_id))
            return aprende.assign_logistics(process, command, acting, owner, self.rules, now)
        if isinstance(command, RecordExchangeParticipants):
            return aprende.record_participants(process, command, acting, self.rules, now)
        if isinstance(command, RecordCommitment):
            owner = await people.get(str(payload.owner_id))
            return aprende.record_commitment(process, command, acting, owner, self.rules, today, now)
        return aprende.report_progress(process, command, acting, now)

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
            changed, events = await self._decide(command, process, acting, transaction, today, now)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await processes.save(changed)
        for event in events:
            await transaction.announce(self.topics.phase_events, event)
        log.info("exchange changed", command_type=command.type, item_id=str(command.payload.item_id),
                 events=[event.type for event in events])
        return "applied"
