"""Exchanges (Aprende) and practices (Enseña) entering the program: the bot's commands to intake, the facts intake
announces, and the reasons intake gives when it cannot carry a command out."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from puente.contracts.common import CountryCode, Line, Payload
from puente.contracts.envelope import LongText, Message, ShortText, Slug
from puente.contracts.topic_names import TopicName

# --- commands, from the bot to intake -------------------------------------------------------------------------


class ProposeExchangePayload(Payload):
    entity_id: Slug
    sector: Slug
    title: ShortText
    need: LongText
    topic: ShortText | None = None
    countries_of_interest: list[CountryCode] = Field(default_factory=list, max_length=20)


class ProposeExchange(Message):
    """A district entity asks to learn from an international practice (Aprende)."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["propose_exchange"] = "propose_exchange"
    payload: ProposeExchangePayload

    def aggregate_id(self) -> str:
        # The item does not exist yet: its id is derived from this command's id.
        return str(self.event_id)


class ProposePracticePayload(Payload):
    entity_id: Slug
    sector: Slug
    title: ShortText
    summary: LongText
    topic: ShortText | None = None


class ProposePractice(Message):
    """A district entity puts forward one of its own practices to be systematized and shared (Enseña)."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["propose_practice"] = "propose_practice"
    payload: ProposePracticePayload

    def aggregate_id(self) -> str:
        return str(self.event_id)


class ItemChanges(Payload):
    """Fields staff may change on a proposal at any phase; the history keeps the earlier values."""

    title: ShortText | None = None
    need: LongText | None = None
    summary: LongText | None = None
    topic: ShortText | None = None
    countries_of_interest: list[CountryCode] | None = Field(
        None, min_length=1, max_length=20, description="An exchange's: where it would like to learn from.")


class UpdateItemPayload(Payload):
    item_id: uuid.UUID
    changes: ItemChanges


class UpdateItem(Message):
    """Staff change a proposal at any phase; knowledge requirements vary through the process."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["update_item"] = "update_item"
    payload: UpdateItemPayload


# An item's code for people: its line's prefix, the year it was proposed and its number in that year and line.
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}-\d{4}-\d{4,6}$")]


def reference_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def no_reference(document: dict) -> dict:
    """Version 1 proposals had no reference code: read them as having none."""
    payload = document.get("payload")
    if not isinstance(payload, dict):
        return document
    return {**document, "payload": {"reference": None, **payload}}


# --- facts, announced by intake ---------------------------------------------------------------------------


class ExchangeProposedPayload(Payload):
    item_id: uuid.UUID
    reference: Reference | None = None  # None only for items proposed before references (version 1)
    entity_id: Slug
    sector: Slug
    title: ShortText
    need: LongText = Field(description="The institutional challenge the entity wants to learn about.")
    topic: ShortText | None = None
    countries_of_interest: list[CountryCode] = Field(default_factory=list, max_length=20)


class ExchangeProposed(Message):
    topics: ClassVar = (TopicName.item_events,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: no_reference}
    type: Literal["exchange.proposed"] = "exchange.proposed"
    payload: ExchangeProposedPayload


class PracticeProposedPayload(Payload):
    item_id: uuid.UUID
    reference: Reference | None = None  # None only for items proposed before references (version 1)
    entity_id: Slug
    sector: Slug
    title: ShortText
    summary: LongText = Field(description="What the practice does and why it is worth sharing.")
    topic: ShortText | None = None


class PracticeProposed(Message):
    topics: ClassVar = (TopicName.item_events,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: no_reference}
    type: Literal["practice.proposed"] = "practice.proposed"
    payload: PracticeProposedPayload


class ItemUpdatedPayload(Payload):
    item_id: uuid.UUID
    line: Line
    revision: int = Field(ge=1)
    changes: ItemChanges


class ItemUpdated(Message):
    topics: ClassVar = (TopicName.item_events,)
    type: Literal["item.updated"] = "item.updated"
    payload: ItemUpdatedPayload


# --- why intake could not carry a command out (announced as `command.rejected`), items and directory alike ------


class IntakeRejectionReason(StrEnum):
    not_your_entity = "not_your_entity"
    unknown_sector = "unknown_sector"
    unknown_entity = "unknown_entity"
    unknown_item = "unknown_item"
    nothing_to_change = "nothing_to_change"
    wrong_city = "wrong_city"
    # the directory's
    not_a_member = "not_a_member"  # the sender is not an active person of the directory
    not_allowed = "not_allowed"  # the person's role may not do this (for example, staff inviting)
    wrong_code = "wrong_code"
    used_code = "used_code"
    expired_code = "expired_code"
    locked_out = "locked_out"  # too many wrong codes from one Telegram account in an hour
    already_member = "already_member"


MESSAGES = (ProposeExchange, ProposePractice, UpdateItem, ExchangeProposed, PracticeProposed, ItemUpdated)
