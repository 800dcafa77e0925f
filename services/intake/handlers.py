"""Intake's handlers: plain functions that take a validated command and a transaction, and its routing table.

Each handler decides (the domain's rules) before it writes anything, so a rejection is recorded in the same
transaction that claimed the command: the sender hears why, and nothing else changes.
"""

from __future__ import annotations

from puente.contracts.items import (
    ExchangeProposed,
    IntakeRejectionReason,
    ItemUpdated,
    PracticeProposed,
    ProposeExchange,
    ProposePractice,
    UpdateItem,
)
from puente.contracts.rejections import CommandRejected
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.transaction import RetryLater, Transaction
from services.intake import domain
from services.intake.repository import ITEMS

log = get_logger(__name__)


# The events intake announces (the AsyncAPI catalogue lists these), next to the handlers that announce them.
ANNOUNCES = (ExchangeProposed, PracticeProposed, ItemUpdated, CommandRejected)

class IntakeHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.rules = domain.ProposalRules(
            city=city.city.slug, entity_ids=frozenset(city.entities), sector_ids=frozenset(city.sectors)
        )
        self.clock = clock

    def routes(self) -> Routes:
        return {
            ProposeExchange: self.propose,
            ProposePractice: self.propose,
            UpdateItem: self.update_item,
        }

    async def propose(self, command: ProposeExchange | ProposePractice, transaction: Transaction) -> str:
        """An exchange (Bogotá Aprende) or a practice (Bogotá Enseña) enters the program."""
        try:
            domain.check_proposal(command, self.rules)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        item, event = domain.proposal_from(command)
        await transaction.collection(ITEMS).add(item)
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def update_item(self, command: UpdateItem, transaction: Transaction) -> str:
        items = transaction.collection(ITEMS)
        item = await items.get(str(command.payload.item_id))
        try:
            if item is None:
                raise domain.Rejected(IntakeRejectionReason.unknown_item)
            changed, event = domain.apply_update(item, command, self.clock())
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        if not await items.save(changed, expected_revision=item.revision):
            raise RetryLater(f"item {item.id} changed while it was being updated")
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def reject(self, command, reason: IntakeRejectionReason, transaction: Transaction) -> str:
        """Record the rejection and tell the sender why; the item stays as it was."""
        event = domain.rejection(command, reason)
        await transaction.announce(self.topics.item_events, event)
        log.info("command rejected", command_type=command.type, command_id=str(command.event_id), reason=reason.value)
        return "rejected"
