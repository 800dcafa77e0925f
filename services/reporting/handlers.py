"""Reporting's handlers and routing tables: the other services' events kept as each item's facts and the
catalogue's, and each event kept in reporting's journal (what changed each week, and the source of a rebuild)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from puente.contracts.envelope import Actor, ActorRole, Message
from puente.contracts.knowledge import CatalogueEntryRecorded
from puente.wiring.dispatch import Routes
from puente.wiring.storage import AlreadyStored, Collection, Stored
from puente.wiring.transaction import RetryLater, Transaction
from services.reporting.projections import (
    ITEM_RULES,
    CatalogueFacts,
    ItemFacts,
    apply_to_catalogue,
    apply_to_item,
    item_id_of,
)


class JournalEntry(BaseModel):
    """One event reporting applied: to which facts (`subject`), as their `seq`-th event, and the event itself."""

    model_config = ConfigDict(frozen=True)
    id: str  # the event's id
    city: str
    subject: str  # the item's id, or the catalogue entry's "<kind>:<key>"
    seq: int
    type: str
    occurred_at: datetime
    event: dict[str, Any]


JOURNAL_ACTOR = Actor(role=ActorRole.system, id="journal")
ITEM_FACTS = Stored("item_facts", ItemFacts, indexed_by=[("city", "line")])
CATALOGUE_FACTS = Stored("catalogue_facts", CatalogueFacts, indexed_by=[("city", "kind")])
JOURNAL = Stored("journal", JournalEntry, indexed_by=[("city", "occurred_at"), ("subject", "seq")])
KEPT = (ITEM_FACTS, CATALOGUE_FACTS, JOURNAL)


def journal_entry(event: Message, subject: str, seq: int) -> JournalEntry:
    """The event as reporting keeps it: without the person who did it (a person's actor id is their Telegram account,
    which must go when they ask to be forgotten; the facts never needed it). Services and the import stay named."""
    kept = event if event.actor.role is ActorRole.system else event.model_copy(update={"actor": JOURNAL_ACTOR})
    return JournalEntry(id=str(event.event_id), city=event.city, subject=subject, seq=seq, type=event.type,
                        occurred_at=event.occurred_at, event=kept.model_dump(mode="json"))


async def keep(collection: Collection, current: BaseModel | None, updated: BaseModel) -> None:
    """Store `updated` unless another replica changed the document since `current` was read (then try again)."""
    try:
        if current is None:
            await collection.add(updated)
        elif not await collection.save(updated, expected_revision=current.revision):
            raise RetryLater(f"{updated.id} changed meanwhile")
    except AlreadyStored as created_meanwhile:  # another partition's event created it first
        raise RetryLater(f"{updated.id} created meanwhile") from created_meanwhile


async def project_item_event(event: Message, transaction: Transaction) -> str:
    facts = transaction.collection(ITEM_FACTS)
    current = await facts.get(item_id_of(event))
    updated = apply_to_item(current, event)
    await keep(facts, current, updated)
    await transaction.collection(JOURNAL).add(journal_entry(event, updated.id, updated.revision))
    return "applied"


async def project_catalogue_entry(event: CatalogueEntryRecorded, transaction: Transaction) -> str:
    facts = transaction.collection(CATALOGUE_FACTS)
    current = await facts.get(f"{event.payload.entry.kind}:{event.payload.key}")
    updated = apply_to_catalogue(current, event)
    await keep(facts, current, updated)
    await transaction.collection(JOURNAL).add(journal_entry(event, updated.id, updated.revision))
    return "applied"


def routes_on(accepted: tuple[type[Message], ...]) -> Routes:
    """The routing table for one topic: every event reporting keeps that travels on it."""
    routes: Routes = {event: project_item_event for event in ITEM_RULES if event in accepted}
    if CatalogueEntryRecorded in accepted:
        routes[CatalogueEntryRecorded] = project_catalogue_entry
    return routes


async def read_facts(transaction: Transaction, city: str) -> tuple[list[ItemFacts], dict[str, CatalogueFacts]]:
    """Every item's facts and the catalogue's, for one city: what the indicators are computed from."""
    items = await transaction.collection(ITEM_FACTS).find(city=city)
    catalogue = {entry.id: entry for entry in await transaction.collection(CATALOGUE_FACTS).find(city=city)}
    return items, catalogue
