"""Delivering stored notifications to Telegram: claimed, paced, retried, and recorded so none is sent twice.

A notification is stored (with the event that caused it claimed in the same transaction) before anything is
sent. The delivery loop takes the due ones; each replica claims a notification in the database before sending it,
so two replicas never send the same one. Sends are paced below Telegram's limits (about 30 messages/s per bot and
1/s per chat). Every send ends in exactly one outcome:
- delivered: marked delivered and announced as `notification.delivered`;
- retried later: a 429 waits Telegram's `retry_after` (all sends pause); network errors, 5xx answers, a
  misconfigured bot (invalid token, wrong address) and unexpected errors back off, up to MAX_ATTEMPTS;
- failed for good: Telegram refused it (blocked bot, bad request) or MAX_ATTEMPTS ran out; recorded, counted;
- followed: the chat became a supergroup (ChatMigrated) and the notification goes to its new id.
A crash between Telegram's answer and the mark is the one moment a message could be sent again: the claim then
expires and another pass sends it.
"""

from __future__ import annotations

import asyncio
import uuid
import warnings
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from aiolimiter import AsyncLimiter
from pydantic import BaseModel, Field
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.notifications import NotificationDelivered, NotificationDeliveredPayload
from puente.contracts.reporting import ReportFile
from puente.wiring.clock import Clock, utc_now
from puente.wiring.logging import get_logger
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.settings import Settings
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction, UnitOfWork

log = get_logger(__name__)

NOTIFICATIONS_COLLECTION = "notifications"
DELIVERY_LOOP = "telegram-delivery"
GLOBAL_MESSAGES_PER_SECOND = 25  # below Telegram's ~30/s per bot
SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT = 1.1  # above Telegram's ~1/s per chat
CLAIM_SECONDS = 60  # how long a replica holds a notification it is sending; then another may send it
MAX_BACKOFF_SECONDS = 300
MAX_ATTEMPTS = 12
BATCH = 100

class StoredNotification(BaseModel):
    """A message to one chat, from the moment it is decided until it is delivered or given up."""

    id: str
    chat_id: int
    kind: str
    text: str
    item_id: str | None = None
    caused_by: str
    status: str = "pending"  # pending, delivered, failed
    attempts: int = 0
    created_at: datetime
    next_attempt_at: datetime
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    last_error: str | None = None
    migrated_from: int | None = None
    delivered_at: datetime | None = None
    telegram_message_id: int | None = None
    failed_at: datetime | None = None
    buttons: list[list[list[str]]] = Field(default_factory=list)  # rows of [text, callback data]
    document_path: str | None = None  # where reporting serves the PDF to send, under PUENTE_REPORTING_URL
    document_name: str | None = None


NOTIFICATIONS = Stored(NOTIFICATIONS_COLLECTION, StoredNotification,
                       indexed_by=[("status", "next_attempt_at"), ("chat_id",)])


def chat_key(chat_id: int) -> str:
    """What everything the notifier writes for one chat serializes on (`Transaction.serialize_on`), and so does
    that person's removal or forgetting: whichever commits second sees the first, so a person forgotten while a
    message or a reminder for them is being stored gets neither, and nothing of theirs is left behind."""
    return f"chat:{chat_id}"


async def store_notifications(transaction: Transaction, cause: Message, notifications: list, now: datetime,
                              item_id: str | None = None) -> int:
    """Record notifications to send, in the transaction that claims their cause. Ids derive from the cause, the
    chat and the kind, so one cause never makes two of the same notification."""
    for chat_id in sorted({notification.chat_id for notification in notifications}):
        await transaction.serialize_on(chat_key(chat_id))
    stored = transaction.collection(NOTIFICATIONS)
    for notification in notifications:
        await stored.add(StoredNotification(
            id=str(derived_id(cause.event_id, notification.chat_id, notification.kind)),
            chat_id=notification.chat_id,
            kind=notification.kind,
            text=notification.text,
            item_id=item_id,
            caused_by=str(cause.event_id),
            created_at=now,
            next_attempt_at=now,
            buttons=[[list(button) for button in row] for row in notification.buttons],
            document_path=document_path(notification.document) if notification.document else None,
            document_name=notification.document.file_name if notification.document else None,
        ))
    return len(notifications)


def document_path(file: ReportFile) -> str:
    return "/reports/download?" + urlencode({"id": str(file.report_id), "key": file.download_key})


class DocumentUnavailable(Exception):
    """Reporting did not give the PDF: `permanent` when it says there is no such report (sending again won't
    help), else it may answer later."""

    def __init__(self, reason: str, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


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
        self,
        database: AsyncDatabase,
        unit_of_work: UnitOfWork,
        settings: Settings,
        metrics: ServiceMetrics,
        poll_seconds: float = 1.0,
        clock: Clock = utc_now,
        replica: str | None = None,
    ) -> None:
        self.database = database
        self.unit_of_work = unit_of_work
        self.settings = settings
        self.metrics = metrics
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.replica = replica or uuid.uuid4().hex
        self.outcomes = metrics.notification_outcomes
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

    def _paused(self) -> bool:
        return asyncio.get_running_loop().time() < self.paused_until

    async def _pace(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        wait = self.last_sent_to_chat.get(chat_id, -1e9) + SECONDS_BETWEEN_MESSAGES_TO_ONE_CHAT - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        await self.global_limiter.acquire()
        self.last_sent_to_chat[chat_id] = loop.time()

    def _unclaimed(self, now: datetime) -> dict[str, Any]:
        return {"$or": [{"claimed_until": None}, {"claimed_until": {"$lte": now}}]}

    async def deliver_due(self) -> int:
        """Send every notification that is due now and that no other replica is sending; returns how many this
        replica attempted."""
        bot = await self._bot()
        if bot is None or self._paused():
            return 0
        now = self.clock()
        due = (
            await self.database[NOTIFICATIONS_COLLECTION]
            .find({"status": "pending", "next_attempt_at": {"$lte": now}, **self._unclaimed(now)}, {"_id": 1})
            .sort("next_attempt_at", ASCENDING)
            .limit(BATCH)
            .to_list()
        )
        attempted = 0
        for candidate in due:
            if self._paused():  # Telegram asked us to wait: leave the rest unclaimed for later
                break
            notification = await self._claim(candidate["_id"])
            if notification is None:  # another replica took it, or it is no longer due
                continue
            attempted += 1
            await self._deliver(bot, notification)
        return attempted

    async def _claim(self, notification_id: str) -> dict[str, Any] | None:
        now = self.clock()
        return await self.database[NOTIFICATIONS_COLLECTION].find_one_and_update(
            {"_id": notification_id, "status": "pending", "next_attempt_at": {"$lte": now}, **self._unclaimed(now)},
            {"$set": {"claimed_by": self.replica, "claimed_until": now + timedelta(seconds=CLAIM_SECONDS)}},
            return_document=ReturnDocument.AFTER,
        )

    async def _deliver(self, bot: Bot, notification: dict[str, Any]) -> None:
        await self._pace(notification["chat_id"])
        attempts = notification.get("attempts", 0) + 1
        try:
            buttons = notification.get("buttons") or []
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in row]
                                           for row in buttons]) if buttons else None
            if notification.get("document_path"):
                content = await self._fetch_document(notification["document_path"])
                sent = await bot.send_document(chat_id=notification["chat_id"], document=content,
                                               filename=notification.get("document_name") or "report.pdf",
                                               caption=notification["text"], reply_markup=markup)
            else:
                sent = await bot.send_message(chat_id=notification["chat_id"], text=notification["text"],
                                              reply_markup=markup)
        except RetryAfter as flood:
            retry_after = retry_after_seconds(flood)
            self.paused_until = asyncio.get_running_loop().time() + retry_after
            await self._retry(notification, retry_after, f"429 retry after {retry_after}s", count_attempt=False)
        except ChatMigrated as migrated:
            await self._follow(notification, migrated.new_chat_id)
        except DocumentUnavailable as unavailable:
            if unavailable.permanent:
                await self._give_up(notification, f"document: {unavailable}")
            else:
                await self._retry_or_give_up(notification, attempts, f"document: {unavailable}")
        except (Forbidden, BadRequest) as refused:  # blocked bot, deleted chat, bad text: sending again won't help
            await self._give_up(notification, f"{type(refused).__name__}: {refused.message}")
        except TelegramError as error:  # network, timeouts, 5xx, invalid token, wrong address, conflict
            await self._retry_or_give_up(notification, attempts, f"{type(error).__name__}: {error.message}")
        except Exception as error:
            log.exception("unexpected error sending a notification", notification_id=notification["_id"])
            await self._retry_or_give_up(notification, attempts, f"{type(error).__name__}")
        else:
            await self._mark_delivered(notification, sent.message_id)

    async def _fetch_document(self, path: str) -> bytes:
        """The PDF from reporting, which keeps it (the event carried only where and its key)."""
        try:
            async with httpx.AsyncClient(base_url=self.settings.reporting_url, timeout=30.0) as client:
                response = await client.get(path)
        except httpx.HTTPError as error:
            raise DocumentUnavailable(type(error).__name__, permanent=False) from error
        if response.status_code == 404:
            raise DocumentUnavailable("404 from reporting", permanent=True)
        if response.status_code != 200 or response.headers.get("content-type") != "application/pdf":
            raise DocumentUnavailable(f"{response.status_code} from reporting", permanent=False)
        return response.content

    async def _retry_or_give_up(self, notification: dict[str, Any], attempts: int, error: str) -> None:
        if attempts >= MAX_ATTEMPTS:
            await self._give_up(notification, f"gave up after {MAX_ATTEMPTS} attempts: {error}")
        else:
            await self._retry(notification, backoff_seconds(attempts), error)

    async def _settle(self, notification: dict[str, Any], changes: dict[str, Any], count_attempt: bool = True) -> None:
        """Record an outcome and release the claim."""
        await self.database[NOTIFICATIONS_COLLECTION].update_one(
            {"_id": notification["_id"], "status": "pending"},
            {"$set": changes, "$unset": {"claimed_by": "", "claimed_until": ""},
             "$inc": {"attempts": 1 if count_attempt else 0}},
        )

    async def _retry(self, notification: dict[str, Any], delay: float, error: str, count_attempt: bool = True) -> None:
        await self._settle(notification, {"next_attempt_at": self.clock() + timedelta(seconds=delay),
                                          "last_error": error}, count_attempt)
        self.outcomes.labels(self.metrics.service, "retried").inc()
        log.warning("telegram delivery postponed", notification_id=notification["_id"], delay_seconds=delay,
                    error=error)

    async def _follow(self, notification: dict[str, Any], new_chat_id: int) -> None:
        await self._settle(notification, {"chat_id": new_chat_id, "migrated_from": notification["chat_id"],
                                          "next_attempt_at": self.clock()}, count_attempt=False)
        self.outcomes.labels(self.metrics.service, "migrated").inc()
        log.info("chat migrated; notification follows it", notification_id=notification["_id"])

    async def _give_up(self, notification: dict[str, Any], error: str) -> None:
        await self._settle(notification, {"status": "failed", "last_error": error, "failed_at": self.clock()})
        self.outcomes.labels(self.metrics.service, "failed").inc()
        log.error("telegram delivery failed for good", notification_id=notification["_id"], error=error)

    async def _mark_delivered(self, notification: dict[str, Any], telegram_message_id: int) -> None:
        async def work(transaction: Transaction) -> None:
            stored = transaction.collection(NOTIFICATIONS)
            pending = await stored.get(notification["_id"])
            if pending is None or pending.status != "pending":
                return
            await stored.save(pending.model_copy(update={
                "status": "delivered", "delivered_at": self.clock(), "telegram_message_id": telegram_message_id,
                "claimed_by": None, "claimed_until": None, "attempts": pending.attempts + 1,
            }))
            await transaction.announce(
                self.settings.topics.notification_events,
                NotificationDelivered.new(
                    payload=NotificationDeliveredPayload(
                        notification_id=pending.id, chat_id=pending.chat_id, kind=pending.kind,
                        item_id=pending.item_id,
                    ),
                    actor=SYSTEM_ACTOR,
                    city=self.settings.city,
                    event_id=derived_id(pending.id, "delivered"),
                ),
            )

        await self.unit_of_work.run(work)
        self.outcomes.labels(self.metrics.service, "delivered").inc()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                attempted = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.metrics.loops.failed(DELIVERY_LOOP)
                log.exception("telegram delivery pass failed; will retry",
                              failures=self.metrics.loops.failures(DELIVERY_LOOP))
                attempted = 0
            else:
                self.metrics.loops.succeeded(DELIVERY_LOOP)
            if attempted:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass

    async def close(self) -> None:
        if self.bot is not None:
            await self.bot.shutdown()
