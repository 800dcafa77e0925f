"""Notifier's handlers: each event becomes stored notifications, in the transaction that claims the event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from puente.contracts.events import CommandRejected, ExchangeProposed, ItemUpdated, PhaseStarted, PracticeProposed
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock
from puente.wiring.outbox import RetryLater, Transaction
from puente.wiring.service import Routes
from services.notifier import messages
from services.notifier.delivery import store_notifications
from services.notifier.messages import KnownItem

KNOWN_ITEMS = "items"


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
        if document is None:  # the item's own event is still on its way on the other topic
            raise RetryLater(f"item {item_id} is not known yet")
        item = KnownItem(**{**{key: value for key, value in document.items() if key != "_id"},
                            "line": messages.Line(document["line"])})
        return await self._store(transaction, event, messages.for_process_started(event, item, self.city), item_id)
