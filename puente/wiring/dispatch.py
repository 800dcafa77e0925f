"""Handing each message to its handler, exactly once, in one transaction: the same in a service and in a test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from puente.contracts.envelope import IMPORT_ACTOR, Message
from puente.wiring.transaction import Transaction, UnitOfWork

# A handler: a validated message and the transaction it runs in; it returns its outcome ("applied", "ignored",
# "rejected", "waiting"). The message is already claimed in the inbox when the handler runs.
Handler = Callable[[Any, Transaction], Awaitable[str]]
# A service's routing table, declared beside its handlers: which handler each message type goes to.
Routes = dict[type[Message], Handler]


async def ignore(message: Message, transaction: Transaction) -> str:
    """A message this service does not act on: claimed, so counts stay honest."""
    return "ignored"


def ignoring_history(routes: Routes) -> Routes:
    """The same routes, but events of the history import (`IMPORT_ACTOR`) are claimed and ignored: they tell what
    happened before Puente, so no one is alerted and no course starts again."""

    def unless_imported(handler: Handler) -> Handler:
        async def handle(message: Message, transaction: Transaction) -> str:
            if message.actor == IMPORT_ACTOR:
                return "ignored"
            return await handler(message, transaction)
        return handle

    return {message_type: unless_imported(handler) for message_type, handler in routes.items()}


class Dispatcher:
    def __init__(self, routes: Routes, unit_of_work: UnitOfWork) -> None:
        self.routes = routes
        self.unit_of_work = unit_of_work

    async def dispatch(self, message: Message) -> str:
        """Claim the message in the inbox and run its handler in the same transaction.

        Returns the handler's outcome, or "duplicate" (changing nothing) when the message was handled before.
        """
        handler = self.routes.get(type(message), ignore)

        async def work(transaction: Transaction) -> str:
            await transaction.claim(message)
            return await handler(message, transaction)

        return await self.unit_of_work.run(work) or "duplicate"
