"""A rolling deploy on the real servers: an old intake's version-1 `command.rejected` and a new one's version 2
travel on the same topic, and the running notifier handles both (nothing goes to the dead letters)."""

from __future__ import annotations

import pytest
from pymongo import AsyncMongoClient

from services.notifier.app import build_app as build_notifier
from tests.factories import as_version_1, rejected_proposal
from tests.helpers import eventually, publish, publish_message, read_topic, running_app

pytestmark = pytest.mark.integration


async def test_the_notifier_handles_version_1_and_version_2_of_one_event_on_one_topic(settings):
    topic = settings.topics.item_events
    old, new = rejected_proposal("5001"), rejected_proposal("5002")
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    notifications = mongo[settings.database_name("notifier")]["notifications"]
    try:
        async with running_app(build_notifier(settings)):
            await publish(settings, topic, as_version_1(old), key=old.aggregate_id().encode())
            await publish_message(settings, topic, new)
            told = await eventually(lambda: _both(notifications), message="both rejections told")
        dead = await read_topic(settings, settings.topics.dead_letter(topic), expected=0, timeout=1)
    finally:
        await mongo.close()
    assert sorted(document["chat_id"] for document in told) == [5001, 5002]
    assert {document["caused_by"] for document in told} == {str(old.event_id), str(new.event_id)}
    assert dead == []


async def _both(notifications) -> list[dict]:
    found = await notifications.find({"kind": "command-rejected"}).to_list()
    return found if len(found) == 2 else []
