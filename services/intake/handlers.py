"""Intake's handlers: plain functions that take a validated command and a transaction, and its routing table.

Each handler decides (the domain's rules) before it writes anything, so a rejection is recorded in the same
transaction that claimed the command: the sender hears why, and nothing else changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from puente.contracts.commands import ProposeExchange, ProposePractice, UpdateItem
from puente.contracts.events import RejectionReason
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.logging import get_logger
from puente.wiring.outbox import RetryLater, Transaction
from puente.wiring.service import Routes
from services.intake import domain
from services.intake.repository import ItemRepository

log = get_logger(__name__)


class IntakeHandlers:
    def __init__(self, topics: Topics, city: CityConfig) -> None:
        self.topics = topics
        self.city = city

    def routes(self) -> Routes:
        return {
            ProposeExchange: self.propose,
            ProposePractice: self.propose,
            UpdateItem: self.update_item,
        }

    async def propose(self, command: ProposeExchange | ProposePractice, transaction: Transaction) -> str:
        """An exchange (Bogotá Aprende) or a practice (Bogotá Enseña) enters the program."""
        try:
            domain.check_proposal(command, self.city)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        document, event = domain.proposal_from(command)
        await ItemRepository(transaction).add(document)
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def update_item(self, command: UpdateItem, transaction: Transaction) -> str:
        items = ItemRepository(transaction)
        item_id = str(command.payload.item_id)
        item = await items.get(item_id)
        try:
            if item is None:
                raise domain.Rejected(RejectionReason.unknown_item)
            update, event = domain.apply_update(item, command, datetime.now(UTC))
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        if not await items.update(item_id, item["revision"], update):
            raise RetryLater(f"item {item_id} changed while it was being updated")
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def reject(self, command, reason: RejectionReason, transaction: Transaction) -> str:
        """Record the rejection and tell the sender why; the item stays as it was."""
        event = domain.rejection(command, reason)
        await transaction.announce(self.topics.item_events, event)
        log.info("command rejected", command_type=command.type, command_id=str(command.event_id), reason=reason.value)
        return "rejected"
