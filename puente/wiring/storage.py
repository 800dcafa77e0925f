"""Typed storage inside a transaction: each service declares what it keeps (`Stored`), and a handler reads and
writes domain objects through `transaction.collection(...)`, never a raw MongoDB collection or session.

A stored object is a pydantic model with an `id` field; it is kept as one document whose `_id` is that id.
Dates are kept as ISO strings (they compare in date order), enums as their values, UUIDs as strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

M = TypeVar("M", bound=BaseModel)


class AlreadyStored(Exception):
    """`add` found an object with the same id already stored."""


@dataclass(frozen=True)
class Stored(Generic[M]):
    """One kind of object a service keeps: its collection's name, its model, and the fields it is looked up by."""

    collection: str
    model: type[M]
    indexed_by: Sequence[Sequence[str]] = ()
    expires: tuple[str, int] | None = None  # (a datetime field, seconds): the database deletes the object after

    def index_models(self) -> list[IndexModel]:
        models = [IndexModel([(field, ASCENDING) for field in fields]) for fields in self.indexed_by]
        if self.expires is not None:
            field, seconds = self.expires
            models.append(IndexModel([(field, ASCENDING)], expireAfterSeconds=seconds))
        return models


def storable(value: Any) -> Any:
    """A model's python dump made of types every store keeps the same way."""
    if isinstance(value, dict):
        return {str(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(storable(item) for item in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)  # a Decimal as its exact digits: amounts of money are not floats
    return value


def to_document(item: BaseModel) -> dict[str, Any]:
    fields = storable(item.model_dump(mode="python"))
    return {"_id": fields.pop("id"), **fields}


def from_document(model: type[M], document: dict[str, Any]) -> M:
    fields = {key: value for key, value in document.items() if key != "_id"}
    return model.model_validate({"id": document["_id"], **fields})


def equality_filter(equal_to: dict[str, Any]) -> dict[str, Any]:
    return {("_id" if field == "id" else field): storable(value) for field, value in equal_to.items()}


class Collection(Protocol[M]):
    """The objects of one kind, as one transaction sees them."""

    async def get(self, key: str) -> M | None: ...

    async def add(self, item: M) -> None:
        """Store a new object; fails if one with its id exists."""

    async def save(self, item: M, *, expected_revision: int | None = None) -> bool:
        """Store the object, new or not. With `expected_revision`, only if the stored one still has that
        `revision` (optimistic concurrency); returns whether it was stored."""

    async def find(self, **equal_to: Any) -> list[M]:
        """Objects whose top-level fields equal these values, in id order."""

    async def find_from(self, field: str, lowest: Any, **equal_to: Any) -> list[M]:
        """Objects whose `field` is `lowest` or more and whose other fields equal these values, in `field` order."""

    async def delete(self, key: str) -> None: ...


class MongoCollection(Generic[M]):
    def __init__(self, collection: AsyncCollection, session: AsyncClientSession, model: type[M]) -> None:
        self._collection = collection
        self._session = session
        self._model = model

    async def get(self, key: str) -> M | None:
        document = await self._collection.find_one({"_id": key}, session=self._session)
        return None if document is None else from_document(self._model, document)

    async def add(self, item: M) -> None:
        try:
            await self._collection.insert_one(to_document(item), session=self._session)
        except DuplicateKeyError as duplicate:
            raise AlreadyStored(str(item.id)) from duplicate

    async def save(self, item: M, *, expected_revision: int | None = None) -> bool:
        document = to_document(item)
        if expected_revision is None:
            await self._collection.replace_one({"_id": document["_id"]}, document, upsert=True, session=self._session)
            return True
        result = await self._collection.replace_one(
            {"_id": document["_id"], "revision": expected_revision}, document, session=self._session
        )
        return result.matched_count == 1

    async def find(self, **equal_to: Any) -> list[M]:
        cursor = self._collection.find(equality_filter(equal_to), session=self._session).sort("_id", ASCENDING)
        return [from_document(self._model, document) async for document in cursor]

    async def find_from(self, field: str, lowest: Any, **equal_to: Any) -> list[M]:
        query = {**equality_filter(equal_to), field: {"$gte": storable(lowest)}}
        cursor = self._collection.find(query, session=self._session).sort([(field, ASCENDING), ("_id", ASCENDING)])
        return [from_document(self._model, document) async for document in cursor]

    async def delete(self, key: str) -> None:
        await self._collection.delete_one({"_id": key}, session=self._session)


async def create_indexes(database: AsyncDatabase, kinds: Sequence[Stored]) -> None:
    for kind in kinds:
        if models := kind.index_models():
            await database[kind.collection].create_indexes(models)
