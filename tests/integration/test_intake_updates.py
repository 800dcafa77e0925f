"""Staff update their proposals at any phase, keeping the history; what they may not do is refused and answered."""

from __future__ import annotations

import json

import pytest
from pymongo import AsyncMongoClient

from puente.contracts.envelope import Actor, ActorRole, derived_id
from services.intake.app import build_app as build_intake
from tests.factories import propose_exchange, staff, update_item
from tests.helpers import eventually, publish_message, read_topic, running_app, seated

pytestmark = pytest.mark.integration


async def test_an_update_keeps_history_and_a_foreign_update_is_rejected_without_change(settings):
    await seated(settings, (5001, "staff", "sed"), (6001, "staff", "sds"))
    proposal = propose_exchange()
    item_id = derived_id(proposal.event_id, "item")
    own_update = update_item(item_id, title="Aulas abiertas rurales")
    foreign_update = update_item(item_id, actor=staff("sds", user_id="6001"), title="Tomado por otra entidad")
    # Written straight onto Kafka by someone with broker access: the role and entity claimed do not count, the
    # directory's do (6001 is staff of sds; 9999 is nobody).
    claiming_coordinator = update_item(item_id, actor=Actor(role=ActorRole.coordinator, id="6001"), title="Mío")
    claiming_system = update_item(item_id, actor=Actor(role=ActorRole.system, id="9999"), title="Del sistema")
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    items = mongo[settings.database_name("intake")].items
    try:
        async with running_app(build_intake(settings)):
            await publish_message(settings, settings.topics.intake_commands, proposal)
            await eventually(lambda: items.find_one({"_id": str(item_id)}), message="the proposal to be stored")
            await publish_message(settings, settings.topics.intake_commands, own_update)
            for forged in (foreign_update, claiming_coordinator, claiming_system):
                await publish_message(settings, settings.topics.intake_commands, forged)
            events = await read_topic(settings, settings.topics.item_events, expected=5)
        item = await items.find_one({"_id": str(item_id)})
    finally:
        await mongo.close()

    assert item["title"] == "Aulas abiertas rurales" and item["revision"] == 2
    assert item["history"][0]["previous"] == {"title": "Aulas abiertas"}
    documents = [json.loads(record.value) for record in events]
    assert [document["type"] for document in documents] == [
        "exchange.proposed", "item.updated", "command.rejected", "command.rejected", "command.rejected"]
    assert documents[1]["payload"]["revision"] == 2
    rejected = {document["payload"]["command_id"]: document for document in documents[2:]}
    assert rejected[str(foreign_update.event_id)]["payload"]["reason"] == "not_your_entity"
    assert rejected[str(claiming_coordinator.event_id)]["payload"]["reason"] == "not_your_entity"
    assert rejected[str(claiming_system.event_id)]["payload"]["reason"] == "not_a_member"
    assert rejected[str(foreign_update.event_id)]["actor"]["id"] == "6001", "the notifier answers who asked"
    assert all(record.key == str(item_id).encode() for record in events), "one item's events share a partition"
