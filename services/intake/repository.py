"""Intake's documents in MongoDB: one `items` collection of exchanges and practices."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from puente.wiring.outbox import Transaction

ITEMS = "items"


async def ensure_indexes(database: AsyncDatabase) -> None:
    await database[ITEMS].create_index([("entity_id", ASCENDING), ("line", ASCENDING)])
    await database[ITEMS].create_index([("status", ASCENDING)])


class ItemRepository:
    """Reads and writes items inside a transaction."""

    def __init__(self, transaction: Transaction) -> None:
        self.collection = transaction.database[ITEMS]
        self.session = transaction.session

    async def add(self, document: dict[str, Any]) -> None:
        await self.collection.insert_one(document, session=self.session)

    async def get(self, item_id: str) -> dict[str, Any] | None:
        return await self.collection.find_one({"_id": item_id}, session=self.session)

    async def update(self, item_id: str, expected_revision: int, update: dict[str, Any]) -> bool:
        """Apply an update only if nobody changed the item since it was read (optimistic concurrency)."""
        result = await self.collection.update_one(
            {"_id": item_id, "revision": expected_revision}, update, session=self.session
        )
        return result.modified_count == 1
