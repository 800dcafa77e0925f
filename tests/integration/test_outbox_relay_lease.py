"""Several replicas of one service share one outbox: a lease lets one relay at a time publish it, so replicas do not
publish the same entries side by side. A replica that stops hands over at once; one that dies hands over
when its lease expires. Real Kafka, real SecantusDB."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from puente.contracts.envelope import Message
from puente.wiring.database import service_database
from puente.wiring.messaging import build_broker, ensure_topics
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.outbox import OUTBOX, RELAY_LEASE, MongoUnitOfWork, OutboxRelay
from puente.wiring.settings import Settings
from tests.factories import propose_exchange
from tests.helpers import eventually, read_topic

pytestmark = pytest.mark.integration


@asynccontextmanager
async def replica(settings: Settings, database) -> AsyncIterator[OutboxRelay]:
    """One replica's relay, with its own Kafka producer, over the shared outbox."""
    metrics = ServiceMetrics("intake")
    broker = build_broker("intake", settings, metrics)
    await broker.connect()
    try:
        yield OutboxRelay(database, broker, settings, metrics)
    finally:
        await broker.stop()


async def record(unit_of_work: MongoUnitOfWork, topic: str, messages: list[Message]) -> None:
    for message in messages:
        async def announce(transaction, message=message):
            await transaction.announce(topic, message)
        await unit_of_work.run(announce)


@pytest.fixture
async def shared_outbox(settings: Settings) -> AsyncIterator[tuple[AsyncDatabase, MongoUnitOfWork]]:
    """intake's database, whose outbox every replica shares, and a way to record events in it."""
    await ensure_topics(settings)
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    database = service_database(mongo, settings, "intake")
    try:
        yield database, MongoUnitOfWork(mongo, database, settings)
    finally:
        await mongo.close()


async def test_one_replica_publishes_and_a_stopping_replica_hands_over_at_once(settings, shared_outbox):
    database, unit_of_work = shared_outbox
    topic = settings.topics.item_events
    first_batch = [propose_exchange(title=f"Primera {number}") for number in range(3)]
    second_batch = [propose_exchange(title=f"Segunda {number}") for number in range(3)]
    async with replica(settings, database) as first, replica(settings, database) as second:
        await record(unit_of_work, topic, first_batch)
        assert await first.publish_pending() == 3
        await record(unit_of_work, topic, second_batch)
        assert await second.publish_pending() == 0, "the second replica must wait while the first holds the lease"
        assert await database[OUTBOX].count_documents({}) == 3

        await first.stop()
        assert await database[RELAY_LEASE].count_documents({}) == 0, "a clean stop gives the lease up"
        assert await second.publish_pending() == 3
        assert await first.lease.hold() is False, "the lease is now the second replica's"

    published = await read_topic(settings, topic, expected=6)
    assert sorted(entry.value for entry in published) == sorted(m.to_bytes() for m in first_batch + second_batch)
    assert await database[OUTBOX].count_documents({}) == 0


async def test_a_replica_that_died_holding_the_lease_is_replaced_once_the_lease_expires(settings, shared_outbox):
    database, unit_of_work = shared_outbox
    topic = settings.topics.item_events
    messages = [propose_exchange(title=f"Huérfana {number}") for number in range(4)]
    async with replica(settings, database) as dead, replica(settings, database) as survivor:
        assert await dead.lease.hold()  # it took the lease, then died without a word
        await record(unit_of_work, topic, messages)
        assert await survivor.publish_pending() == 0

        survivor.start()
        survivor.wake()
        await eventually(lambda: _outbox_empty(database), timeout=3 * settings.outbox_lease_seconds,
                         message="the surviving replica to take the expired lease and publish")
        await survivor.stop()

    published = await read_topic(settings, topic, expected=4)
    assert sorted(entry.value for entry in published) == sorted(m.to_bytes() for m in messages)


async def _outbox_empty(database) -> bool:
    return await database[OUTBOX].count_documents({}) == 0


async def test_an_idle_holder_keeps_renewing_its_lease_so_no_other_replica_takes_over(settings, shared_outbox):
    database, _ = shared_outbox
    async with replica(settings, database) as holder, replica(settings, database) as other:
        holder.start()
        first = await eventually(lambda: database[RELAY_LEASE].find_one({"holder": holder.lease.holder}),
                                 message="the relay to take the lease")
        renewed = await eventually(
            lambda: database[RELAY_LEASE].find_one({"holder": holder.lease.holder,
                                                    "expires_at": {"$gt": first["expires_at"]}}),
            timeout=3 * settings.outbox_lease_seconds, message="the idle relay to renew its lease")
        assert renewed["expires_at"] > first["expires_at"]
        assert await other.lease.hold() is False
        await holder.stop()
