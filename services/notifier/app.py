"""Notifier's entry point: turns events into stored notifications and delivers them to Telegram."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from faststream.asgi import AsgiFastStream

from puente.contracts import AnyItemEvent
from puente.contracts.envelope import derived_id
from puente.contracts.events import CommandRejected, ExchangeProposed, PracticeProposed
from puente.wiring.city import load_city_config
from puente.wiring.outbox import Transaction
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.notifier import messages
from services.notifier.delivery import NOTIFICATIONS, TelegramDelivery, ensure_indexes


def register(runtime: ServiceRuntime) -> None:
    city = load_city_config(runtime.settings)
    delivery = TelegramDelivery(runtime.database, runtime.unit_of_work, runtime.settings)

    async def store_notifications(event, transaction: Transaction) -> str:
        await transaction.claim(event)
        now = datetime.now(UTC)
        if isinstance(event, (ExchangeProposed, PracticeProposed)):
            notifications = messages.for_item_proposed(event, city, now.date())
        elif isinstance(event, CommandRejected):
            notifications = messages.for_command_rejected(event)
        else:
            return "ignored"
        for notification in notifications:
            await transaction.database[NOTIFICATIONS].insert_one(
                {
                    "_id": str(derived_id(event.event_id, notification.chat_id, notification.kind)),
                    "chat_id": notification.chat_id,
                    "kind": notification.kind,
                    "text": notification.text,
                    "item_id": str(getattr(event.payload, "item_id", None) or "") or None,
                    "caused_by": str(event.event_id),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                    "next_attempt_at": now,
                },
                session=transaction.session,
            )
        return "applied"

    @runtime.subscribe(
        runtime.settings.topics.item_events,
        title="notifier-item-events",
        description="Item events: the proposer hears their proposal is registered (or why not); "
        "coordinators are alerted.",
    )
    async def on_item_event(event: AnyItemEvent) -> None:
        outcome = await runtime.apply(event, lambda transaction: store_notifications(event, transaction))
        if outcome == "applied":
            delivery.wake()

    runtime.declare_announcements(
        runtime.settings.topics.notification_events,
        "One event per Telegram message delivered, published through the outbox.",
    )

    async def prepare() -> None:
        await ensure_indexes(runtime.database)
        runtime.background_tasks.append(asyncio.create_task(delivery.run(), name="telegram-delivery"))

    runtime.on_startup.append(prepare)
    runtime.on_shutdown.append(delivery.close)


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "notifier",
        settings,
        register,
        description="Alerts, nudges and digests to Telegram, paced below Telegram's limits, never sent twice.",
    )
