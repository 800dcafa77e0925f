"""Every message of the contract, gathered from the domain modules; each topic's list is derived from it."""

from __future__ import annotations

from puente.contracts import (
    collaboration,
    commitments,
    evaluation,
    exchanges,
    items,
    knowledge,
    notifications,
    people,
    phases,
    rejections,
    reporting,
    surveys,
    systematization,
)
from puente.contracts.envelope import Message
from puente.contracts.topic_names import TopicName

DOMAINS = (items, knowledge, people, phases, evaluation, systematization, exchanges, commitments, collaboration,
           surveys, reporting, notifications, rejections)
ALL_MESSAGES: tuple[type[Message], ...] = tuple(message for domain in DOMAINS for message in domain.MESSAGES)


def messages_on(topic: TopicName) -> tuple[type[Message], ...]:
    """The message classes that travel on `topic`, in the order the domains list them."""
    return tuple(message for message in ALL_MESSAGES if topic in message.topics)


def type_name(message: type[Message]) -> str:
    return message.model_fields["type"].default


COMMANDS = tuple(message for message in ALL_MESSAGES if "." not in type_name(message))
EVENTS = tuple(message for message in ALL_MESSAGES if "." in type_name(message))
