"""A service's own view of the directory, kept from the people events: each person as far as that service needs
(its model's fields, taken from the events by name), marked inactive when removed and erased when forgotten. Phases
keeps one to authorize coordinators' commands, reporting one to know who gets reports and the dashboard."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

from puente.contracts.people import PersonChanged, PersonForgotten, PersonJoined, PersonRemoved
from puente.wiring.dispatch import Routes
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction

M = TypeVar("M", bound=BaseModel)
KEPT_APART = ("id", "active")  # the person's id is the key; `active` only changes by a removal


class DirectoryView(Generic[M]):
    def __init__(self, kind: Stored[M]) -> None:
        self.kind = kind

    def routes(self) -> Routes:
        return {PersonJoined: self.person_joined, PersonChanged: self.person_changed,
                PersonRemoved: self.person_removed, PersonForgotten: self.person_forgotten}

    def _fields(self, payload: BaseModel) -> dict:
        return {name: getattr(payload, name) for name in self.kind.model.model_fields
                if name not in KEPT_APART and name in type(payload).model_fields}

    async def person_joined(self, event: PersonJoined, transaction: Transaction) -> str:
        person = self.kind.model(id=str(event.payload.person_id), **self._fields(event.payload))
        await transaction.collection(self.kind).save(person)
        return "applied"

    async def person_changed(self, event: PersonChanged, transaction: Transaction) -> str:
        return await self._update(transaction, str(event.payload.person_id), **self._fields(event.payload))

    async def person_removed(self, event: PersonRemoved, transaction: Transaction) -> str:
        return await self._update(transaction, str(event.payload.person_id), active=False)

    async def person_forgotten(self, event: PersonForgotten, transaction: Transaction) -> str:
        people = transaction.collection(self.kind)
        if await people.get(str(event.payload.person_id)) is None:
            return "ignored"
        await people.delete(str(event.payload.person_id))
        return "applied"

    async def _update(self, transaction: Transaction, person_id: str, **changes) -> str:
        people = transaction.collection(self.kind)
        person = await people.get(person_id)
        if person is None:
            return "ignored"
        await people.save(person.model_copy(update=changes))
        return "applied"
