"""A unit of work kept in memory, for testing a service's handlers and timed jobs in milliseconds.

It behaves as the MongoDB one does where handlers can tell: a message is handled once (the inbox), everything
a transaction did is kept only if it ends without an exception, announced events are kept in order, and objects
are stored as BSON (so what MongoDB cannot store, or stores differently, such as microseconds, shows here too).
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import bson
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from pydantic import BaseModel

from puente.contracts.envelope import Message
from puente.wiring.storage import (
    AlreadyStored,
    Collection,
    Stored,
    equality_filter,
    from_document,
    storable,
    to_document,
)
from puente.wiring.transaction import SERIALIZED_ON, AlreadyHandled, Transaction

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
CODEC = CodecOptions(tz_aware=True, uuid_representation=UuidRepresentation.STANDARD)


def as_stored(document: dict[str, Any]) -> dict[str, Any]:
    """What MongoDB would give back for this document."""
    return bson.decode(bson.encode(document, codec_options=CODEC), codec_options=CODEC)


@dataclass
class InMemoryState:
    """Everything a service keeps: its collections (name -> id -> document), its inbox, its announced events."""

    collections: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    inbox: set[str] = field(default_factory=set)
    outbox: list[tuple[str, Message]] = field(default_factory=list)


class InMemoryCollection(Collection[M]):
    def __init__(self, documents: dict[Any, dict[str, Any]], model: type[M]) -> None:
        self._documents = documents
        self._model = model

    async def get(self, key: str) -> M | None:
        document = self._documents.get(key)
        return None if document is None else from_document(self._model, document)

    async def add(self, item: M) -> None:
        document = as_stored(to_document(item))
        if document["_id"] in self._documents:
            raise AlreadyStored(str(document["_id"]))
        self._documents[document["_id"]] = document

    async def save(self, item: M, *, expected_revision: int | None = None) -> bool:
        document = as_stored(to_document(item))
        if expected_revision is not None:
            stored = self._documents.get(document["_id"])
            if stored is None or stored.get("revision") != expected_revision:
                return False
        self._documents[document["_id"]] = document
        return True

    async def find(self, **equal_to: Any) -> list[M]:
        wanted = as_stored(equality_filter(equal_to))
        return [
            from_document(self._model, document)
            for key, document in sorted(self._documents.items())
            if all(document.get(field) == value for field, value in wanted.items())
        ]

    async def find_from(self, field: str, lowest: Any, **equal_to: Any) -> list[M]:
        wanted = as_stored(equality_filter(equal_to))
        bound = as_stored({"value": storable(lowest)})["value"]
        found = [(document[field], key, document) for key, document in sorted(self._documents.items())
                 if document.get(field) is not None and document[field] >= bound
                 and all(document.get(name) == value for name, value in wanted.items())]
        return [from_document(self._model, document) for _, _, document in sorted(found, key=lambda kept: kept[:2])]

    async def delete(self, key: str) -> None:
        self._documents.pop(key, None)


class InMemoryTransaction(Transaction):
    def __init__(self, state: InMemoryState) -> None:
        super().__init__()
        self.state = state

    def collection(self, kind: Stored[M]) -> Collection[M]:
        return InMemoryCollection(self.state.collections.setdefault(kind.collection, {}), kind.model)

    async def claim(self, message: Message) -> None:
        if str(message.event_id) in self.state.inbox:
            raise AlreadyHandled(str(message.event_id))
        self.state.inbox.add(str(message.event_id))

    async def serialize_on(self, key: str) -> None:
        """Units of work run here one at a time; the key's document is kept as on the servers, so tests see it."""
        keys = self.state.collections.setdefault(SERIALIZED_ON, {})
        keys[key] = {"_id": key, "transactions": keys.get(key, {}).get("transactions", 0) + 1}

    async def stop_serializing_on(self, key: str) -> None:
        self.state.collections.setdefault(SERIALIZED_ON, {}).pop(key, None)

    async def announce(self, topic: str, event: Message) -> None:
        self.state.outbox.append((topic, event))
        self.announced += 1


class InMemoryUnitOfWork:
    """Runs work on a copy of the state and keeps the copy only when the work ends without an exception."""

    def __init__(self) -> None:
        self.state = InMemoryState()

    async def run(self, work: Callable[[Transaction], Awaitable[T]]) -> T | None:
        transaction = InMemoryTransaction(copy.deepcopy(self.state))
        try:
            result = await work(transaction)
        except AlreadyHandled:
            return None
        self.state = transaction.state
        for callback in transaction.committed_callbacks:
            callback()
        return result

    def announced(self, topic: str | None = None) -> list[Message]:
        """The events committed so far, in order (on `topic` only, when given)."""
        return [event for on, event in self.state.outbox if topic is None or on == topic]

    def stored(self, kind: Stored[M]) -> list[M]:
        """Every committed object of one kind, in id order."""
        documents = self.state.collections.get(kind.collection, {})
        return [from_document(kind.model, document) for _, document in sorted(documents.items())]
