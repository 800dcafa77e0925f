"""Delivering stored notifications to Telegram: paced, retried, and recorded so none is sent twice.

A notification is stored (with the event that caused it claimed in the same transaction) before anything is
sent. The delivery loop sends the due ones, paced below Telegram's limits (about 30 messages/s per bot and
1/s per chat), honours `retry_after` on 429, retries network errors and 5xx with backoff, and marks each one
delivered. A crash between Telegram's answer and that mark is the one moment a message could be sent again.
"""

from __future__ import annotations

import asyncio
import warnings
from datetime import UTC, datetime, timedelta

from aiolimiter import AsyncLimiter
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from puente.contracts.envelope import SYSTEM_ACTOR, derived_id
from puente.contracts.events import NotificationDelivered, NotificationDeliveredPayload
from puente.wiring.logging import get_logger
from puente.wiring.outbox import UnitOfWork
from puente.wiring.settings import Settings

log = get_logger(__name__)

NOTIFICATIONS = "notifications"
GLOBAL_MESSAGES_PER_SECOND = 25  # below Telegram's ~30/s per bot
SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT = 1.1  # above Telegram's ~1/s per chat
MAX_BACKOFF_SECONDS = 300
MAX_ATTEMPTS = 12


async def ensure_indexes(database: AsyncDatabase) -> None:
    await database[NOTIFICATIONS].create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])


def retry_after_seconds(flood: RetryAfter) -> float:
    """PTB 22 returns seconds and warns that it will return a timedelta; accept both, without the warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = flood.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def backoff_seconds(attempts: int) -> float:
    return float(min(2 ** attempts, MAX_BACKOFF_SECONDS))


class TelegramDelivery:
    def __init__(
        self, database: AsyncDatabase, unit_of_work: UnitOfWork, settings: Settings, poll_seconds: float = 1.0
    ) -> None:
        self.database = database
        self.unit_of_work = unit_of_work
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.bot: Bot | None = None
        self.global_limiter = AsyncLimiter(GLOBAL_MESSAGES_PER_SECOND, 1)
        self.last_sent_to_chat: dict[int, float] = {}
        self.paused_until = 0.0
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def _bot(self) -> Bot | None:
        if self.settings.telegram_bot_token is None:
            return None
        if self.bot is None:
            bot = Bot(self.settings.telegram_bot_token.get_secret_value(), base_url=self.settings.telegram_api_url)
            await bot.initialize()
            self.bot = bot
        return self.bot

    async def _pace(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        wait = max(
            self.paused_until - loop.time(),
            self.last_sent_to_chat.get(chat_id, -1e9) + SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT - loop.time(),
        )
        if wait > 0:
            await asyncio.sleep(wait)
        await self.global_limiter.acquire()
        self.last_sent_to_chat[chat_id] = loop.time()

    async def deliver_due(self) -> int:
        """Send every notification that is due now; returns how many were attempted."""
        bot = await self._bot()
        if bot is None:
            return 0
        now = datetime.now(UTC)
        due = (
            await self.database[NOTIFICATIONS]
            .find({"status": "pending", "next_attempt_at": {"$lte": now}})
            .sort("next_attempt_at", ASCENDING)
            .limit(100)
            .to_list()
        )
        for notification in due:
            await self._deliver(bot, notification)
        return len(due)

    async def _deliver(self, bot: Bot, notification: dict) -> None:
        await self._pace(notification["chat_id"])
        try:
            sent = await bot.send_message(chat_id=notification["chat_id"], text=notification["text"])
        except RetryAfter as flood:
            retry_after = retry_after_seconds(flood)
            self.paused_until = asyncio.get_running_loop().time() + retry_after
            await self._reschedule(notification, retry_after, f"429 retry after {retry_after}s", count_attempt=False)
        except (Forbidden, BadRequest) as refused:
            await self._give_up(notification, f"{type(refused).__name__}: {refused.message}")
        except InvalidToken:
            raise
        except NetworkError as network:  # includes timeouts and 5xx answers
            if notification.get("attempts", 0) + 1 >= MAX_ATTEMPTS:
                await self._give_up(notification, f"gave up after {MAX_ATTEMPTS} attempts: {network.message}")
            else:
                await self._reschedule(
                    notification, backoff_seconds(notification.get("attempts", 0) + 1), network.message
                )
        else:
            await self._mark_delivered(notification, sent.message_id)

    async def _reschedule(self, notification: dict, delay: float, error: str, count_attempt: bool = True) -> None:
        await self.database[NOTIFICATIONS].update_one(
            {"_id": notification["_id"], "status": "pending"},
            {
                "$set": {"next_attempt_at": datetime.now(UTC) + timedelta(seconds=delay), "last_error": error},
                "$inc": {"attempts": 1 if count_attempt else 0},
            },
        )
        log.warning(
            "telegram delivery postponed", notification_id=notification["_id"], delay_seconds=delay, error=error
        )

    async def _give_up(self, notification: dict, error: str) -> None:
        await self.database[NOTIFICATIONS].update_one(
            {"_id": notification["_id"], "status": "pending"},
            {
                "$set": {"status": "failed", "last_error": error, "failed_at": datetime.now(UTC)},
                "$inc": {"attempts": 1},
            },
        )
        log.error("telegram delivery failed for good", notification_id=notification["_id"], error=error)

    async def _mark_delivered(self, notification: dict, telegram_message_id: int) -> None:
        async def work(transaction):
            updated = await transaction.database[NOTIFICATIONS].find_one_and_update(
                {"_id": notification["_id"], "status": "pending"},
                {
                    "$set": {
                        "status": "delivered",
                        "delivered_at": datetime.now(UTC),
                        "telegram_message_id": telegram_message_id,
                    },
                    "$inc": {"attempts": 1},
                },
                session=transaction.session,
                return_document=ReturnDocument.AFTER,
            )
            if updated is None:
                return
            await transaction.announce(
                self.settings.topics.notification_events,
                NotificationDelivered.new(
                    payload=NotificationDeliveredPayload(
                        notification_id=notification["_id"],
                        chat_id=notification["chat_id"],
                        kind=notification["kind"],
                        item_id=notification.get("item_id"),
                    ),
                    actor=SYSTEM_ACTOR,
                    city=self.settings.city,
                    event_id=derived_id(notification["_id"], "delivered"),
                ),
            )

        await self.unit_of_work.run(work)

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                attempted = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # Telegram or the database is away; try again shortly
                log.exception("telegram delivery pass failed; will retry")
                attempted = 0
            if attempted:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass

    async def close(self) -> None:
        if self.bot is not None:
            await self.bot.shutdown()
