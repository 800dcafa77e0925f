"""What the bot shows, kept from the events by a consumer in the bot process: each exchange and practice with its
title, its proposer, its current phase and due date, and whether that phase is late; and who is who in the
directory, by Telegram account.

The bot reads its own collection (`item_views` in the bot's database) and never asks a service. Events of one
item arrive in order on each topic, but the item topic and the phase topic are read side by side, so a view is
created by whichever event comes first and completed by the others.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.collaboration import (
    CollaborationAssigned,
    CollaborationCapacityExhausted,
    CollaborationClosed,
    CollaborationRequested,
    CompanionsNamed,
)
from puente.contracts.commitments import CommitmentRecorded, CommitmentUpdated
from puente.contracts.common import Line
from puente.contracts.deliverables import DocumentRef
from puente.contracts.evaluation import EvaluatorsAssigned, PracticeDecided, ScorecardSubmitted
from puente.contracts.exchanges import (
    AlliesRecorded,
    BudgetLineAdded,
    BudgetLineRemoved,
    ExchangeParticipantsRecorded,
    ExchangePlanned,
    ExpertsRecorded,
    LogisticsAssigned,
    MatchReason,
    ShortlistRecorded,
)
from puente.contracts.items import ExchangeProposed, ItemUpdated, PracticeProposed
from puente.contracts.knowledge import CatalogueEntryRecorded, Entry, entry_id
from puente.contracts.people import PersonChanged, PersonForgotten, PersonJoined, PersonRemoved, Role
from puente.contracts.phases import (
    DeliverableSubmitted,
    ItemClosed,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    PhaseDueDateMoved,
    PhaseOverdue,
    PhaseReturned,
    PhaseStarted,
)
from puente.contracts.surveys import SurveyRequested, SurveySubmitted
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneReached,
    ParticipantsRecorded,
    PromotionPlanned,
    PromotionRecorded,
    SystematizationScheduled,
    SystematizationSlipped,
)
from puente.wiring.dispatch import Routes
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction, UnitOfWork

LATEST_CHANGES = 5


class Change(BaseModel):
    """One step of an item's course, as its card lists it."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    kind: str  # the event's type
    phase_number: int
    text: str | None = None  # a return's note, a hold's or a withdrawal's reason


class Delivered(BaseModel):
    """A deliverable as the card shows it: its value, or the document to fetch back."""

    model_config = ConfigDict(frozen=True)

    value: str | None = None
    document: DocumentRef | None = None


class MilestoneView(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    due_on: date
    reached_on: date | None = None
    slipped: bool = False


class PromotionView(BaseModel):
    """A promotion planned (with its target date) or held (with its date, place and audience)."""

    model_config = ConfigDict(frozen=True)

    id: str
    channel: str
    name: str
    on: date
    held: bool
    place: str | None = None
    audience: int | None = None


class PracticeView(BaseModel):
    """What Bogotá Enseña adds to a practice's card: its evaluation, schedule, promotion and companions."""

    model_config = ConfigDict(frozen=True)

    evaluators: list[str] = Field(default_factory=list)  # person ids
    scorecards: dict[str, dict[str, int]] = Field(default_factory=dict)  # by evaluator
    comments: dict[str, str] = Field(default_factory=dict)  # by evaluator
    decision: str | None = None
    overall: float | None = None
    milestones: list[MilestoneView] = Field(default_factory=list)
    participants: dict[str, int] = Field(default_factory=dict)
    promotions: list[PromotionView] = Field(default_factory=list)
    companions: list[str] = Field(default_factory=list)  # person ids
    requests: dict[str, str] = Field(default_factory=dict)  # collaboration request id: its status


class CommitmentView(BaseModel):
    """One commitment of an exchange's action plan, as /compromisos lists it."""

    model_config = ConfigDict(frozen=True)

    number: int
    action: str
    owner_id: str  # a person id
    due_on: date
    indicator: str
    target: str
    status: str = "not_started"
    progress_percent: int = 0
    note: str | None = None


class MatchView(BaseModel):
    """A shortlisted practice or expert, with the reasons it was suggested."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    reasons: list[MatchReason]


class BudgetLineView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    concept: str
    amount: Decimal
    currency: str
    paid_by: str  # "program", or an ally's key


class LogisticsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    owner_id: str
    done: bool = False


class PlanView(BaseModel):
    model_config = ConfigDict(frozen=True)

    instrument: str
    starts_on: date
    ends_on: date
    city: str
    country: str


class ExchangeView(BaseModel):
    """What Bogotá Aprende adds to an exchange's card: the shortlist, its record and its action plan."""

    model_config = ConfigDict(frozen=True)

    shortlisted_practices: list[MatchView] = Field(default_factory=list)
    shortlisted_experts: list[MatchView] = Field(default_factory=list)
    plan: PlanView | None = None
    experts: list[str] = Field(default_factory=list)  # catalogue keys
    allies: list[str] = Field(default_factory=list)
    budget: list[BudgetLineView] = Field(default_factory=list)
    logistics: dict[str, LogisticsView] = Field(default_factory=dict)  # by task
    participants: dict[str, int] = Field(default_factory=dict)
    commitments: list[CommitmentView] = Field(default_factory=list)

    def commitment(self, number: int) -> CommitmentView | None:
        return next((commitment for commitment in self.commitments if commitment.number == number), None)


class CatalogueView(BaseModel):
    """An entry of Aprende's catalogue: a practice, an expert or an ally."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<kind>:<key>"
    kind: str
    key: str
    entry: Entry
    recorded_at: datetime

    @property
    def name(self) -> str:
        return self.entry.title if self.entry.kind == "practice" else self.entry.name


class SurveyView(BaseModel):
    """A survey of an exchange's participants: what the link opens, and its results so far (no names: respondents
    are keyed hashes)."""

    model_config = ConfigDict(frozen=True)

    id: str  # the survey's id
    code: str
    item_id: str
    phase_key: str
    questions: list[str]
    respondents: list[str] = Field(default_factory=list)
    totals: dict[str, int] = Field(default_factory=dict)
    comments: list[str] = Field(default_factory=list)  # the latest first, at most LATEST_COMMENTS

    def averages(self) -> dict[str, float]:
        answers = len(self.respondents)
        return {key: self.totals.get(key, 0) / answers for key in self.questions} if answers else {}


LATEST_COMMENTS = 10


class RequestView(BaseModel):
    """A collaboration request, as /solicitudes lists it."""

    model_config = ConfigDict(frozen=True)

    id: str
    item_id: str
    entity_id: str | None = None
    requester: str
    city: str
    country: str
    kind: str
    description: str
    requested_at: datetime
    status: str = "waiting"  # waiting, assigned, closed
    companion_id: str | None = None
    outcome: str | None = None


class ItemView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    reference: str | None = None  # AP-2026-0007
    line: Line | None = None
    title: str | None = None
    entity_id: str | None = None
    proposer_id: str | None = None
    proposed_at: datetime | None = None
    phase_number: int | None = None
    phase_key: str | None = None
    due_on: date | None = None
    overdue: bool = False
    status: str = "active"  # active, on_hold, closed, withdrawn
    changes: list[Change] = Field(default_factory=list)  # the latest first, at most LATEST_CHANGES
    delivered: dict[str, Delivered] = Field(default_factory=dict)  # by "<phase number>:<deliverable key>"
    sector: str | None = None
    topic: str | None = None
    about: str | None = None  # a practice's summary or an exchange's need: with the topic, what evaluators match
    countries: list[str] = Field(default_factory=list)  # an exchange's countries of interest
    practice: PracticeView | None = None  # an Enseña practice's
    exchange: ExchangeView | None = None  # an Aprende exchange's

    def delivered_in(self, phase_number: int, key: str) -> Delivered | None:
        return self.delivered.get(f"{phase_number}:{key}")


class PersonView(BaseModel):
    """Who is speaking: a person of the directory, by their Telegram account."""

    model_config = ConfigDict(frozen=True)

    id: str  # the person's id
    telegram_user_id: int
    name: str
    role: Role
    entity_id: str | None
    language: str
    active: bool = True
    joined_at: datetime | None = None
    sectors: list[str] = Field(default_factory=list)  # an evaluator's
    topics: list[str] = Field(default_factory=list)


# Ends a Telegram account's conversations and drops its chat state (what it was typing, its chosen language).
EndChatState = Callable[[int], Awaitable[None]]


async def _keep_chat_state(telegram_user_id: int) -> None:
    return None


RequestEvent = CollaborationAssigned | CollaborationCapacityExhausted | CollaborationClosed
ITEM_VIEWS = Stored("item_views", ItemView, indexed_by=[("proposer_id",), ("entity_id",), ("reference",)])
REQUEST_VIEWS = Stored("request_views", RequestView, indexed_by=[("status",), ("entity_id",)])
SURVEY_VIEWS = Stored("survey_views", SurveyView, indexed_by=[("code",), ("item_id",)])
CATALOGUE_VIEWS = Stored("catalogue_views", CatalogueView, indexed_by=[("kind",)])
PERSON_VIEWS = Stored("person_views", PersonView, indexed_by=[("telegram_user_id",)])
LINE_OF_PROPOSAL = {ExchangeProposed: Line.aprende, PracticeProposed: Line.ensena}


COURSE_STATUS = {ItemOnHold: "on_hold", ItemResumed: "active", ItemWithdrawn: "withdrawn", ItemClosed: "closed"}


def _with_change(view: ItemView | None, event, text: str | None = None) -> list[Change]:
    """The item's latest changes with this one first (once, even if the event comes again)."""
    earlier = view.changes if view is not None else []
    change = Change(at=event.occurred_at, kind=event.type, phase_number=event.payload.phase_number, text=text)
    return [change, *[kept for kept in earlier if kept != change]][:LATEST_CHANGES]


async def _change(transaction: Transaction, item_id: str, **changes) -> None:
    views = transaction.collection(ITEM_VIEWS)
    view = await views.get(item_id) or ItemView(id=item_id)
    await views.save(view.model_copy(update=changes))


class BotProjection:
    def __init__(self, end_chat_state: EndChatState = _keep_chat_state) -> None:
        # The running bot passes its Telegram application's; the projection alone (tests, a rebuild) has none.
        self.end_chat_state = end_chat_state

    def item_routes(self) -> Routes:
        return {ExchangeProposed: self.item_proposed, PracticeProposed: self.item_proposed,
                ItemUpdated: self.item_updated, CatalogueEntryRecorded: self.catalogue_entry_recorded}

    def phase_routes(self) -> Routes:
        return {PhaseStarted: self.phase_started, PhaseOverdue: self.phase_overdue,
                PhaseReturned: self.phase_returned, DeliverableSubmitted: self.deliverable_submitted,
                PhaseDueDateMoved: self.due_date_moved,
                ItemOnHold: self.course_changed, ItemResumed: self.course_changed,
                ItemWithdrawn: self.course_changed, ItemClosed: self.course_changed}

    def practice_routes(self) -> Routes:
        """Enseña's events, on the phase topic beside the others."""
        return {EvaluatorsAssigned: self.evaluators_assigned, ScorecardSubmitted: self.scorecard_submitted,
                PracticeDecided: self.practice_decided, SystematizationScheduled: self.systematization_scheduled,
                MilestoneMoved: self.milestone_changed, MilestoneReached: self.milestone_changed,
                SystematizationSlipped: self.milestone_changed, ParticipantsRecorded: self.participants_recorded,
                PromotionPlanned: self.promotion, PromotionRecorded: self.promotion,
                CompanionsNamed: self.companions_named, CollaborationRequested: self.collaboration_requested,
                CollaborationAssigned: self.collaboration_assigned,
                CollaborationCapacityExhausted: self.collaboration_waiting,
                CollaborationClosed: self.collaboration_closed}

    def exchange_routes(self) -> Routes:
        """Aprende's events, on the phase topic beside the others."""
        return {CommitmentRecorded: self.commitment_recorded, CommitmentUpdated: self.commitment_updated,
                SurveyRequested: self.survey_requested, SurveySubmitted: self.survey_submitted,
                ShortlistRecorded: self.shortlist_recorded, ExchangePlanned: self.exchange_planned,
                ExpertsRecorded: self.experts_recorded, AlliesRecorded: self.allies_recorded,
                BudgetLineAdded: self.budget_line_added, BudgetLineRemoved: self.budget_line_removed,
                LogisticsAssigned: self.logistics_assigned,
                ExchangeParticipantsRecorded: self.exchange_participants_recorded}

    def people_routes(self) -> Routes:
        return {PersonJoined: self.person_joined, PersonRemoved: self.person_removed,
                PersonChanged: self.person_changed, PersonForgotten: self.person_forgotten}

    async def person_changed(self, event: PersonChanged, transaction: Transaction) -> str:
        views = transaction.collection(PERSON_VIEWS)
        person = await views.get(str(event.payload.person_id))
        if person is None:
            return "ignored"
        await views.save(person.model_copy(update={"role": event.payload.role, "entity_id": event.payload.entity_id}))
        return "applied"

    async def person_removed(self, event: PersonRemoved, transaction: Transaction) -> str:
        views = transaction.collection(PERSON_VIEWS)
        person = await views.get(str(event.payload.person_id))
        if person is None:
            return "ignored"
        await views.save(person.model_copy(update={"active": False}))
        await self.end_chat_state(person.telegram_user_id)  # a form left open must not resume if they come back
        return "applied"

    async def person_forgotten(self, event: PersonForgotten, transaction: Transaction) -> str:
        """Erase what the bot keeps of a person (habeas data): their view, their chat state and their account on
        the items they proposed, which stay with their entity. Ending the chat state is done again if the event
        is handled again, so a crash between the two loses nothing."""
        views = transaction.collection(PERSON_VIEWS)
        person = await views.get(str(event.payload.person_id))
        if person is None:
            return "ignored"
        await self.end_chat_state(person.telegram_user_id)
        items = transaction.collection(ITEM_VIEWS)
        for item in await items.find(proposer_id=str(person.telegram_user_id)):
            await items.save(item.model_copy(update={"proposer_id": None}))
        await views.delete(person.id)
        return "applied"

    async def person_joined(self, event: PersonJoined, transaction: Transaction) -> str:
        payload = event.payload
        await transaction.collection(PERSON_VIEWS).save(PersonView(
            id=str(payload.person_id), telegram_user_id=payload.telegram_user_id, name=payload.name,
            role=payload.role, entity_id=payload.entity_id, language=payload.language, joined_at=event.occurred_at,
            sectors=payload.sectors, topics=payload.topics,
        ))
        return "applied"

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        payload = event.payload
        about = payload.summary if isinstance(event, PracticeProposed) else payload.need
        countries = [] if isinstance(event, PracticeProposed) else list(payload.countries_of_interest)
        await _change(transaction, str(payload.item_id), line=LINE_OF_PROPOSAL[type(event)],
                      reference=payload.reference, title=payload.title, entity_id=payload.entity_id,
                      proposer_id=event.actor.id, proposed_at=event.occurred_at, sector=payload.sector,
                      topic=payload.topic, about=about, countries=countries)
        return "applied"

    async def item_updated(self, event: ItemUpdated, transaction: Transaction) -> str:
        changes = event.payload.changes
        about = changes.summary or changes.need
        changed = {field: value for field, value in (("title", changes.title), ("topic", changes.topic),
                                                     ("about", about), ("countries", changes.countries_of_interest))
                   if value is not None}
        if not changed:
            return "ignored"
        await _change(transaction, str(event.payload.item_id), **changed)
        return "applied"

    async def phase_started(self, event: PhaseStarted, transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        if view is not None and (view.phase_number or 0) > event.payload.phase_number:
            return "ignored"  # an earlier phase's event, read after a later one
        changes = {} if event.payload.phase_number == 1 else {"changes": _with_change(view, event)}
        await _change(transaction, str(event.payload.item_id), phase_number=event.payload.phase_number,
                      phase_key=event.payload.phase_key, due_on=event.payload.due_on, overdue=False, **changes)
        return "applied"

    async def phase_returned(self, event: PhaseReturned, transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        await _change(transaction, str(event.payload.item_id), phase_number=event.payload.phase_number,
                      phase_key=event.payload.phase_key, due_on=event.payload.due_on, overdue=False,
                      changes=_with_change(view, event, event.payload.note))
        return "applied"

    async def due_date_moved(self, event: PhaseDueDateMoved, transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        await _change(transaction, str(event.payload.item_id), due_on=event.payload.due_on, overdue=False,
                      changes=_with_change(view, event, f"{event.payload.due_on.isoformat()}: {event.payload.reason}"))
        return "applied"

    async def deliverable_submitted(self, event: DeliverableSubmitted, transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        delivered = {**(view.delivered if view is not None else {}),
                     f"{event.payload.phase_number}:{event.payload.key}": Delivered(
                         value=event.payload.value, document=event.payload.document)}
        await _change(transaction, str(event.payload.item_id), delivered=delivered)
        return "applied"

    async def course_changed(self, event: ItemOnHold | ItemResumed | ItemWithdrawn | ItemClosed,
                             transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        changes: dict = {"status": COURSE_STATUS[type(event)],
                         "changes": _with_change(view, event, event.payload.reason)}
        if isinstance(event, ItemResumed):
            changes.update(due_on=event.payload.due_on, overdue=False)
        await _change(transaction, str(event.payload.item_id), **changes)
        return "applied"

    # --- Bogotá Enseña ---------------------------------------------------------------------------------------------

    @staticmethod
    async def _practice(transaction: Transaction, item_id) -> PracticeView:
        view = await transaction.collection(ITEM_VIEWS).get(str(item_id))
        return view.practice if view is not None and view.practice is not None else PracticeView()

    async def _practice_changed(self, transaction: Transaction, item_id, **changes) -> str:
        practice = await self._practice(transaction, item_id)
        await _change(transaction, str(item_id), practice=practice.model_copy(update=changes))
        return "applied"

    async def evaluators_assigned(self, event: EvaluatorsAssigned, transaction: Transaction) -> str:
        return await self._practice_changed(transaction, event.payload.item_id,
                                            evaluators=[str(person) for person in event.payload.evaluator_ids])

    async def scorecard_submitted(self, event: ScorecardSubmitted, transaction: Transaction) -> str:
        practice = await self._practice(transaction, event.payload.item_id)
        evaluator = str(event.payload.evaluator_id)
        return await self._practice_changed(
            transaction, event.payload.item_id,
            scorecards={**practice.scorecards, evaluator: dict(event.payload.scores)},
            comments={**practice.comments, evaluator: event.payload.comment})

    async def practice_decided(self, event: PracticeDecided, transaction: Transaction) -> str:
        more = {"scorecards": {}, "comments": {}} if event.payload.decision.value == "more_information" else {}
        await self._practice_changed(transaction, event.payload.item_id, decision=event.payload.decision.value,
                                     overall=event.payload.overall, **more)
        if event.payload.decision.value == "not_selected":
            await _change(transaction, str(event.payload.item_id), status="not_selected")
        return "applied"

    async def systematization_scheduled(self, event: SystematizationScheduled, transaction: Transaction) -> str:
        return await self._practice_changed(transaction, event.payload.item_id, milestones=[
            MilestoneView(key=milestone.key, due_on=milestone.due_on) for milestone in event.payload.milestones])

    async def milestone_changed(self, event: MilestoneMoved | MilestoneReached | SystematizationSlipped,
                                transaction: Transaction) -> str:
        practice = await self._practice(transaction, event.payload.item_id)
        payload = event.payload
        if isinstance(event, MilestoneMoved):
            update = {"due_on": payload.due_on, "slipped": False}
        elif isinstance(event, MilestoneReached):
            update = {"reached_on": payload.reached_on, "slipped": False}
        else:
            update = {"slipped": True}
        milestones = [milestone.model_copy(update=update) if milestone.key == payload.key else milestone
                      for milestone in practice.milestones]
        return await self._practice_changed(transaction, payload.item_id, milestones=milestones)

    async def participants_recorded(self, event: ParticipantsRecorded, transaction: Transaction) -> str:
        return await self._practice_changed(transaction, event.payload.item_id, participants={
            kind.value: count for kind, count in event.payload.counts.items()})

    async def promotion(self, event: PromotionPlanned | PromotionRecorded, transaction: Transaction) -> str:
        payload = event.payload
        practice = await self._practice(transaction, payload.item_id)
        if isinstance(event, PromotionRecorded):
            view = PromotionView(id=str(payload.promotion_id), channel=payload.channel.value, name=payload.name,
                                 on=payload.held_on, held=True, place=f"{payload.city}, {payload.country}",
                                 audience=payload.audience)
        else:
            view = PromotionView(id=str(payload.promotion_id), channel=payload.channel.value, name=payload.name,
                                 on=payload.target_on, held=False)
        kept = [promotion for promotion in practice.promotions if promotion.id != view.id]
        return await self._practice_changed(transaction, payload.item_id, promotions=[*kept, view])

    async def companions_named(self, event: CompanionsNamed, transaction: Transaction) -> str:
        return await self._practice_changed(transaction, event.payload.item_id,
                                            companions=[str(person) for person in event.payload.companion_ids])

    async def _request_status(self, transaction: Transaction, item_id, request_id: str, status: str) -> None:
        practice = await self._practice(transaction, item_id)
        await self._practice_changed(transaction, item_id, requests={**practice.requests, request_id: status})

    async def collaboration_requested(self, event: CollaborationRequested, transaction: Transaction) -> str:
        payload = event.payload
        views = transaction.collection(REQUEST_VIEWS)
        item = await transaction.collection(ITEM_VIEWS).get(str(payload.item_id))
        known = await views.get(str(payload.request_id))
        await views.save(RequestView(
            id=str(payload.request_id), item_id=str(payload.item_id), entity_id=item.entity_id if item else None,
            requester=payload.requester, city=payload.city, country=payload.country, kind=payload.kind.value,
            description=payload.description, requested_at=event.occurred_at,
            status=known.status if known else "waiting", companion_id=known.companion_id if known else None))
        if known is None:
            await self._request_status(transaction, payload.item_id, str(payload.request_id), "waiting")
        return "applied"

    async def collaboration_assigned(self, event: CollaborationAssigned, transaction: Transaction) -> str:
        return await self._request_changed(event, transaction, status="assigned",
                                           companion_id=str(event.payload.companion_id))

    async def collaboration_waiting(self, event: CollaborationCapacityExhausted, transaction: Transaction) -> str:
        """Nobody had room: the request waits (a companion who left handed it back, or it is new)."""
        return await self._request_changed(event, transaction, status="waiting", companion_id=None)

    async def collaboration_closed(self, event: CollaborationClosed, transaction: Transaction) -> str:
        return await self._request_changed(event, transaction, status="closed", outcome=event.payload.outcome.value)

    async def _request_changed(self, event: RequestEvent, transaction: Transaction, **changes) -> str:
        """A request's assignment or close. The request's own event may come later (not on this topic, but from
        another partition's order): the view is created with placeholders, and completed then."""
        payload = event.payload
        views = transaction.collection(REQUEST_VIEWS)
        view = await views.get(str(payload.request_id))
        if view is not None and view.status == "closed":
            return "ignored"
        if view is None:
            view = RequestView(id=str(payload.request_id), item_id=str(payload.item_id), requester="—", city="—",
                               country="—", kind="information", description="—", requested_at=event.occurred_at)
        await views.save(view.model_copy(update=changes))
        await self._request_status(transaction, payload.item_id, str(payload.request_id), changes["status"])
        return "applied"

    # --- Bogotá Aprende ---------------------------------------------------------------------------------------------

    @staticmethod
    async def _exchange(transaction: Transaction, item_id) -> ExchangeView:
        view = await transaction.collection(ITEM_VIEWS).get(str(item_id))
        return view.exchange if view is not None and view.exchange is not None else ExchangeView()

    async def _exchange_changed(self, transaction: Transaction, item_id, **changes) -> str:
        exchange = await self._exchange(transaction, item_id)
        await _change(transaction, str(item_id), exchange=exchange.model_copy(update=changes))
        return "applied"

    async def commitment_recorded(self, event: CommitmentRecorded, transaction: Transaction) -> str:
        payload = event.payload
        exchange = await self._exchange(transaction, payload.item_id)
        if exchange.commitment(payload.number) is not None:
            return "ignored"
        commitment = CommitmentView(number=payload.number, action=payload.action, owner_id=str(payload.owner_id),
                                    due_on=payload.due_on, indicator=payload.indicator, target=payload.target)
        return await self._exchange_changed(transaction, payload.item_id,
                                            commitments=[*exchange.commitments, commitment])

    async def commitment_updated(self, event: CommitmentUpdated, transaction: Transaction) -> str:
        payload = event.payload
        exchange = await self._exchange(transaction, payload.item_id)
        update = {"status": payload.status.value, "progress_percent": payload.progress_percent, "note": payload.note}
        return await self._exchange_changed(transaction, payload.item_id, commitments=[
            commitment.model_copy(update=update) if commitment.number == payload.number else commitment
            for commitment in exchange.commitments])

    async def catalogue_entry_recorded(self, event: CatalogueEntryRecorded, transaction: Transaction) -> str:
        payload = event.payload
        await transaction.collection(CATALOGUE_VIEWS).save(CatalogueView(
            id=entry_id(payload.entry.kind, payload.key), kind=payload.entry.kind, key=payload.key,
            entry=payload.entry, recorded_at=event.occurred_at))
        return "applied"

    async def shortlist_recorded(self, event: ShortlistRecorded, transaction: Transaction) -> str:
        payload = event.payload

        def kept(matches) -> list[MatchView]:
            return [MatchView(key=match.key, name=match.name, reasons=match.reasons) for match in matches]

        return await self._exchange_changed(transaction, payload.item_id,
                                            shortlisted_practices=kept(payload.practices),
                                            shortlisted_experts=kept(payload.experts))

    async def exchange_planned(self, event: ExchangePlanned, transaction: Transaction) -> str:
        payload = event.payload
        return await self._exchange_changed(transaction, payload.item_id, plan=PlanView(
            instrument=payload.instrument.value, starts_on=payload.starts_on, ends_on=payload.ends_on,
            city=payload.city, country=payload.country))

    async def experts_recorded(self, event: ExpertsRecorded, transaction: Transaction) -> str:
        return await self._exchange_changed(transaction, event.payload.item_id, experts=event.payload.expert_keys)

    async def allies_recorded(self, event: AlliesRecorded, transaction: Transaction) -> str:
        return await self._exchange_changed(transaction, event.payload.item_id, allies=event.payload.ally_keys)

    async def budget_line_added(self, event: BudgetLineAdded, transaction: Transaction) -> str:
        payload = event.payload
        exchange = await self._exchange(transaction, payload.item_id)
        line = BudgetLineView(id=str(payload.line_id), concept=payload.concept, amount=payload.amount,
                              currency=payload.currency.value, paid_by=payload.paid_by)
        kept = [earlier for earlier in exchange.budget if earlier.id != line.id]
        return await self._exchange_changed(transaction, payload.item_id, budget=[*kept, line])

    async def budget_line_removed(self, event: BudgetLineRemoved, transaction: Transaction) -> str:
        exchange = await self._exchange(transaction, event.payload.item_id)
        return await self._exchange_changed(transaction, event.payload.item_id, budget=[
            line for line in exchange.budget if line.id != str(event.payload.line_id)])

    async def logistics_assigned(self, event: LogisticsAssigned, transaction: Transaction) -> str:
        payload = event.payload
        exchange = await self._exchange(transaction, payload.item_id)
        return await self._exchange_changed(transaction, payload.item_id, logistics={
            **exchange.logistics, payload.task.value: LogisticsView(owner_id=str(payload.owner_id),
                                                                    done=payload.done)})

    async def exchange_participants_recorded(self, event: ExchangeParticipantsRecorded,
                                             transaction: Transaction) -> str:
        return await self._exchange_changed(transaction, event.payload.item_id, participants={
            kind.value: count for kind, count in event.payload.counts.items()})

    async def survey_requested(self, event: SurveyRequested, transaction: Transaction) -> str:
        payload = event.payload
        views = transaction.collection(SURVEY_VIEWS)
        if await views.get(str(payload.survey_id)) is not None:
            return "ignored"
        await views.save(SurveyView(id=str(payload.survey_id), code=payload.code, item_id=str(payload.item_id),
                                    phase_key=payload.phase_key, questions=payload.questions))
        return "applied"

    async def survey_submitted(self, event: SurveySubmitted, transaction: Transaction) -> str:
        payload = event.payload
        views = transaction.collection(SURVEY_VIEWS)
        view = await views.get(str(payload.survey_id))
        if view is None or payload.respondent in view.respondents:
            return "ignored"
        comments = [payload.comment, *view.comments][:LATEST_COMMENTS] if payload.comment else view.comments
        await views.save(view.model_copy(update={
            "respondents": [*view.respondents, payload.respondent], "comments": comments,
            "totals": {key: view.totals.get(key, 0) + payload.ratings.get(key, 0) for key in view.questions}}))
        return "applied"

    async def phase_overdue(self, event: PhaseOverdue, transaction: Transaction) -> str:
        view = await transaction.collection(ITEM_VIEWS).get(str(event.payload.item_id))
        if view is not None and (view.phase_number or 0) > event.payload.phase_number:
            return "ignored"  # that phase is over
        await _change(transaction, str(event.payload.item_id), phase_number=event.payload.phase_number,
                      phase_key=event.payload.phase_key, due_on=event.payload.due_on, overdue=True)
        return "applied"


async def items_proposed_by(unit_of_work: UnitOfWork, person_id: str) -> list[ItemView]:
    """A person's exchanges and practices, newest first (a view whose item event has not arrived yet is left out)."""
    async def read(transaction: Transaction) -> list[ItemView]:
        return await transaction.collection(ITEM_VIEWS).find(proposer_id=person_id)

    views = [view for view in await unit_of_work.run(read) or [] if view.proposed_at is not None]
    return sorted(views, key=lambda view: (view.proposed_at, view.id), reverse=True)


async def person_speaking(unit_of_work: UnitOfWork, telegram_user_id: int) -> PersonView | None:
    """The active person behind a Telegram account, as the bot's view of the directory knows them."""
    async def read(transaction: Transaction) -> list[PersonView]:
        return await transaction.collection(PERSON_VIEWS).find(telegram_user_id=telegram_user_id)

    active = [person for person in await unit_of_work.run(read) or [] if person.active]
    return active[0] if active else None


async def account_known(unit_of_work: UnitOfWork, telegram_user_id: int) -> PersonView | None:
    """Any person the bot's view knows behind a Telegram account, a removed one too (the active one first): what a
    person may ask about their own data does not end with their membership."""
    async def read(transaction: Transaction) -> list[PersonView]:
        return await transaction.collection(PERSON_VIEWS).find(telegram_user_id=telegram_user_id)

    known = sorted(await unit_of_work.run(read) or [], key=lambda person: not person.active)
    return known[0] if known else None


async def people_of(unit_of_work: UnitOfWork, entity_id: str | None) -> list[PersonView]:
    """The active people of an entity (None: the program's coordinators and administrators), by name."""
    async def read(transaction: Transaction) -> list[PersonView]:
        return await transaction.collection(PERSON_VIEWS).find(entity_id=entity_id, active=True)

    return sorted(await unit_of_work.run(read) or [], key=lambda person: (person.name, person.id))


async def items_of(unit_of_work: UnitOfWork, entity_id: str | None) -> list[ItemView]:
    """An entity's exchanges and practices, or (None) every entity's."""
    async def read(transaction: Transaction) -> list[ItemView]:
        views = transaction.collection(ITEM_VIEWS)
        return await (views.find() if entity_id is None else views.find(entity_id=entity_id))

    return await unit_of_work.run(read) or []


async def item_by_id(unit_of_work: UnitOfWork, item_id: str) -> ItemView | None:
    async def read(transaction: Transaction) -> ItemView | None:
        return await transaction.collection(ITEM_VIEWS).get(item_id)

    return await unit_of_work.run(read)


async def item_by_reference(unit_of_work: UnitOfWork, reference: str) -> ItemView | None:
    async def read(transaction: Transaction) -> list[ItemView]:
        return await transaction.collection(ITEM_VIEWS).find(reference=reference)

    found = await unit_of_work.run(read) or []
    return found[0] if found else None


async def person_by_id(unit_of_work: UnitOfWork, person_id: str) -> PersonView | None:
    async def read(transaction: Transaction) -> PersonView | None:
        return await transaction.collection(PERSON_VIEWS).get(person_id)

    return await unit_of_work.run(read)


async def requests_of(unit_of_work: UnitOfWork, entity_id: str | None) -> list[RequestView]:
    """The open collaboration requests about an entity's practices, or (None) every entity's: waiting ones first,
    oldest first."""
    async def read(transaction: Transaction) -> list[RequestView]:
        views = transaction.collection(REQUEST_VIEWS)
        found = await (views.find() if entity_id is None else views.find(entity_id=entity_id))
        return [view for view in found if view.status != "closed"]

    return sorted(await unit_of_work.run(read) or [],
                  key=lambda view: (view.status != "waiting", view.requested_at, view.id))


async def request_by_id(unit_of_work: UnitOfWork, request_id: str) -> RequestView | None:
    async def read(transaction: Transaction) -> RequestView | None:
        return await transaction.collection(REQUEST_VIEWS).get(request_id)

    return await unit_of_work.run(read)


async def evaluators(unit_of_work: UnitOfWork) -> list[PersonView]:
    """The program's active evaluators, by name."""
    async def read(transaction: Transaction) -> list[PersonView]:
        return await transaction.collection(PERSON_VIEWS).find(role=Role.evaluator, active=True)

    return sorted(await unit_of_work.run(read) or [], key=lambda person: (person.name, person.id))


async def survey_by_code(unit_of_work: UnitOfWork, code: str) -> SurveyView | None:
    async def read(transaction: Transaction) -> list[SurveyView]:
        return await transaction.collection(SURVEY_VIEWS).find(code=code)

    found = await unit_of_work.run(read) or []
    return found[0] if found else None


async def surveys_of(unit_of_work: UnitOfWork, item_id: str) -> list[SurveyView]:
    """An exchange's surveys, in the order of their phases' keys as the card lists them."""
    async def read(transaction: Transaction) -> list[SurveyView]:
        return await transaction.collection(SURVEY_VIEWS).find(item_id=item_id)

    return await unit_of_work.run(read) or []


async def catalogue_of(unit_of_work: UnitOfWork, kind: str) -> list[CatalogueView]:
    """The catalogue's entries of a kind (practice, expert, ally), by name."""
    async def read(transaction: Transaction) -> list[CatalogueView]:
        return await transaction.collection(CATALOGUE_VIEWS).find(kind=kind)

    return sorted(await unit_of_work.run(read) or [], key=lambda view: (view.name.casefold(), view.key))


async def catalogue_entry(unit_of_work: UnitOfWork, kind: str, key: str) -> CatalogueView | None:
    async def read(transaction: Transaction) -> CatalogueView | None:
        return await transaction.collection(CATALOGUE_VIEWS).get(entry_id(kind, key))

    return await unit_of_work.run(read)


async def expert_history(unit_of_work: UnitOfWork, min_answers: int = 1) -> dict[str, tuple[int, float | None]]:
    """Each expert's exchanges in the program (by catalogue key), and the average of those exchanges' surveys that
    have `min_answers` answers or more (below that, an average could tell one person's answer)."""
    async def read(transaction: Transaction) -> tuple[list[ItemView], list[SurveyView]]:
        return (await transaction.collection(ITEM_VIEWS).find(line=Line.aprende),
                await transaction.collection(SURVEY_VIEWS).find())

    items, surveys = await unit_of_work.run(read) or ([], [])
    averages: dict[str, list[float]] = {}
    for survey in surveys:
        if survey.respondents and len(survey.respondents) >= min_answers:
            averages.setdefault(survey.item_id, []).append(sum(survey.averages().values()) / len(survey.questions))
    history: dict[str, tuple[int, list[float]]] = {}
    for item in items:
        for key in item.exchange.experts if item.exchange else []:
            count, scores = history.get(key, (0, []))
            history[key] = (count + 1, scores + averages.get(item.id, []))
    return {key: (count, sum(scores) / len(scores) if scores else None) for key, (count, scores) in history.items()}
