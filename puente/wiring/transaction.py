"""What a handler may do inside one atomic unit of work, whatever stores it: MongoDB in a service
(`outbox.MongoTransaction`), memory in a fast test (`in_memory.InMemoryTransaction`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from pydantic import BaseModel

from puente.contracts.envelope import Message
from puente.wiring.storage import Collection, Stored

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


SERIALIZED_ON = "transactions_serialized_on"  # the documents `Transaction.serialize_on` writes


class RetryLater(Exception):
    """A conflict that passes by itself (someone changed the document meanwhile): deliver the message again."""


class AlreadyHandled(Exception):
    """The message was handled before; the transaction is abandoned and nothing changes."""


class Transaction(ABC):
    """One atomic unit of work: everything a handler reads, writes and announces commits together or not at all."""

    def __init__(self) -> None:
        self.announced = 0
        self.committed_callbacks: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the transaction has committed (for example, to wake a loop that reads its work)."""
        self.committed_callbacks.append(callback)

    @abstractmethod
    async def claim(self, message: Message) -> None:
        """Record that this message is being handled; raise AlreadyHandled if it was before."""

    @abstractmethod
    async def announce(self, topic: str, event: Message) -> None:
        """Record an event to publish; it reaches Kafka only if the transaction commits."""

    @abstractmethod
    def collection(self, kind: Stored[M]) -> Collection[M]:
        """The objects of one kind the service keeps, read and written inside this transaction."""

    @abstractmethod
    async def serialize_on(self, key: str) -> None:
        """Order this transaction with every other that calls this with the same `key`: the later one starts again
        and sees what the earlier one committed.

        A transaction reads a snapshot, so two that each look for what the other writes (an item's event and a phase
        event waiting for it, handled side by side from two topics) may both find nothing and both commit. Calling
        this in both makes them write one common document, which only one can commit at a time.
        """

    @abstractmethod
    async def stop_serializing_on(self, key: str) -> None:
        """`serialize_on(key)`, then delete the key's document: for a key that names something that must not
        outlive this transaction (a forgotten person's chat), or that nothing will wait on again."""


class UnitOfWork(Protocol):
    async def run(self, work: Callable[[Transaction], Awaitable[T]]) -> T | None:
        """Run `work` atomically. Returns None, changing nothing, when it raised AlreadyHandled."""
