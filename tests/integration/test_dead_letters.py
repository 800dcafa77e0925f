"""A malformed or unknown message lands on the dead-letter topic with the error in its headers; the consumer
goes on with the next message and nothing is stored for the bad ones."""

from __future__ import annotations

import json

import pytest
from pymongo import AsyncMongoClient

from puente.contracts.envelope import derived_id
from services.intake.app import build_app as build_intake
from tests.factories import propose_exchange
from tests.helpers import eventually, publish, publish_message, read_topic, running_app, seated

pytestmark = pytest.mark.integration


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_consumer_goes_on(settings):
    await seated(settings, (5001, "staff", "sed"))
    topic = settings.topics.intake_commands
    valid = propose_exchange()
    wrong_version = json.loads(propose_exchange().to_bytes())
    wrong_version["version"] = 7
    injected = json.loads(propose_exchange().to_bytes())
    injected["payload"]["entity_id"] = {"$ne": None}
    bad_messages = [
        (b"{not json", "not JSON"),
        (json.dumps({"type": "launch_rocket", "payload": {}}).encode(), "unknown message type 'launch_rocket'"),
        (json.dumps(wrong_version).encode(), "unsupported version 7"),
        (json.dumps(injected).encode(), "payload.entity_id"),
    ]
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    intake_db = mongo[settings.database_name("intake")]
    try:
        async with running_app(build_intake(settings)):
            for raw, _ in bad_messages:
                await publish(settings, topic, raw, key=b"same-partition")
            await publish_message(settings, topic, valid)
            item_id = str(derived_id(valid.event_id, "item"))
            await eventually(lambda: intake_db.items.find_one({"_id": item_id}),
                             message="the valid command after the poison ones to be handled")
            dead = await read_topic(settings, settings.topics.dead_letter(topic), expected=len(bad_messages))

        assert await intake_db.items.count_documents({}) == 1, "no bad message changed anything"
        assert len(dead) == len(bad_messages)
        by_value = {record.value: dict(record.headers) for record in dead}
        for raw, expected_error in bad_messages:
            headers = by_value[raw]
            assert expected_error in headers["x-dead-letter-error"].decode()
            assert headers["x-original-topic"].decode() == topic
            assert headers["x-dead-letter-consumer"].decode() == "intake"
            assert int(headers["x-original-offset"].decode()) >= 0
    finally:
        await mongo.close()
