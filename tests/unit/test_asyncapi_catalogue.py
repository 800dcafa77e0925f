"""The AsyncAPI catalogue that FastStream generates is checked in and current."""

from __future__ import annotations

import yaml

from puente.cli import ASYNCAPI_DIR, generate_asyncapi


def test_the_checked_in_catalogue_matches_the_code():
    for name, generated in generate_asyncapi().items():
        path = ASYNCAPI_DIR / f"{name}.yaml"
        assert path.exists(), f"{path} is missing: run `make asyncapi`"
        assert path.read_text() == generated, f"{path} is out of date: run `make asyncapi`"


def test_the_catalogue_names_every_topic_with_its_message_schemas():
    documents = {name: yaml.safe_load(text) for name, text in generate_asyncapi().items()}
    addresses = {channel["address"] for document in documents.values() for channel in document["channels"].values()}
    assert {"puente.intake.commands", "puente.items.events", "puente.phases.events",
            "puente.notifications.events"} <= addresses
    schemas = documents["intake"]["components"]["schemas"]
    assert {"ProposeExchange", "ExchangeProposed", "CommandRejected", "Actor"} <= set(schemas)


def test_the_catalogue_lists_only_messages_someone_really_sends():
    """An event in the catalogue is one a service announces through its outbox; the contract's other events (kept
    for the issues that will announce them) stay out of it. The bot's document names the commands it sends."""
    from puente.contracts import ALL_MESSAGES, EVENTS

    documents = {name: yaml.safe_load(text) for name, text in generate_asyncapi().items()}
    by_name = {message.__name__: message for message in ALL_MESSAGES}
    listed = {schema for document in documents.values() for schema in document["components"]["schemas"]
              if schema in by_name}
    announced = set()
    for document in documents.values():
        for operation in document["operations"].values():
            if operation["action"] == "send":
                channel = document["channels"][operation["channel"]["$ref"].rsplit("/", 1)[-1]]
                for message in channel["messages"].values():
                    payload = document["components"]["messages"][message["$ref"].rsplit("/", 1)[-1]]["payload"]
                    announced |= _message_classes(payload, document["components"]["schemas"])
    listed_events = listed & {event.__name__ for event in EVENTS}
    assert listed_events <= announced, f"listed but announced by nobody: {sorted(listed_events - announced)}"
    assert {"PhaseOverdue", "CommitmentOverdue", "SurveySubmitted"} <= announced
    assert {"ProposeExchange", "ProposePractice"} <= announced, "the bot's document names what it sends"


def _message_classes(payload: dict, schemas: dict) -> set[str]:
    """The message schemas a payload names: itself, or the alternatives of the union it refers to."""
    name = payload["$ref"].rsplit("/", 1)[-1]
    alternatives = schemas[name].get("oneOf")
    return {ref["$ref"].rsplit("/", 1)[-1] for ref in alternatives} if alternatives else {name}
