"""Versions that coexist: during a rolling deploy an old intake still writes `command.rejected` version 1 while
new ones write version 2, on the same topic. Consumers read both; the notifier tells the person either way."""

from __future__ import annotations

import json

import pytest

from puente.contracts import InvalidMessage, TopicName, Topics, messages_on, parse_message
from puente.contracts.rejections import CommandRejected
from tests.factories import as_version_1, propose_exchange, rejected_proposal
from tests.helpers import city_config_with_coordinators, in_memory_service

ITEM_EVENTS = messages_on(TopicName.item_events)


def test_version_1_is_read_as_version_2_naming_intake():
    new = rejected_proposal("5001")
    old = parse_message(as_version_1(new), ITEM_EVENTS)
    assert isinstance(old, CommandRejected) and old.version == 2
    assert old.payload.service == "intake" and old == new
    assert json.loads(new.to_bytes())["version"] == 2, "this code writes version 2"


@pytest.mark.parametrize(("change", "error"), [
    (lambda document: {**document, "version": 3}, "unsupported version 3"),
    (lambda document: {**document, "version": 0}, "unsupported version 0"),
    (lambda document: {**document, "payload": {**document["payload"], "service": "billing"}},
     "no service 'billing'"),
    (lambda document: {**document, "payload": {**document["payload"], "reason": "bored"}}, "no rejection reason"),
])
def test_unknown_versions_services_and_reasons_are_refused(change, error):
    document = json.loads(rejected_proposal("5001").to_bytes())
    with pytest.raises(InvalidMessage, match=error):
        parse_message(json.dumps(change(document)).encode(), ITEM_EVENTS)


async def test_the_notifier_handles_a_version_1_and_a_version_2_rejection_from_one_topic(settings, tmp_path):
    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path)})
    notifier = in_memory_service("notifier", with_city)
    old = parse_message(as_version_1(rejected_proposal("5001")), ITEM_EVENTS)
    new = parse_message(rejected_proposal("5002").to_bytes(), ITEM_EVENTS)
    assert [await notifier.dispatch(old), await notifier.dispatch(new)] == ["applied", "applied"]
    told = {document["chat_id"]: document["text"]
            for document in notifier.unit_of_work.state.collections["notifications"].values()}
    assert set(told) == {5001, 5002}
    assert told[5001] == told[5002] == (
        "⚠️ No pude registrar tu solicitud: solo puedes actuar sobre los elementos de tu propia entidad.")


def test_each_topics_messages_are_derived_from_the_classes_and_commands_find_their_topic():
    topics = Topics("puente")
    assert topics.of(propose_exchange()) == "puente.intake.commands"
    with pytest.raises(ValueError, match="travels on 4 topics"):
        topics.of(CommandRejected)  # beside items' and the directory's facts: the announcer names the topic
    for name in TopicName:
        assert all(name in message.topics for message in messages_on(name))
