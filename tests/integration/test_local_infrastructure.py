"""`puente infra up|down|status`: idempotent, waits until the servers answer, stops by pid, keeps the data."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from pymongo import MongoClient

from puente.local.infra import LocalInfrastructure
from puente.wiring.settings import Settings
from tests.helpers import read_topic

pytestmark = pytest.mark.integration


def test_up_is_idempotent_and_data_survives_down_and_up():
    infrastructure = LocalInfrastructure(f"test-infra-{uuid.uuid4().hex[:8]}")
    try:
        first = infrastructure.up()
        pids = (first.kafka_pid, first.mongo_pid)
        assert infrastructure.up().kafka_pid == pids[0], "a second `up` starts nothing new"
        elsewhere = LocalInfrastructure(infrastructure.name, kafka_port=first.kafka_port + 1, mongo_port=1)
        assert (elsewhere.state.kafka_port, elsewhere.state.mongo_port) == (first.kafka_port, first.mongo_port), \
            "running servers keep their ports"
        status = infrastructure.status()
        assert status["kafka"]["answers"] and status["mongo"]["answers"]

        environment = infrastructure.environment()
        with MongoClient(environment["PUENTE_MONGO_URI"]) as mongo:
            mongo.kept.things.insert_one({"_id": "survivor"})
        asyncio.run(_produce(environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"], "kept-topic", b"survivor"))

        infrastructure.down()
        status = infrastructure.status()
        assert not status["kafka"]["running"] and not status["mongo"]["running"]
        assert not status["kafka"]["answers"] and not status["mongo"]["answers"]

        infrastructure.up()
        with MongoClient(environment["PUENTE_MONGO_URI"]) as mongo:
            assert mongo.kept.things.find_one({"_id": "survivor"}) == {"_id": "survivor"}
        settings = Settings(kafka_bootstrap_servers=environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"])
        records = asyncio.run(read_topic(settings, "kept-topic", expected=1))
        assert [record.value for record in records] == [b"survivor"]
    finally:
        infrastructure.destroy()
    assert not infrastructure.home.exists()


async def _produce(bootstrap_servers: str, topic: str, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value)
    finally:
        await producer.stop()


def test_ports_can_change_between_runs(tmp_path):
    infrastructure = LocalInfrastructure("ports", root=tmp_path)
    infrastructure._save_state()
    chosen = infrastructure.state
    reopened = LocalInfrastructure("ports", kafka_port=chosen.kafka_port + 1, mongo_port=0, root=tmp_path)
    assert reopened.state.kafka_port == chosen.kafka_port + 1, "nothing runs: the requested port applies"
    assert reopened.state.mongo_port == chosen.mongo_port, "0 keeps the saved port"
