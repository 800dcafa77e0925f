"""The notifier's delivery loop against the Telegram sandbox over real HTTP: two replicas never send one
notification twice, and no answer from Telegram can leave a notification blocking the queue."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from puente.contracts.items import ExchangeProposed
from puente.wiring.clock import utc_now
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.notifier.delivery import NOTIFICATIONS, TelegramDelivery, store_notifications
from services.notifier.messages import Notification
from telegram_sandbox.app import SandboxServer
from tests.factories import propose_exchange
from tests.helpers import service_runtime


def stored(runtime):
    return runtime.database[NOTIFICATIONS.collection]

pytestmark = pytest.mark.integration

TOKEN = "434343:SANDBOXtokenForNotifierOutcomes_abcd"


async def open_chats(control: httpx.AsyncClient, *user_ids: int) -> None:
    for user_id in user_ids:
        await control.post("/sandbox/users", json={"id": user_id, "first_name": f"U{user_id}", "open_chat": True})


async def chat_texts(control: httpx.AsyncClient, chat_id: int) -> list[str]:
    return [message["text"] for message in (await control.get(f"/sandbox/chats/{chat_id}/messages")).json()["messages"]]


async def store(runtime, notifications: list[Notification], now: datetime | None = None) -> None:
    cause: ExchangeProposed = proposal_from(propose_exchange())[1]

    async def work(transaction):
        await store_notifications(transaction, cause, notifications, now or utc_now())

    await runtime.unit_of_work.run(work)


def replica(runtime, settings: Settings, name: str, clock=utc_now) -> TelegramDelivery:
    return TelegramDelivery(runtime.database, runtime.unit_of_work, settings, runtime.metrics, clock=clock,
                            replica=name)


async def test_two_replicas_send_each_notification_once(settings):
    chats = list(range(7001, 7031))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url) as control:
        await open_chats(control, *chats)
        bot_settings = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                                   "telegram_api_url": sandbox.bot_api_base_url})
        async with service_runtime("notifier", bot_settings) as runtime:
            await store(runtime, [Notification(chat, "test", f"hola {chat}") for chat in chats])
            first, second = replica(runtime, bot_settings, "a"), replica(runtime, bot_settings, "b")
            try:
                await asyncio.gather(first._bot(), second._bot())  # both ready, so both passes truly overlap
                attempted = await asyncio.gather(first.deliver_due(), second.deliver_due())
            finally:
                await first.close()
                await second.close()
            statuses = {doc["status"] for doc in await stored(runtime).find().to_list()}
        received = {chat: await chat_texts(control, chat) for chat in chats}
    assert received == {chat: [f"hola {chat}"] for chat in chats}, "each chat got its message exactly once"
    assert sum(attempted) == len(chats), f"the replicas shared the work without overlap: {attempted}"
    assert statuses == {"delivered"}


async def test_no_answer_from_telegram_blocks_the_queue(settings):
    migrating, migrated_to, conflicted, gone, fine = 7101, 7102, 7103, 7104, 7105
    now = utc_now()
    clock = {"now": now}
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url) as control:
        await open_chats(control, migrating, migrated_to, conflicted, gone, fine)
        faults = [
            {"error_code": 400, "chat_id": migrating, "migrate_to_chat_id": migrated_to,
             "description": "Bad Request: group chat was upgraded to a supergroup chat"},
            {"error_code": 409, "chat_id": conflicted, "description": "Conflict: terminated by other request"},
            {"error_code": 403, "chat_id": gone, "description": "Forbidden: bot was blocked by the user"},
        ]
        for fault in faults:
            await control.post("/sandbox/faults", json={"method": "sendMessage", "count": 1, **fault})
        bot_settings = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                                   "telegram_api_url": sandbox.bot_api_base_url})
        async with service_runtime("notifier", bot_settings) as runtime:
            await store(runtime, [Notification(chat, "test", f"para {chat}") for chat in (migrating, conflicted,
                                                                                          gone, fine)], now)
            delivery = replica(runtime, bot_settings, "a", clock=lambda: clock["now"])
            try:
                await delivery.deliver_due()  # every notification gets an answer in one pass
                after_first_pass = {doc["chat_id"]: doc for doc in await stored(runtime).find()
                                    .to_list()}
                await delivery.deliver_due()  # the migrated one follows its chat at once
                clock["now"] = now + timedelta(minutes=5)  # past the conflict's backoff
                await delivery.deliver_due()
            finally:
                await delivery.close()
            final = {doc["kind"] + str(doc.get("migrated_from") or doc["chat_id"]): doc
                     for doc in await stored(runtime).find().to_list()}
            outcomes = {outcome: runtime.metrics.registry.get_sample_value(
                "puente_notification_outcomes_total", {"service": "notifier", "outcome": outcome})
                for outcome in ("delivered", "retried", "failed", "migrated")}
        texts = {chat: await chat_texts(control, chat) for chat in (migrated_to, conflicted, gone, fine)}

    assert after_first_pass[fine]["status"] == "delivered", "one chat's trouble did not hold the others up"
    assert after_first_pass[conflicted]["status"] == "pending" and after_first_pass[conflicted]["attempts"] == 1
    assert after_first_pass[gone]["status"] == "failed" and "blocked" in after_first_pass[gone]["last_error"]
    assert after_first_pass[migrated_to]["migrated_from"] == migrating
    assert texts == {migrated_to: [f"para {migrating}"], conflicted: [f"para {conflicted}"], gone: [],
                     fine: [f"para {fine}"]}
    assert {key: doc["status"] for key, doc in final.items()} == {
        f"test{migrating}": "delivered", f"test{conflicted}": "delivered", f"test{gone}": "failed",
        f"test{fine}": "delivered",
    }
    assert outcomes == {"delivered": 3, "retried": 1, "failed": 1, "migrated": 1}
