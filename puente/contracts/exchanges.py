"""A Bogotá Aprende exchange's record: the shortlist of catalogue practices and experts matched to its need (part of
its terms of reference), its plan (instrument, dates, place), the experts who took part and the allies involved,
its budget lines (who pays each, the program or an ally), its logistics checklist with an owner for each task, and
its participants by type. Commands go to phases, which checks them against the city's catalogue and announces the
facts."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from puente.contracts.common import CountryCode, ParticipantType, Payload
from puente.contracts.envelope import Message, ShortText, Slug
from puente.contracts.phases import ItemCommand
from puente.contracts.systematization import ParticipantCounts
from puente.contracts.topic_names import TopicName

MAX_SHORTLIST = 10  # of each kind
MAX_EXPERTS = 30
MAX_ALLIES = 20
MAX_BUDGET_LINES = 50
MAX_AMOUNT = Decimal("1000000000000")  # a trillion: COP amounts are large
PROGRAM = "program"  # a budget line the program itself pays
Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, max_digits=15, decimal_places=2)]


class Instrument(StrEnum):
    expert_mission = "expert_mission"
    study_visit = "study_visit"
    virtual_exchange = "virtual_exchange"
    workshop = "workshop"


class Currency(StrEnum):
    COP = "COP"
    USD = "USD"
    EUR = "EUR"


class LogisticsTask(StrEnum):
    travel = "travel"
    venue = "venue"
    interpretation = "interpretation"
    materials = "materials"


class ReasonKind(StrEnum):
    sector = "sector"  # the need's sector (detail: the sector's code)
    words = "words"  # words of the need found in the entry (detail: the words)
    country = "country"  # one of the countries of interest (detail: the country's code)
    history = "history"  # an expert's earlier exchanges (detail: "<count>" or "<count>:<average survey score>")


class MatchReason(Payload):
    kind: ReasonKind
    detail: ShortText


class Match(Payload):
    key: Slug
    name: ShortText = Field(description="The entry's title or name, as the catalogue had it when it was kept.")
    reasons: list[MatchReason] = Field(min_length=1, max_length=4)


# --- commands, from the bot to phases -------------------------------------------------------------------------


class ShortlistPayload(Payload):
    item_id: uuid.UUID
    practices: list[Match] = Field(default_factory=list, max_length=MAX_SHORTLIST)
    experts: list[Match] = Field(default_factory=list, max_length=MAX_SHORTLIST)

    @model_validator(mode="after")
    def _something(self) -> ShortlistPayload:
        if not self.practices and not self.experts:
            raise ValueError("a shortlist names at least one practice or expert")
        return self


class Shortlist(ItemCommand):
    """A coordinator keeps the suggested practices and experts that fit the need, each with its reasons."""

    type: Literal["shortlist"] = "shortlist"
    payload: ShortlistPayload


class PlanExchangePayload(Payload):
    item_id: uuid.UUID
    instrument: Instrument
    starts_on: date
    ends_on: date
    city: ShortText
    country: CountryCode

    @model_validator(mode="after")
    def _in_order(self) -> PlanExchangePayload:
        if self.ends_on < self.starts_on:
            raise ValueError("the exchange ends on or after the day it starts")
        return self


class PlanExchange(ItemCommand):
    type: Literal["plan_exchange"] = "plan_exchange"
    payload: PlanExchangePayload


class RecordExpertsPayload(Payload):
    item_id: uuid.UUID
    expert_keys: list[Slug] = Field(max_length=MAX_EXPERTS)


class RecordExperts(ItemCommand):
    """The catalogue's experts who take part in the exchange (it replaces the earlier list)."""

    type: Literal["record_experts"] = "record_experts"
    payload: RecordExpertsPayload


class RecordAlliesPayload(Payload):
    item_id: uuid.UUID
    ally_keys: list[Slug] = Field(max_length=MAX_ALLIES)


class RecordAllies(ItemCommand):
    """The catalogue's allies involved in the exchange, from its first phase (it replaces the earlier list)."""

    type: Literal["record_allies"] = "record_allies"
    payload: RecordAlliesPayload


class BudgetLine(Payload):
    concept: ShortText
    amount: Amount
    currency: Currency
    paid_by: Slug = Field(description=f"'{PROGRAM}', or the key of an ally involved in the exchange.")


class AddBudgetLinePayload(BudgetLine):
    item_id: uuid.UUID
    line_id: uuid.UUID


class AddBudgetLine(ItemCommand):
    type: Literal["add_budget_line"] = "add_budget_line"
    payload: AddBudgetLinePayload


class RemoveBudgetLinePayload(Payload):
    item_id: uuid.UUID
    line_id: uuid.UUID


class RemoveBudgetLine(ItemCommand):
    type: Literal["remove_budget_line"] = "remove_budget_line"
    payload: RemoveBudgetLinePayload


class AssignLogisticsPayload(Payload):
    item_id: uuid.UUID
    task: LogisticsTask
    owner_id: uuid.UUID = Field(description="A person of the exchange's entity, or a coordinator.")
    done: bool = False


class AssignLogistics(ItemCommand):
    """A logistics task gets its owner, or is marked done."""

    type: Literal["assign_logistics"] = "assign_logistics"
    payload: AssignLogisticsPayload


class RecordExchangeParticipantsPayload(ParticipantCounts):
    item_id: uuid.UUID


class RecordExchangeParticipants(ItemCommand):
    """Who took part in the exchange, by type (it replaces an earlier count)."""

    type: Literal["record_exchange_participants"] = "record_exchange_participants"
    payload: RecordExchangeParticipantsPayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class ShortlistRecordedPayload(ShortlistPayload):
    pass


class ShortlistRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["shortlist.recorded"] = "shortlist.recorded"
    payload: ShortlistRecordedPayload


class ExchangePlannedPayload(PlanExchangePayload):
    pass


class ExchangePlanned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["exchange.planned"] = "exchange.planned"
    payload: ExchangePlannedPayload


class ExpertsRecordedPayload(RecordExpertsPayload):
    pass


class ExpertsRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["experts.recorded"] = "experts.recorded"
    payload: ExpertsRecordedPayload


class AlliesRecordedPayload(RecordAlliesPayload):
    pass


class AlliesRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["allies.recorded"] = "allies.recorded"
    payload: AlliesRecordedPayload


class BudgetLineAddedPayload(AddBudgetLinePayload):
    pass


class BudgetLineAdded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["budget_line.added"] = "budget_line.added"
    payload: BudgetLineAddedPayload


class BudgetLineRemovedPayload(RemoveBudgetLinePayload):
    pass


class BudgetLineRemoved(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["budget_line.removed"] = "budget_line.removed"
    payload: BudgetLineRemovedPayload


class LogisticsAssignedPayload(AssignLogisticsPayload):
    pass


class LogisticsAssigned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["logistics.assigned"] = "logistics.assigned"
    payload: LogisticsAssignedPayload


class ExchangeParticipantsRecordedPayload(RecordExchangeParticipantsPayload):
    pass


class ExchangeParticipantsRecorded(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["exchange_participants.recorded"] = "exchange_participants.recorded"
    payload: ExchangeParticipantsRecordedPayload


PARTICIPANT_TYPES = list(ParticipantType)
MESSAGES = (Shortlist, PlanExchange, RecordExperts, RecordAllies, AddBudgetLine, RemoveBudgetLine, AssignLogistics,
            RecordExchangeParticipants, ShortlistRecorded, ExchangePlanned, ExpertsRecorded, AlliesRecorded,
            BudgetLineAdded, BudgetLineRemoved, LogisticsAssigned, ExchangeParticipantsRecorded)
