"""Staff update their proposals at any phase, keeping the history; what they may not do is refused and answered."""

from __future__ import annotations

import json

import pytest
from pymongo import AsyncMongoClient

from puente.contracts.envelope import derived_id
from services.intake.app import build_app as build_intake
from tests.factories import propose_exchange, staff, update_item
from tests.helpers import eventually, publish_message, read_topic, running_app

pytestmark = pytest.mark.integration


async def test_an_update_keeps_history_and_a_foreign_update_is_rejected_without_change(settings):
    proposal = propose_exchange()
    item_id = derived_id(proposal.event_id, "item")
    own_update = update_item(item_id, title="Aulas abiertas rurales")
    foreign_update = update_item(item_id, actor=staff("sds", user_id="6001"), title="Tomado por otra entidad")
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    items = mongo[settings.database_name("intake")].items
    try:
        async with running_app(build_intake(settings)):
            await publish_message(settings, settings.topics.intake_commands, proposal)
            await eventually(lambda: items.find_one({"_id": str(item_id)}), message="the proposal to be stored")
            await publish_message(settings, settings.topics.intake_commands, own_update)
            await publish_message(settings, settings.topics.intake_commands, foreign_update)
            events = await read_topic(settings, settings.topics.item_events, expected=3)
        item = await items.find_one({"_id": str(item_id)})
    finally:
        await mongo.close()

    assert item["title"] == "Aulas abiertas rurales" and item["revision"] == 2
    assert item["history"][0]["previous"] == {"title": "Aulas abiertas"}
    by_type = {json.loads(record.value)["type"]: json.loads(record.value) for record in events}
    assert set(by_type) == {"exchange.proposed", "item.updated", "command.rejected"}
    assert by_type["item.updated"]["payload"]["revision"] == 2
    rejected = by_type["command.rejected"]
    assert rejected["payload"]["reason"] == "not_your_entity"
    assert rejected["payload"]["command_id"] == str(foreign_update.event_id)
    assert rejected["actor"]["id"] == "6001", "the notifier answers the person who asked"
    assert all(record.key == str(item_id).encode() for record in events), "one item's events share a partition"
