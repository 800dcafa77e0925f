"""Notifier's handlers: each event becomes stored notifications, in the transaction that claims the event."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from puente.contracts.items import ExchangeProposed, ItemUpdated, PracticeProposed
from puente.contracts.knowledge import CatalogueEntryRecorded
from puente.contracts.people import PersonChanged, PersonForgotten, PersonJoined, PersonRemoved, Role
from puente.contracts.phases import (
    DeliverableSubmitted,
    ItemClosed,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    PhaseDueDateMoved,
    PhaseDueSoon,
    PhaseOverdue,
    PhaseReturned,
    PhaseStarted,
)
from puente.contracts.rejections import CommandRejected
from puente.contracts.reporting import DigestGenerated, ReportGenerated
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock
from puente.wiring.dispatch import Routes
from puente.wiring.outbox import INBOX_RETENTION_SECONDS
from puente.wiring.scheduler import Job, daily_at
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.notifier import messages, reminders
from services.notifier.delivery import NOTIFICATIONS, chat_key, store_notifications
from services.notifier.exchanges import EXCHANGE_EVENTS, ExchangeEvent, ExchangeNotices, for_catalogue_entry
from services.notifier.messages import KNOWN_ITEMS, KnownItem
from services.notifier.practices import PRACTICE_EVENTS, PracticeEvent, PracticeNotices, Recipient


class WaitingPhaseEvent(BaseModel):
    """A phase event that arrived before its item's own event (the two topics are read side by side)."""

    model_config = ConfigDict(frozen=True)

    id: str  # the event's id
    item_id: str
    event: dict[str, Any]


class KnownPerson(BaseModel):
    """Who is in the directory, as far as alerts need: their chat and role."""

    model_config = ConfigDict(frozen=True)

    id: str
    telegram_user_id: int
    role: Role
    active: bool = True
    entity_id: str | None = None  # to reach a practice's team
    language: str = "es"


KNOWN_PEOPLE = Stored("people", KnownPerson, indexed_by=[("role", "active"), ("entity_id",), ("telegram_user_id",)])


class ForgottenChat(BaseModel):
    """A chat whose person asked to be forgotten, kept only as a keyed hash (`NotifierHandlers.mark_of`) while an
    event of theirs may still come on another topic (their proposal, read after their forgetting): nothing is
    stored for that chat again. The database deletes it when the inboxes forget the events it could stop."""

    model_config = ConfigDict(frozen=True)

    id: str
    forgotten_at: datetime


FORGOTTEN_CHATS = Stored("forgotten_chats", ForgottenChat, expires=("forgotten_at", INBOX_RETENTION_SECONDS))
DEVELOPMENT_FORGETTING_KEY = b"puente-development"  # without a bot token nothing is sent anyway


def item_arrival(item_id: str) -> str:
    """What an item's event and a phase event waiting for it serialize on (see `Transaction.serialize_on`)."""
    return f"item-arrival:{item_id}"


WAITING_FOR_ITEM = Stored("phase_events_waiting_for_item", WaitingPhaseEvent, indexed_by=[("item_id",)])
PhaseEvent = (PhaseStarted | PhaseOverdue | PhaseDueSoon | PhaseDueDateMoved | PhaseReturned | DeliverableSubmitted
              | ItemOnHold | ItemResumed | ItemWithdrawn | ItemClosed)
PHASE_EVENTS: dict[str, type[PhaseEvent | PracticeEvent | ExchangeEvent]] = {
    event_class.model_fields["type"].default: event_class
    for event_class in (PhaseStarted, PhaseOverdue, PhaseDueSoon, PhaseDueDateMoved, PhaseReturned,
                        DeliverableSubmitted, ItemOnHold, ItemResumed, ItemWithdrawn, ItemClosed, *PRACTICE_EVENTS,
                        *EXCHANGE_EVENTS)
}


class NotifierHandlers:
    def __init__(self, city: CityConfig, clock: Clock, wake_delivery: Callable[[], None],
                 forgetting_key: bytes = DEVELOPMENT_FORGETTING_KEY) -> None:
        self.city = city
        self.clock = clock
        self.wake_delivery = wake_delivery
        self.forgetting_key = forgetting_key
        self.practices = PracticeNotices(city, clock, self.recipients, self.team)
        self.exchanges = ExchangeNotices(city, self.practices)

    def item_routes(self) -> Routes:
        return {
            ExchangeProposed: self.item_proposed,
            PracticeProposed: self.item_proposed,
            ItemUpdated: self.item_updated,
            CatalogueEntryRecorded: self.catalogue_entry_recorded,
            CommandRejected: self.command_rejected,
        }

    def people_routes(self) -> Routes:
        return {PersonJoined: self.person_joined, PersonRemoved: self.person_removed,
                PersonChanged: self.person_changed, PersonForgotten: self.person_forgotten,
                CommandRejected: self.command_rejected}

    def phase_routes(self) -> Routes:
        return {**{event_class: self.phase_event for event_class in PHASE_EVENTS.values()},
                CommandRejected: self.command_rejected}

    def reporting_routes(self) -> Routes:
        return {DigestGenerated: self.digest_generated, ReportGenerated: self.report_generated,
                CommandRejected: self.command_rejected}

    async def digest_generated(self, event: DigestGenerated, transaction: Transaction) -> str:
        """The week's digest goes to every active coordinator: its summary with the PDF (in the city's language,
        as reporting wrote it)."""
        notifications = [messages.Notification(chat_id, "digest", event.payload.summary, document=event.payload.file)
                         for chat_id in await self.coordinators(transaction)]
        return await self._store(transaction, event, notifications, None)

    async def report_generated(self, event: ReportGenerated, transaction: Transaction) -> str:
        recipients = await self.recipients(transaction, [str(event.payload.person_id)])
        notifications = [messages.Notification(recipient.chat_id, "report", event.payload.summary,
                                                document=event.payload.file) for recipient in recipients.values()]
        return await self._store(transaction, event, notifications, None)

    def mark_of(self, chat_id: int) -> str:
        """A forgotten chat as kept: a keyed hash, which names no one without the key."""
        return hmac.new(self.forgetting_key, str(chat_id).encode(), hashlib.sha256).hexdigest()

    async def forgotten(self, transaction: Transaction, chat_id: int) -> bool:
        return await transaction.collection(FORGOTTEN_CHATS).get(self.mark_of(chat_id)) is not None

    async def _store(self, transaction: Transaction, cause, notifications: list, item_id: str | None) -> str:
        notifications = [notification for notification in notifications
                         if not await self.forgotten(transaction, notification.chat_id)]
        if not notifications:
            return "ignored"
        await store_notifications(transaction, cause, notifications, self.clock(), item_id)
        transaction.after_commit(self.wake_delivery)
        return "applied"

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        item = messages.known_item(event)
        await transaction.stop_serializing_on(item_arrival(item.id))  # no phase event waits for it any more
        if item.proposer_chat_id is not None:
            if await self._hears_of_their_items(transaction, item.proposer_chat_id):
                await transaction.serialize_on(chat_key(item.proposer_chat_id))  # against their removal or forgetting
            else:
                item = item.model_copy(update={"proposer_chat_id": None})
        await transaction.collection(KNOWN_ITEMS).add(item)
        await self._release_waiting_phase_events(item, transaction)
        return await self._store(transaction, event, messages.for_item_proposed(event, self.city), item.id)

    async def item_updated(self, event: ItemUpdated, transaction: Transaction) -> str:
        """Remember a new title, and confirm the change to whoever made it, in their language."""
        items = transaction.collection(KNOWN_ITEMS)
        item = await items.get(str(event.payload.item_id))
        if item is None:
            return "ignored"
        if event.payload.changes.title is not None:
            item = item.model_copy(update={"title": event.payload.changes.title})
            await items.save(item)
        return await self._store(transaction, event, messages.for_item_updated(event, item), item.id)

    async def catalogue_entry_recorded(self, event: CatalogueEntryRecorded, transaction: Transaction) -> str:
        return await self._store(transaction, event, for_catalogue_entry(event, self.practices), None)

    async def person_joined(self, event: PersonJoined, transaction: Transaction) -> str:
        payload = event.payload
        await transaction.collection(KNOWN_PEOPLE).save(KnownPerson(
            id=str(payload.person_id), telegram_user_id=payload.telegram_user_id, role=payload.role,
            entity_id=payload.entity_id, language=payload.language))
        # Someone forgotten who joins again, with a new invitation, is reachable again.
        await transaction.collection(FORGOTTEN_CHATS).delete(self.mark_of(payload.telegram_user_id))
        return await self._store(transaction, event, messages.for_person_joined(event, self.city), None)

    async def person_removed(self, event: PersonRemoved, transaction: Transaction) -> str:
        people = transaction.collection(KNOWN_PEOPLE)
        person = await people.get(str(event.payload.person_id))
        if person is not None:
            await transaction.serialize_on(chat_key(person.telegram_user_id))  # against a reminder being kept
            await people.save(person.model_copy(update={"active": False}))  # no more coordinators' alerts
            await reminders.forget_chat(transaction, person.telegram_user_id)  # nor reminders
            await self._part_from_their_items(transaction, person.telegram_user_id)  # nor news of their items
        return await self._store(transaction, event, messages.for_person_removed(event), None)

    async def person_changed(self, event: PersonChanged, transaction: Transaction) -> str:
        people = transaction.collection(KNOWN_PEOPLE)
        person = await people.get(str(event.payload.person_id))
        if person is not None:
            await people.save(person.model_copy(update={"role": event.payload.role,
                                                        "entity_id": event.payload.entity_id,
                                                        "language": event.payload.language}))
        return await self._store(transaction, event, messages.for_person_changed(event, self.city), None)

    async def person_forgotten(self, event: PersonForgotten, transaction: Transaction) -> str:
        """Erase what the notifier keeps of a person (habeas data): their chat in the directory, every message to
        them (sent or not: a message still waiting is not sent any more), and their chat on the items they
        proposed, which stay with their entity."""
        people = transaction.collection(KNOWN_PEOPLE)
        person = await people.get(str(event.payload.person_id))
        if person is None:
            return "ignored"
        chat_id = person.telegram_user_id
        # A message or reminder for them being stored at this moment: one of the two starts again, so it is either
        # deleted below or never made; the key (their chat) is not kept.
        await transaction.stop_serializing_on(chat_key(chat_id))
        rejoined = [known for known in await people.find(telegram_user_id=chat_id) if known.id != person.id]
        if not rejoined:  # (their account's new joining, read first, is theirs to keep)
            await transaction.collection(FORGOTTEN_CHATS).save(ForgottenChat(id=self.mark_of(chat_id),
                                                                             forgotten_at=self.clock()))
        notifications = transaction.collection(NOTIFICATIONS)
        for notification in await notifications.find(chat_id=chat_id):
            await notifications.delete(notification.id)
        await self._part_from_their_items(transaction, chat_id)
        await reminders.forget_chat(transaction, chat_id)
        await people.delete(person.id)
        return "applied"

    async def _hears_of_their_items(self, transaction: Transaction, chat_id: int) -> bool:
        """Whether a proposal's sender still hears of it: not if they were forgotten or removed meanwhile (their
        proposal read after that, from its own topic)."""
        if await self.forgotten(transaction, chat_id):
            return False
        known = await transaction.collection(KNOWN_PEOPLE).find(telegram_user_id=chat_id)
        return not known or any(person.active for person in known)

    async def _part_from_their_items(self, transaction: Transaction, chat_id: int) -> None:
        """The items someone proposed stay with their entity; news and reminders of them no longer reach that
        person (removed: they can do nothing with them; forgotten: their chat is erased)."""
        items = transaction.collection(KNOWN_ITEMS)
        for item in await items.find(proposer_chat_id=chat_id):
            await items.save(item.model_copy(update={"proposer_chat_id": None}))

    async def coordinators(self, transaction: Transaction) -> list[int]:
        active = await transaction.collection(KNOWN_PEOPLE).find(role=Role.coordinator, active=True)
        return messages.coordinator_chats([person.telegram_user_id for person in active], self.city)

    async def recipients(self, transaction: Transaction, person_ids: list[str]) -> dict[str, Recipient]:
        """The active people among these ids, with their chat and language."""
        people = transaction.collection(KNOWN_PEOPLE)
        found = [await people.get(person_id) for person_id in person_ids]
        return {person.id: Recipient(chat_id=person.telegram_user_id, language=person.language)
                for person in found if person is not None and person.active}

    async def team(self, transaction: Transaction, entity_id: str) -> list[Recipient]:
        """An entity's active staff: a practice's team."""
        people = await transaction.collection(KNOWN_PEOPLE).find(entity_id=entity_id)
        return [Recipient(chat_id=person.telegram_user_id, language=person.language)
                for person in people if person.active and person.role is Role.staff]

    async def command_rejected(self, event: CommandRejected, transaction: Transaction) -> str:
        item_id = str(event.payload.item_id) if event.payload.item_id else None
        return await self._store(transaction, event, messages.for_command_rejected(event), item_id)

    async def phase_event(self, event: PhaseEvent, transaction: Transaction) -> str:
        item = await transaction.collection(KNOWN_ITEMS).get(str(event.payload.item_id))
        if item is None:
            # The item's own event may still be on its way: keep the phase event; the item's arrival releases it
            # (the notifications' ids are the same either way). If the item is being handled at this moment, one of
            # the two transactions starts again and sees the other's work.
            await transaction.serialize_on(item_arrival(str(event.payload.item_id)))
            await transaction.collection(WAITING_FOR_ITEM).add(WaitingPhaseEvent(
                id=str(event.event_id), item_id=str(event.payload.item_id), event=event.model_dump(mode="json"),
            ))
            return "waiting"
        return await self._tell_about_phase(event, item, transaction)

    async def _tell_about_phase(self, event: PhaseEvent, item: KnownItem, transaction: Transaction) -> str:
        """Coordinators' alerts go at once; the proposer's reminders wait for their daily list (reminders.py)."""
        coordinators = await self.coordinators(transaction)
        payload = event.payload
        if isinstance(event, EXCHANGE_EVENTS):
            told = await self.exchanges.tell(event, item, transaction, coordinators)
            return "applied" if told is None else await self._store(transaction, event, told, item.id)
        if isinstance(event, PRACTICE_EVENTS):
            return await self._store(transaction, event,
                                     await self.practices.tell(event, item, transaction, coordinators), item.id)
        if isinstance(event, PhaseDueSoon | PhaseOverdue):
            listed = await reminders.keep_on_list(transaction, item, payload.phase_number, payload.phase_key,
                                                  payload.due_on)
            listed += await self.practices.remind_evaluators(transaction, item, payload.phase_number,
                                                             payload.phase_key, payload.due_on)
            if isinstance(event, PhaseDueSoon):
                return "applied" if listed else "ignored"
            return await self._store(transaction, event, messages.for_phase_overdue(
                event, item.model_copy(update={"proposer_chat_id": None}), self.city, coordinators), item.id)
        if isinstance(event, PhaseStarted) and payload.phase_number == 1:
            notifications = messages.for_process_started(event, item, self.city, coordinators)
        elif isinstance(event, DeliverableSubmitted):
            await reminders.answered(transaction, item.id)
            notifications = messages.for_deliverable_submitted(event, item, self.city, coordinators)
        else:
            if not isinstance(event, ItemResumed):  # the phase moved on, or the item stopped
                await reminders.take_off_list(transaction, item.id,
                                              stopped=isinstance(event, ItemWithdrawn | ItemClosed))
            notifications = messages.for_course_changed(event, item, self.city, coordinators)
        return await self._store(transaction, event, notifications, item.id)

    def jobs(self) -> list[Job]:
        calendar = self.city.calendar
        return [Job("notifier.reminders", daily_at(calendar.working_hours_start, self.city.city.timezone),
                    self.send_reminders)]

    async def send_reminders(self, transaction: Transaction, run_key: str, now: datetime) -> int:
        """Each working day at the start of working hours: one list per person, and escalations."""
        sent = await reminders.send_reminders(transaction, self.city, run_key, now,
                                              await self.coordinators(transaction),
                                              self.city.calendar.escalate_after_reminders)
        if sent:
            transaction.after_commit(self.wake_delivery)
        return sent

    async def _release_waiting_phase_events(self, item: KnownItem, transaction: Transaction) -> None:
        waiting = transaction.collection(WAITING_FOR_ITEM)
        kept_in_order = sorted(await waiting.find(item_id=item.id),  # as they happened, not as their ids sort
                               key=lambda kept: (datetime.fromisoformat(kept.event["occurred_at"]), kept.id))
        for kept in kept_in_order:
            event_class = PHASE_EVENTS[kept.event["type"]]
            await self._tell_about_phase(event_class.model_validate(kept.event), item, transaction)
            await waiting.delete(kept.id)
