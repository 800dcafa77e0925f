"""Every Kafka topic name, in one place. A prefix lets several deployments (or test runs) share one cluster."""

from __future__ import annotations

from dataclasses import dataclass

from puente.contracts.catalogue import messages_on
from puente.contracts.envelope import Message
from puente.contracts.topic_names import TopicName

DEAD_LETTER_SUFFIX = ".dead-letter"


@dataclass(frozen=True)
class Topics:
    prefix: str = "puente"

    def name(self, topic: TopicName) -> str:
        return f"{self.prefix}.{topic.value}"

    @property
    def intake_commands(self) -> str:
        return self.name(TopicName.intake_commands)

    @property
    def item_events(self) -> str:
        return self.name(TopicName.item_events)

    @property
    def people_events(self) -> str:
        return self.name(TopicName.people_events)

    @property
    def phase_commands(self) -> str:
        return self.name(TopicName.phase_commands)

    @property
    def phase_events(self) -> str:
        return self.name(TopicName.phase_events)

    @property
    def reporting_commands(self) -> str:
        return self.name(TopicName.reporting_commands)

    @property
    def reporting_events(self) -> str:
        return self.name(TopicName.reporting_events)

    @property
    def notification_events(self) -> str:
        return self.name(TopicName.notification_events)

    def of(self, message: type[Message] | Message) -> str:
        """The one topic a message travels on (a command's destination, an event's announcement)."""
        if len(message.topics) != 1:
            raise ValueError(f"{message.type if isinstance(message, Message) else message.__name__} travels on "
                             f"{len(message.topics)} topics; name the topic")
        return self.name(message.topics[0])

    @staticmethod
    def dead_letter(topic: str) -> str:
        """Where a message that cannot be handled goes, with the error in its headers."""
        return f"{topic}{DEAD_LETTER_SUFFIX}"

    def messages_on(self, topic: str) -> tuple[type[Message], ...]:
        """The message classes a topic may carry; anything else on it is rejected. KeyError for a foreign topic."""
        by_name = {self.name(name): name for name in TopicName}
        return messages_on(by_name[topic])

    def all(self) -> list[str]:
        main = [self.name(name) for name in TopicName]
        return main + [self.dead_letter(topic) for topic in main]
