"""At-least-once in, exactly-once effect, no dual writes.

A handler runs inside one MongoDB transaction (`Transaction`): it claims the incoming message in the `inbox`
collection (a unique `_id` per message id, so a redelivery is a no-op), changes its documents, and records the
events it announces in the `outbox` collection. The `OutboxRelay` publishes outbox entries to Kafka and deletes
them only after Kafka acknowledged them; a crash in between publishes again, and consumers drop the duplicate.
When a service runs several replicas, a lease in the database (`RelayLease`) lets one relay at a time publish, so
replicas do not publish the same entries side by side or interleave one key's events out of order.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from puente.contracts.envelope import Message
from puente.wiring.faults import crash_here_if_asked
from puente.wiring.logging import get_logger
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.settings import CrashPoint, Settings
from puente.wiring.storage import Collection, MongoCollection, Stored
from puente.wiring.transaction import SERIALIZED_ON, AlreadyHandled, Transaction

log = get_logger(__name__)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

INBOX = "inbox"
OUTBOX = "outbox"
RELAY_LEASE = "outbox_relay_lease"
RELAY_LOOP = "outbox-relay"


class MongoTransaction(Transaction):
    """A transaction in MongoDB: the inbox claim, the service's documents and the outbox entries commit together."""

    def __init__(self, database: AsyncDatabase, session: AsyncClientSession) -> None:
        super().__init__()
        self._database = database
        self._session = session

    def collection(self, kind: Stored[M]) -> Collection[M]:
        return MongoCollection(self._database[kind.collection], self._session, kind.model)

    async def claim(self, message: Message) -> None:
        try:
            await self._database[INBOX].insert_one(
                {"_id": str(message.event_id), "type": message.type, "received_at": datetime.now(UTC)},
                session=self._session,
            )
        except DuplicateKeyError as duplicate:
            raise AlreadyHandled(str(message.event_id)) from duplicate

    async def serialize_on(self, key: str) -> None:
        await self._database[SERIALIZED_ON].update_one({"_id": key}, {"$inc": {"transactions": 1}}, upsert=True,
                                                      session=self._session)

    async def stop_serializing_on(self, key: str) -> None:
        await self.serialize_on(key)  # a deletion that matched nothing would order nothing
        await self._database[SERIALIZED_ON].delete_one({"_id": key}, session=self._session)

    async def announce(self, topic: str, event: Message) -> None:
        await self._database[OUTBOX].insert_one(
            {
                "event_id": str(event.event_id),
                "type": event.type,
                "topic": topic,
                "key": event.aggregate_id(),
                "value": event.to_bytes(),
                "correlation_id": str(event.correlation_id),
                "recorded_at": datetime.now(UTC),
            },
            session=self._session,
        )
        self.announced += 1


class MongoUnitOfWork:
    """Runs handler code in a MongoDB transaction and wakes the relay when it announced something."""

    def __init__(
        self,
        client: AsyncMongoClient,
        database: AsyncDatabase,
        settings: Settings,
        on_announced: Callable[[], None] = lambda: None,
    ) -> None:
        self.client = client
        self.database = database
        self.settings = settings
        self.on_announced = on_announced

    async def run(self, work: Callable[[Transaction], Awaitable[T]]) -> T | None:
        """Run `work` atomically. Returns None, changing nothing, when the message was already handled."""
        transaction: MongoTransaction | None = None

        async def attempt(session: AsyncClientSession) -> T:
            nonlocal transaction
            transaction = MongoTransaction(self.database, session)
            return await work(transaction)

        try:
            async with self.client.start_session() as session:
                result = await session.with_transaction(attempt)
        except AlreadyHandled as duplicate:
            log.info("message already handled", event_id=str(duplicate))
            return None
        if transaction is not None and transaction.announced:
            crash_here_if_asked(self.settings, CrashPoint.after_outbox_write)
            self.on_announced()
        for callback in transaction.committed_callbacks if transaction is not None else ():
            callback()
        return result


# An inbox entry only has to outlive any redelivery of its message: Kafka keeps messages 7 days by default.
INBOX_RETENTION_SECONDS = 30 * 24 * 3600


async def ensure_inbox_outbox_indexes(database: AsyncDatabase) -> None:
    """The inbox's expiry index. The outbox needs none beyond `_id`: the relay reads it in `_id` order."""
    await database[INBOX].create_index([("received_at", ASCENDING)], expireAfterSeconds=INBOX_RETENTION_SECONDS)


class RelayLease:
    """Which replica's relay may publish the outbox: the holder renews the lease once a third of it has passed
    (so an idle relay writes every few seconds, not on every poll); when it stops, it gives the lease up, and when
    it dies, another replica takes over once the lease expires."""

    LEASE_ID = "relay"

    def __init__(self, database: AsyncDatabase, seconds: float, holder: str | None = None) -> None:
        self.collection = database[RELAY_LEASE]
        self.seconds = seconds
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renewed_at: float | None = None  # monotonic time of the last successful take or renewal

    async def hold(self) -> bool:
        """Take or renew the lease; False while another live relay holds it."""
        if self._renewed_at is not None and time.monotonic() - self._renewed_at < self.seconds / 3:
            return True  # renewed recently: nobody else can have taken it before it expires
        self._renewed_at = None
        renewing_at = time.monotonic()
        now = datetime.now(UTC)
        try:
            await self.collection.find_one_and_update(
                {"_id": self.LEASE_ID, "$or": [{"holder": self.holder}, {"expires_at": {"$lte": now}}]},
                {"$set": {"holder": self.holder, "expires_at": now + timedelta(seconds=self.seconds)}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:  # the lease exists, held by someone else and not expired
            return False
        self._renewed_at = renewing_at
        return True

    async def release(self) -> None:
        self._renewed_at = None
        await self.collection.delete_one({"_id": self.LEASE_ID, "holder": self.holder})


class OutboxRelay:
    """Publishes outbox entries in the order they were recorded, then deletes them."""

    def __init__(
        self,
        database: AsyncDatabase,
        broker: KafkaBroker,
        settings: Settings,
        metrics: ServiceMetrics,
        batch_size: int = 200,
        linger_seconds: float = 0.02,
    ) -> None:
        self.database = database
        self.broker = broker
        self.settings = settings
        self.metrics = metrics
        self.batch_size = batch_size
        self.linger_seconds = linger_seconds
        self.lease = RelayLease(database, settings.outbox_lease_seconds)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        """One pass over the outbox; returns how many events it published (none while another replica holds the
        lease).

        A batch is handed to the producer in recorded order (so per-key order holds), then awaited as a whole;
        entries are deleted only once Kafka acknowledged every one of them.
        """
        holding = await self.lease.hold()
        self.metrics.outbox_lease_held.labels(self.metrics.service).set(1 if holding else 0)
        if not holding:
            return 0
        entries = await self.database[OUTBOX].find().sort("_id", ASCENDING).limit(self.batch_size).to_list()
        self.metrics.outbox_pending.labels(self.metrics.service).set(len(entries))
        if not entries:
            return 0
        acknowledgements = [
            await self.broker.publish(
                entry["value"],
                topic=entry["topic"],
                key=entry["key"].encode(),
                headers={"content-type": "application/json", "event_type": entry["type"]},
                correlation_id=entry["correlation_id"],
                no_confirm=True,
            )
            for entry in entries
        ]
        await asyncio.gather(*acknowledgements)
        crash_here_if_asked(self.settings, CrashPoint.after_publish)
        await self.database[OUTBOX].delete_many({"_id": {"$in": [entry["_id"] for entry in entries]}})
        self.metrics.outbox_published.labels(self.metrics.service).inc(len(entries))
        return len(entries)

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before the pass, so a wake-up during the pass is not lost
            try:
                published = await self.publish_pending()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.metrics.loops.failed(RELAY_LOOP)
                log.exception("outbox relay pass failed; will retry", failures=self.metrics.loops.failures(RELAY_LOOP))
                published = 0
            else:
                self.metrics.loops.succeeded(RELAY_LOOP)
            if published >= self.batch_size:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.outbox_poll_seconds)
            except TimeoutError:
                continue
            # Woken by a commit: linger a moment so that events committed meanwhile travel in the same batch.
            await asyncio.sleep(self.linger_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        try:
            await asyncio.wait_for(self.lease.release(), timeout=5)
        except Exception:  # noqa: BLE001 - the database is away: the lease expires by itself
            log.warning("could not give up the outbox relay lease; another replica takes over when it expires")
