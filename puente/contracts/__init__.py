"""The event contract: one envelope, typed payloads by domain, topic names. What every service must agree on.

Each domain has its module (`items`, `phases`, `commitments`, `collaboration`, `surveys`, `reporting`,
`notifications`, `rejections`); `catalogue` gathers them and derives each topic's message list.
"""

from puente.contracts.catalogue import ALL_MESSAGES, COMMANDS, EVENTS, messages_on
from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, Message, derived_id
from puente.contracts.parsing import InvalidMessage, one_of, parse_message
from puente.contracts.topic_names import TopicName
from puente.contracts.topics import Topics

__all__ = [
    "ALL_MESSAGES",
    "COMMANDS",
    "EVENTS",
    "SYSTEM_ACTOR",
    "Actor",
    "ActorRole",
    "InvalidMessage",
    "Message",
    "TopicName",
    "Topics",
    "derived_id",
    "messages_on",
    "one_of",
    "parse_message",
]
