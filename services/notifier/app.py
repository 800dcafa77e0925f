"""Notifier's entry point: turns events into stored notifications and delivers them to Telegram."""

from __future__ import annotations

import asyncio

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.clock import utc_now
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.notifier.delivery import TelegramDelivery, ensure_indexes
from services.notifier.handlers import NotifierHandlers


def register(runtime: ServiceRuntime) -> None:
    delivery = TelegramDelivery(runtime.database, runtime.unit_of_work, runtime.settings, runtime.metrics)
    handlers = NotifierHandlers(load_city_config(runtime.settings), utc_now, delivery.wake)
    runtime.route(
        runtime.settings.topics.item_events, handlers.item_routes(),
        title="notifier-item-events",
        description="Item events: the proposer hears their proposal is registered (or why not).",
    )
    runtime.route(
        runtime.settings.topics.phase_events, handlers.phase_routes(),
        title="notifier-phase-events",
        description="Phase events: coordinators are alerted of a new proposal with its first phase's due date.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.notification_events,
        "One event per Telegram message delivered, published through the outbox.",
    )
    runtime.on_database_setup.append(lambda: ensure_indexes(runtime.database))

    async def start_delivery() -> None:
        runtime.background_tasks.append(asyncio.create_task(delivery.run(), name="telegram-delivery"))

    runtime.on_startup.append(start_delivery)
    runtime.on_shutdown.append(delivery.close)


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "notifier",
        settings,
        register,
        description="Alerts, nudges and digests to Telegram, paced below Telegram's limits, never sent twice.",
    )
