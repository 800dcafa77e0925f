"""The notifier tells the proposer and the coordinators through the Telegram Bot API (the local sandbox over real
HTTP): it honours 429 retry_after, retries 5xx, and a redelivered event messages nobody twice. Coordinators hear
of a proposal once phases has started its first phase, with the due date phases set."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from telegram_sandbox.app import SandboxServer
from tests.factories import propose_exchange, staff
from tests.helpers import (
    city_config_with_coordinators,
    eventually,
    publish,
    publish_message,
    read_topic,
    running_app,
    seated,
)

pytestmark = pytest.mark.integration

TOKEN = "424242:SANDBOXtokenForNotifierTests_abcdefgh"
PROPOSER = 5001
COORDINATOR = 9001


async def test_proposer_and_coordinator_are_told_once_despite_429_and_5xx_and_redelivery(settings, tmp_path):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url) as control:
        for user_id, name in ((PROPOSER, "Ana"), (COORDINATOR, "Coordinación")):
            await control.post("/sandbox/users", json={"id": user_id, "first_name": name, "open_chat": True})
        await control.post(
            "/sandbox/faults", json={"method": "sendMessage", "count": 1, "error_code": 429, "retry_after": 2}
        )
        await control.post("/sandbox/faults", json={"method": "sendMessage", "count": 1, "error_code": 502})
        service_settings = settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(TOKEN),
                "telegram_api_url": sandbox.bot_api_base_url,
                "city_config_dir": city_config_with_coordinators(tmp_path, COORDINATOR),
            }
        )
        await seated(settings, (PROPOSER, "staff", "sed"))
        command = propose_exchange(actor=staff("sed", user_id=str(PROPOSER), language="en"), title="Open classrooms")
        mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
        notifier_db = mongo[settings.database_name("notifier")]
        try:
            notifier = build_notifier(service_settings)
            async with running_app(build_intake(service_settings)), running_app(build_phases(service_settings)), \
                    running_app(notifier):
                started = time.monotonic()
                await publish_message(settings, settings.topics.intake_commands, command)
                delivered = await eventually(
                    lambda: _delivered(notifier_db, 2), timeout=120, message="both notifications to be delivered"
                )
                elapsed = time.monotonic() - started

                # Deliver the same exchange.proposed event again, as Kafka may after a rebalance.
                announced = await read_topic(settings, settings.topics.item_events, expected=1)
                await publish(settings, settings.topics.item_events, announced[0].value, key=announced[0].key)
                duplicates = notifier.runtime.metrics.handled.labels("notifier", "exchange.proposed", "duplicate")
                await eventually(lambda: _at_least(duplicates, 1), message="the notifier to see the redelivery")
                delivered_events = await read_topic(settings, settings.topics.notification_events, expected=2)

            log = (await control.get("/sandbox/send_log", params={"method": "sendMessage"})).json()["calls"]
            proposer_chat = (await control.get(f"/sandbox/chats/{PROPOSER}/messages")).json()["messages"]
            coordinator_chat = (await control.get(f"/sandbox/chats/{COORDINATOR}/messages")).json()["messages"]
        finally:
            await mongo.close()

    assert [call["status_code"] for call in log] == [429, 502, 200, 200], "one 429, one 502, then each sent once"
    assert elapsed >= 2, "the notifier waited the 2 s Telegram asked for"
    [told] = [message["text"] for message in proposer_chat]  # once, in the language they use
    assert re.fullmatch(r'✅ Your proposal AP-\d{4}-0001 "Open classrooms" is registered\. It is in phase 1: Demand '
                        r'and anchoring\.', told)
    assert len(coordinator_chat) == 1 and coordinator_chat[0]["text"].startswith("🆕 Nueva propuesta de Secretaría")
    assert {notification["status"] for notification in delivered} == {"delivered"}
    assert len(delivered_events) == 2 and all(b"notification.delivered" in record.value for record in delivered_events)


async def _delivered(database, count: int):
    notifications = await database.notifications.find({"status": "delivered"}).to_list()
    return notifications if len(notifications) == count else None


async def _at_least(counter, value: float) -> bool:
    return counter._value.get() >= value
