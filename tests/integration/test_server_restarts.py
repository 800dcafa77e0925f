"""Nothing lost, nothing twice when the database or the broker restarts mid-work.

These tests stop and start servers, so they use an instance of their own rather than the suite's."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from pymongo import AsyncMongoClient

from puente.local.infra import LocalInfrastructure
from puente.wiring.settings import Settings
from services.intake.app import build_app as build_intake
from services.phases.app import build_app as build_phases
from tests.factories import propose_exchange
from tests.helpers import eventually, publish_message, running_app, seated

pytestmark = pytest.mark.integration


@pytest.fixture
def own_infrastructure():
    infrastructure = LocalInfrastructure(f"test-restarts-{uuid.uuid4().hex[:8]}")
    infrastructure.up()
    try:
        yield infrastructure
    finally:
        infrastructure.destroy()


def settings_for(infrastructure: LocalInfrastructure) -> Settings:
    environment = infrastructure.environment()
    return Settings(
        kafka_bootstrap_servers=environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"],
        mongo_uri=environment["PUENTE_MONGO_URI"],
        kafka_topic_prefix="restarts", mongo_database_prefix="restarts", outbox_poll_seconds=0.2,
        log_format="console",
    )


async def count(collection) -> int:
    return await collection.count_documents({})


@pytest.mark.parametrize("server", ["mongo", "kafka"])
async def test_every_command_is_applied_once_across_a_server_restart(own_infrastructure, server):
    settings = settings_for(own_infrastructure)
    await seated(settings, (5001, "staff", "sed"))
    before = [propose_exchange(title=f"Antes {number}") for number in range(5)]
    during = [propose_exchange(title=f"Durante {number}") for number in range(5)]
    async with running_app(build_intake(settings)) as intake_port, running_app(build_phases(settings)):
        mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
        processes = mongo[settings.database_name("phases")].processes
        try:
            for command in before:
                await publish_message(settings, settings.topics.intake_commands, command)
            await eventually(lambda: _reached(processes, 5), timeout=60, message="the first five to pass")

            if server == "mongo":
                await asyncio.to_thread(own_infrastructure.down_mongo)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake_port}", timeout=20) as http:
                    ready = await http.get("/readyz")
                assert ready.status_code == 503
                assert ready.json()["kafka"] is True and ready.json()["mongo"] is False
                for command in during:  # Kafka takes them; intake cannot store them yet
                    await publish_message(settings, settings.topics.intake_commands, command)
                await asyncio.to_thread(own_infrastructure.up)
            else:
                # Stop Kafka while intake's relay and phases' consumer are working on the next five.
                for command in during:
                    await publish_message(settings, settings.topics.intake_commands, command)
                await asyncio.to_thread(own_infrastructure.down_kafka)
                await asyncio.to_thread(own_infrastructure.up)

            await eventually(lambda: _reached(processes, 10), timeout=180, message="all ten after the restart")
            intake_db = mongo[settings.database_name("intake")]
            await eventually(lambda: _empty(intake_db.outbox), timeout=60, message="intake's outbox to drain")
            await eventually(lambda: _empty(mongo[settings.database_name("phases")].outbox), timeout=60,
                             message="phases' outbox to drain")
            assert await count(intake_db.items) == 10
            assert await count(processes) == 10
            assert await count(mongo[settings.database_name("phases")].inbox) == 10
            titles = sorted([doc["title"] async for doc in intake_db.items.find({}, {"title": 1})])
            assert titles == sorted(c.payload.title for c in before + during)
        finally:
            await mongo.close()


async def _reached(collection, expected: int) -> bool:
    try:
        return await collection.count_documents({}) >= expected
    except Exception:  # noqa: BLE001 - the database may be restarting
        return False


async def _empty(collection) -> bool:
    return await collection.count_documents({}) == 0
