"""The event contract: one envelope, typed payloads, topic names. What every service must agree on."""

from puente.contracts.commands import INTAKE_COMMANDS, ProposeExchange, ProposePractice, UpdateItem
from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, Message, derived_id
from puente.contracts.events import (
    ALL_EVENTS,
    ITEM_EVENTS,
    ExchangeProposed,
    ItemUpdated,
    Line,
    PhaseStarted,
    PracticeProposed,
)
from puente.contracts.parsing import InvalidMessage, one_of, parse_message
from puente.contracts.topics import Topics

# Handler parameter types: FastStream validates with them and publishes their schemas in the AsyncAPI catalogue.
AnyIntakeCommand = one_of(INTAKE_COMMANDS)
AnyItemEvent = one_of(ITEM_EVENTS)

__all__ = [
    "ALL_EVENTS",
    "ITEM_EVENTS",
    "AnyIntakeCommand",
    "AnyItemEvent",
    "INTAKE_COMMANDS",
    "SYSTEM_ACTOR",
    "Actor",
    "ActorRole",
    "ExchangeProposed",
    "InvalidMessage",
    "ItemUpdated",
    "Line",
    "Message",
    "PhaseStarted",
    "PracticeProposed",
    "ProposeExchange",
    "ProposePractice",
    "Topics",
    "UpdateItem",
    "derived_id",
    "one_of",
    "parse_message",
]
