"""The event contract: one envelope, typed payloads, topic names. What every service must agree on."""

from puente.contracts.commands import INTAKE_COMMANDS, ProposeExchange, ProposePractice, UpdateItem
from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, Message, derived_id
from puente.contracts.events import (
    ALL_EVENTS,
    ExchangeProposed,
    ItemUpdated,
    Line,
    PhaseStarted,
    PracticeProposed,
)
from puente.contracts.parsing import InvalidMessage, parse_message
from puente.contracts.topics import Topics

__all__ = [
    "ALL_EVENTS",
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
    "parse_message",
]
