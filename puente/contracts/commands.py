"""Commands the bot sends to the services, named in the imperative."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from puente.contracts.envelope import Message, Slug
from puente.contracts.events import CountryCode, ItemChanges, Payload
from puente.contracts.text import LongPersonText, ShortPersonText


class ProposeExchangePayload(Payload):
    entity_id: Slug
    sector: Slug
    title: ShortPersonText
    need: LongPersonText
    topic: ShortPersonText | None = None
    countries_of_interest: list[CountryCode] = Field(default_factory=list, max_length=20)


class ProposeExchange(Message):
    """A district entity asks to learn from an international practice (Aprende)."""

    type: Literal["propose_exchange"] = "propose_exchange"
    payload: ProposeExchangePayload

    def aggregate_id(self) -> str:
        # The item does not exist yet: its id is derived from this command's id.
        return str(self.event_id)


class ProposePracticePayload(Payload):
    entity_id: Slug
    sector: Slug
    title: ShortPersonText
    summary: LongPersonText
    topic: ShortPersonText | None = None


class ProposePractice(Message):
    """A district entity puts forward one of its own practices to be systematized and shared (Enseña)."""

    type: Literal["propose_practice"] = "propose_practice"
    payload: ProposePracticePayload

    def aggregate_id(self) -> str:
        return str(self.event_id)


class UpdateItemPayload(Payload):
    item_id: uuid.UUID
    changes: ItemChanges


class UpdateItem(Message):
    """Staff change a proposal at any phase; knowledge requirements vary through the process."""

    type: Literal["update_item"] = "update_item"
    payload: UpdateItemPayload


INTAKE_COMMANDS = (ProposeExchange, ProposePractice, UpdateItem)
