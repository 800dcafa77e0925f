"""Every Kafka topic name, in one place. A prefix lets several deployments (or test runs) share one cluster."""

from __future__ import annotations

from dataclasses import dataclass

from puente.contracts.commands import INTAKE_COMMANDS
from puente.contracts.envelope import Message
from puente.contracts.events import ITEM_EVENTS, NOTIFICATION_EVENTS, PHASE_EVENTS, REPORTING_EVENTS

DEAD_LETTER_SUFFIX = ".dead-letter"


@dataclass(frozen=True)
class Topics:
    prefix: str = "puente"

    @property
    def intake_commands(self) -> str:
        """Commands from the bot to intake: propose_exchange, propose_practice, update_item."""
        return f"{self.prefix}.intake.commands"

    @property
    def item_events(self) -> str:
        """Facts about exchanges and practices, announced by intake."""
        return f"{self.prefix}.items.events"

    @property
    def phase_events(self) -> str:
        """Facts about phases, commitments, collaboration requests and surveys, announced by phases."""
        return f"{self.prefix}.phases.events"

    @property
    def reporting_events(self) -> str:
        return f"{self.prefix}.reporting.events"

    @property
    def notification_events(self) -> str:
        return f"{self.prefix}.notifications.events"

    @staticmethod
    def dead_letter(topic: str) -> str:
        """Where a message that cannot be handled goes, with the error in its headers."""
        return f"{topic}{DEAD_LETTER_SUFFIX}"

    def messages_on(self, topic: str) -> tuple[type[Message], ...]:
        """The message classes a topic may carry; anything else on it is rejected."""
        return {
            self.intake_commands: INTAKE_COMMANDS,
            self.item_events: ITEM_EVENTS,
            self.phase_events: PHASE_EVENTS,
            self.reporting_events: REPORTING_EVENTS,
            self.notification_events: NOTIFICATION_EVENTS,
        }[topic]

    def all(self) -> list[str]:
        main = [
            self.intake_commands,
            self.item_events,
            self.phase_events,
            self.reporting_events,
            self.notification_events,
        ]
        return main + [self.dead_letter(topic) for topic in main]
