"""A command travels bot → Kafka → intake → MongoDB + outbox → Kafka → phases and reporting, on real servers."""

from __future__ import annotations

import httpx
import pytest
from pymongo import AsyncMongoClient

from puente.contracts.envelope import derived_id
from services.intake.app import build_app as build_intake
from services.phases.app import build_app as build_phases
from services.reporting.app import build_app as build_reporting
from tests.factories import propose_exchange, propose_practice
from tests.helpers import eventually, publish_message, read_topic, running_app, seated

pytestmark = pytest.mark.integration


async def test_a_proposal_is_stored_announced_and_starts_its_first_phase(settings):
    await seated(settings, (5001, "staff", "sed"))
    command = propose_exchange()
    item_id = str(derived_id(command.event_id, "item"))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    intake_db = mongo[settings.database_name("intake")]
    phases_db = mongo[settings.database_name("phases")]
    reporting_db = mongo[settings.database_name("reporting")]
    try:
        async with running_app(build_intake(settings)), running_app(build_phases(settings)), \
                running_app(build_reporting(settings)):
            await publish_message(settings, settings.topics.intake_commands, command)

            process = await eventually(lambda: phases_db.processes.find_one({"_id": item_id}),
                                       message="phases to start the exchange's first phase")
            item = await intake_db.items.find_one({"_id": item_id})
            facts = await eventually(lambda: reporting_db.item_facts.find_one({"_id": item_id, "entity_id": "sed"}),
                                     message="reporting to keep the proposal")
            # Phases stores the process and its phase.started in one transaction; its relay publishes the event a
            # moment later. Stop the services only once it has.
            await eventually(lambda: _relayed(phases_db), message="phases' relay to publish phase.started")

        assert item["title"] == "Aulas abiertas"
        assert item["line"] == "aprende" and item["status"] == "proposed" and item["revision"] == 1
        assert process["current_phase"] == 1
        assert [phase["key"] for phase in process["phases"]][:2] == ["demand", "matching"]
        assert process["phases"][0]["status"] == "started" and process["phases"][1]["status"] == "pending"
        assert (facts["line"], facts["sector"], facts["title"]) == ("aprende", item["sector"], "Aulas abiertas")
        assert await intake_db.outbox.count_documents({}) == 0, "the relay empties the outbox once Kafka has the event"

        announced = await read_topic(settings, settings.topics.item_events, expected=1)
        assert [record.key.decode() for record in announced] == [item_id]
        started = await read_topic(settings, settings.topics.phase_events, expected=1)
        assert len(started) == 1 and b'"phase.started"' in started[0].value
    finally:
        await mongo.close()


async def test_a_practice_is_stored_on_the_ensena_line_and_starts_its_evaluation(settings):
    await seated(settings, (5001, "staff", "sed"))
    command = propose_practice()
    item_id = str(derived_id(command.event_id, "item"))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    try:
        async with running_app(build_intake(settings)), running_app(build_phases(settings)):
            await publish_message(settings, settings.topics.intake_commands, command)
            process = await eventually(
                lambda: mongo[settings.database_name("phases")].processes.find_one({"_id": item_id}),
                message="phases to start the practice's first phase",
            )
        item = await mongo[settings.database_name("intake")].items.find_one({"_id": item_id})
        assert item["line"] == "ensena" and item["title"] == "Escuelas de padres"
        assert [phase["key"] for phase in process["phases"]] == ["evaluation", "systematization", "promotion"]
        assert process["phases"][0]["status"] == "started"
        announced = await read_topic(settings, settings.topics.item_events, expected=1)
        assert len(announced) == 1 and b'"practice.proposed"' in announced[0].value
    finally:
        await mongo.close()


async def test_health_readiness_metrics_and_asyncapi_are_served(settings):
    async with running_app(build_intake(settings)) as port:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            health = await http.get("/healthz")
            ready = await eventually(lambda: _ready(http), message="/readyz to report Kafka and MongoDB up")
            metrics = await http.get("/metrics")
            asyncapi = await http.get("/asyncapi.json")
            try_it_out = await http.post("/asyncapi/try", json={"channelName": "intake-commands", "message": {}})
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200 and ready.json() == {"kafka": True, "mongo": True, "failing_loops": []}
    assert "puente_outbox_published_total" in metrics.text
    assert asyncapi.status_code == 200
    assert settings.topics.intake_commands in asyncapi.text
    assert try_it_out.status_code == 404, "nobody may publish into Kafka through the health port"


async def _ready(http: httpx.AsyncClient) -> httpx.Response | None:
    response = await http.get("/readyz", timeout=10)
    return response if response.status_code == 200 else None


async def _relayed(database) -> bool:
    return await database.outbox.count_documents({}) == 0
