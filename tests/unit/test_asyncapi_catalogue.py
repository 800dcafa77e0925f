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
