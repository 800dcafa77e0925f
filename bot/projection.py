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

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.common import Line
from puente.contracts.deliverables import DocumentRef
from puente.contracts.items import ExchangeProposed, ItemUpdated, PracticeProposed
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


ITEM_VIEWS = Stored("item_views", ItemView, indexed_by=[("proposer_id",), ("entity_id",), ("reference",)])
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
                ItemUpdated: self.item_updated}

    def phase_routes(self) -> Routes:
        return {PhaseStarted: self.phase_started, PhaseOverdue: self.phase_overdue,
                PhaseReturned: self.phase_returned, DeliverableSubmitted: self.deliverable_submitted,
                PhaseDueDateMoved: self.due_date_moved,
                ItemOnHold: self.course_changed, ItemResumed: self.course_changed,
                ItemWithdrawn: self.course_changed, ItemClosed: self.course_changed}

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
        await _change(transaction, str(event.payload.item_id), line=LINE_OF_PROPOSAL[type(event)],
                      reference=event.payload.reference, title=event.payload.title,
                      entity_id=event.payload.entity_id, proposer_id=event.actor.id,
                      proposed_at=event.occurred_at)
        return "applied"

    async def item_updated(self, event: ItemUpdated, transaction: Transaction) -> str:
        if event.payload.changes.title is None:
            return "ignored"
        await _change(transaction, str(event.payload.item_id), title=event.payload.changes.title)
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
