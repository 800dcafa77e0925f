"""Notifier's entry point: turns events into stored notifications and delivers them to Telegram."""

from __future__ import annotations

import asyncio

from faststream.asgi import AsgiFastStream

from puente.contracts.notifications import NotificationDelivered
from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import ignoring_history
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.notifier.delivery import NOTIFICATIONS, TelegramDelivery
from services.notifier.handlers import (
    DEVELOPMENT_FORGETTING_KEY,
    FORGOTTEN_CHATS,
    KNOWN_ITEMS,
    KNOWN_PEOPLE,
    WAITING_FOR_ITEM,
    NotifierHandlers,
)
from services.notifier.reminders import REMINDERS


def register(runtime: ServiceRuntime) -> None:
    delivery = TelegramDelivery(runtime.database, runtime.unit_of_work, runtime.settings, runtime.metrics,
                                clock=runtime.clock)
    token = runtime.settings.telegram_bot_token
    handlers = NotifierHandlers(load_city_config(runtime.settings), runtime.clock, delivery.wake,
                                token.get_secret_value().encode() if token else DEVELOPMENT_FORGETTING_KEY)
    runtime.route(
        runtime.settings.topics.item_events, ignoring_history(handlers.item_routes()),
        title="notifier-item-events",
        description="Item events: the proposer hears their proposal is registered (or why not).",
    )
    runtime.route(
        runtime.settings.topics.people_events, handlers.people_routes(),
        title="notifier-people-events",
        description="The directory: a person who joins is welcomed; a refused invitation code is explained.",
    )
    runtime.route(
        runtime.settings.topics.phase_events, ignoring_history(handlers.phase_routes()),
        title="notifier-phase-events",
        description="Phase events: coordinators hear of new proposals, completed phases and late ones at once; "
                    "proposers get one list a day of their items due soon or late (working days, working hours). "
                    "Events of the history import tell no one.",
    )
    runtime.route(
        runtime.settings.topics.reporting_events, handlers.reporting_routes(),
        title="notifier-reporting-events",
        description="Reports: the weekly digest goes to the coordinators, a report asked for to who asked, each as "
                    "its summary with the PDF fetched from reporting; a refused request is explained.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.notification_events, (NotificationDelivered,),
        "One event per Telegram message delivered, published through the outbox.",
    )
    runtime.keeps(KNOWN_ITEMS, KNOWN_PEOPLE, WAITING_FOR_ITEM, NOTIFICATIONS, REMINDERS, FORGOTTEN_CHATS)
    runtime.schedule(*handlers.jobs())

    async def start_delivery() -> None:
        runtime.background_tasks.append(asyncio.create_task(delivery.run(), name="telegram-delivery"))

    runtime.on_startup.append(start_delivery)
    runtime.on_shutdown.append(delivery.close)


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "notifier",
        settings,
        register,
        description="Alerts, nudges and digests to Telegram, paced below Telegram's limits, never sent twice.",
        clock=clock,
    )
