"""Intake's handlers: plain functions that take a validated command and a transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from puente.contracts.commands import ProposeExchange, ProposePractice, UpdateItem
from puente.contracts.envelope import derived_id
from puente.contracts.events import CommandRejected, CommandRejectedPayload, RejectionReason
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.logging import get_logger
from puente.wiring.outbox import RetryLater, Transaction
from services.intake import domain
from services.intake.repository import ItemRepository

log = get_logger(__name__)


class IntakeHandlers:
    def __init__(self, topics: Topics, city: CityConfig) -> None:
        self.topics = topics
        self.city = city

    async def propose(self, command: ProposeExchange | ProposePractice, transaction: Transaction) -> str:
        """An exchange (Bogotá Aprende) or a practice (Bogotá Enseña) enters the program."""
        await transaction.claim(command)
        domain.check_proposal(command, self.city)
        document, event = domain.proposal_from(command)
        await ItemRepository(transaction).add(document)
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def update_item(self, command: UpdateItem, transaction: Transaction) -> str:
        await transaction.claim(command)
        items = ItemRepository(transaction)
        item_id = str(command.payload.item_id)
        item = await items.get(item_id)
        if item is None:
            raise domain.Rejected(RejectionReason.unknown_item)
        update, event = domain.apply_update(item, command, datetime.now(UTC))
        if not await items.update(item_id, item["revision"], update):
            raise RetryLater(f"item {item_id} changed while it was being updated")
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def reject(self, command, reason: RejectionReason, transaction: Transaction) -> str:
        """Record the rejection and tell the sender why; the item stays as it was."""
        await transaction.claim(command)
        item_id = getattr(command.payload, "item_id", None)
        event = CommandRejected.new(
            payload=CommandRejectedPayload(
                command_id=command.event_id, command_type=command.type, reason=reason, item_id=item_id
            ),
            actor=command.actor,
            city=command.city,
            caused_by=command,
            event_id=derived_id(command.event_id, CommandRejected.model_fields["type"].default),
        )
        await transaction.announce(self.topics.item_events, event)
        log.info("command rejected", command_type=command.type, command_id=str(command.event_id), reason=reason.value)
        return "rejected"
