"""Shared test fixtures. Integration tests run against a real Kafka broker and the real SecantusDB server.

By default the suite starts a throw-away instance of both on free ports and deletes it afterwards. To reuse
servers you already run, set PUENTE_TEST_KAFKA_BOOTSTRAP_SERVERS and PUENTE_TEST_MONGO_URI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from puente import i18n
from puente.local.infra import LocalInfrastructure
from puente.wiring.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def strict_texts() -> Iterator[None]:
    """Every text rendered in the suite must get exactly the variables it uses: a missing one raises."""
    previous = i18n.set_strict(True)
    yield
    i18n.set_strict(previous)


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[dict[str, str]]:
    """Addresses of a running Kafka and MongoDB-compatible server; fails (never skips) if they cannot start."""
    kafka = os.environ.get("PUENTE_TEST_KAFKA_BOOTSTRAP_SERVERS")
    mongo = os.environ.get("PUENTE_TEST_MONGO_URI")
    if kafka and mongo:
        yield {"PUENTE_KAFKA_BOOTSTRAP_SERVERS": kafka, "PUENTE_MONGO_URI": mongo}
        return
    instance = LocalInfrastructure(f"test-{os.getpid()}")
    try:
        instance.up()
        yield instance.environment()
    finally:
        instance.destroy()


@pytest.fixture
async def settings(infrastructure: dict[str, str]) -> AsyncIterator[Settings]:
    """Settings for one test: its own topic prefix and database prefix, deleted afterwards."""
    run_id = uuid.uuid4().hex[:10]
    test_settings = Settings(
        kafka_bootstrap_servers=infrastructure["PUENTE_KAFKA_BOOTSTRAP_SERVERS"],
        mongo_uri=infrastructure["PUENTE_MONGO_URI"],
        kafka_topic_prefix=f"test-{run_id}",
        mongo_database_prefix=f"test_{run_id}",
        outbox_poll_seconds=0.2,
        outbox_lease_seconds=2.0,
        log_format="console",
    )
    yield test_settings
    await _delete_test_data(test_settings)


async def _delete_test_data(test_settings: Settings) -> None:
    client = AsyncMongoClient(test_settings.mongo_uri.get_secret_value())
    try:
        for name in await client.list_database_names():
            if name.startswith(test_settings.mongo_database_prefix + "_"):
                await client.drop_database(name)
    finally:
        await client.close()
    admin = AIOKafkaAdminClient(bootstrap_servers=test_settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        topics = [
            topic for topic in await admin.list_topics() if topic.startswith(test_settings.kafka_topic_prefix + ".")
        ]
        if topics:
            await admin.delete_topics(topics)
    finally:
        await admin.close()


def service_environment(test_settings: Settings, **overrides: str) -> dict[str, str]:
    """Environment variables that make a service subprocess use the same settings as the test."""
    environment = dict(os.environ)
    environment.update(
        {
            "PUENTE_KAFKA_BOOTSTRAP_SERVERS": test_settings.kafka_bootstrap_servers,
            "PUENTE_MONGO_URI": test_settings.mongo_uri.get_secret_value(),
            "PUENTE_KAFKA_TOPIC_PREFIX": test_settings.kafka_topic_prefix,
            "PUENTE_MONGO_DATABASE_PREFIX": test_settings.mongo_database_prefix,
            "PUENTE_OUTBOX_POLL_SECONDS": str(test_settings.outbox_poll_seconds),
            "PUENTE_OUTBOX_LEASE_SECONDS": str(test_settings.outbox_lease_seconds),
            "PUENTE_LOG_FORMAT": "json",
        }
    )
    environment.update(overrides)
    return environment
