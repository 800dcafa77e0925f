"""Notifier's handlers: each event becomes stored notifications, in the transaction that claims the event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from puente.contracts.events import (
    CommandRejected,
    ExchangeProposed,
    ItemUpdated,
    Line,
    PhaseStarted,
    PracticeProposed,
)
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock
from puente.wiring.outbox import Transaction
from puente.wiring.service import Routes
from services.notifier import messages
from services.notifier.delivery import store_notifications
from services.notifier.messages import KnownItem

KNOWN_ITEMS = "items"
WAITING_FOR_ITEM = "phase_events_waiting_for_item"


class NotifierHandlers:
    def __init__(self, city: CityConfig, clock: Clock, wake_delivery: Callable[[], None]) -> None:
        self.city = city
        self.clock = clock
        self.wake_delivery = wake_delivery

    def item_routes(self) -> Routes:
        return {
            ExchangeProposed: self.item_proposed,
            PracticeProposed: self.item_proposed,
            ItemUpdated: self.item_updated,
            CommandRejected: self.command_rejected,
        }

    def phase_routes(self) -> Routes:
        return {PhaseStarted: self.phase_started}

    async def _store(self, transaction: Transaction, cause, notifications: list, item_id: str | None) -> str:
        if not notifications:
            return "ignored"
        await store_notifications(transaction, cause, notifications, self.clock(), item_id)
        transaction.after_commit(self.wake_delivery)
        return "applied"

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        item = messages.known_item(event)
        document = {**asdict(item), "line": item.line.value, "_id": item.item_id}
        await transaction.database[KNOWN_ITEMS].insert_one(document, session=transaction.session)
        await self._release_waiting_phases(item, transaction)
        return await self._store(transaction, event, messages.for_item_proposed(event, self.city), item.item_id)

    async def item_updated(self, event: ItemUpdated, transaction: Transaction) -> str:
        if event.payload.changes.title is None:
            return "ignored"
        await transaction.database[KNOWN_ITEMS].update_one(
            {"_id": str(event.payload.item_id)}, {"$set": {"title": event.payload.changes.title}},
            session=transaction.session,
        )
        return "applied"

    async def command_rejected(self, event: CommandRejected, transaction: Transaction) -> str:
        item_id = str(event.payload.item_id) if event.payload.item_id else None
        return await self._store(transaction, event, messages.for_command_rejected(event), item_id)

    async def phase_started(self, event: PhaseStarted, transaction: Transaction) -> str:
        item_id = str(event.payload.item_id)
        document = await transaction.database[KNOWN_ITEMS].find_one({"_id": item_id}, session=transaction.session)
        if document is None:
            # The two topics are read side by side: the item's own event may still be on its way. Keep the phase
            # event; the item's arrival releases it (the notifications' ids are the same either way).
            await transaction.database[WAITING_FOR_ITEM].insert_one(
                {"_id": str(event.event_id), "item_id": item_id, "event": event.model_dump(mode="json")},
                session=transaction.session,
            )
            return "waiting"
        return await self._alert_process_started(event, known_item_from(document), transaction)

    async def _alert_process_started(self, event: PhaseStarted, item: KnownItem, transaction: Transaction) -> str:
        notifications = messages.for_process_started(event, item, self.city)
        return await self._store(transaction, event, notifications, item.item_id)

    async def _release_waiting_phases(self, item: KnownItem, transaction: Transaction) -> None:
        waiting = transaction.database[WAITING_FOR_ITEM]
        async for document in waiting.find({"item_id": item.item_id}, session=transaction.session):
            await self._alert_process_started(PhaseStarted.model_validate(document["event"]), item, transaction)
            await waiting.delete_one({"_id": document["_id"]}, session=transaction.session)


def known_item_from(document: dict) -> KnownItem:
    return KnownItem(**{**{key: value for key, value in document.items() if key != "_id"},
                        "line": Line(document["line"])})
