"""Intake's rules, with no Kafka or MongoDB in sight: who may propose or change what, and what it becomes.

The rules take domain objects and plain values (the city's slug, entities and sectors as `ProposalRules`) and
return domain objects (`Item`) and the events that announce them; storing them is the handler's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole, Message, derived_id
from puente.contracts.items import (
    ExchangeProposed,
    ExchangeProposedPayload,
    IntakeRejectionReason,
    ItemChanges,
    ItemUpdated,
    ItemUpdatedPayload,
    PracticeProposed,
    PracticeProposedPayload,
    ProposeExchange,
    ProposePractice,
    UpdateItem,
    reference_code,
)
from puente.contracts.rejections import CommandRejected, CommandRejectedPayload


class Rejected(Exception):
    """The command is well-formed but cannot be carried out."""

    def __init__(self, reason: IntakeRejectionReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class ProposalRules:
    """What the city's configuration says about proposals, as plain values."""

    city: str
    entity_ids: frozenset[str]
    sector_ids: frozenset[str]


class ItemRevision(BaseModel):
    """One change to an item: who made it, when, and the values it replaced."""

    model_config = ConfigDict(frozen=True)

    revision: int
    changed_at: datetime
    changed_by: Actor
    previous: dict[str, str | list[str] | None]  # a list: the countries of interest


class Item(BaseModel):
    """An exchange (Aprende) or a practice (Enseña), as intake keeps it."""

    model_config = ConfigDict(frozen=True)

    id: str
    reference: str | None = None  # AP-2026-0007; None only for items from before references
    line: Line
    city: str
    entity_id: str
    sector: str
    title: str
    need: str | None = None  # an exchange's
    summary: str | None = None  # a practice's
    topic: str | None = None
    countries_of_interest: list[str] = Field(default_factory=list)
    status: str = "proposed"
    revision: int = 1
    proposed_by: Actor
    proposed_at: datetime
    updated_at: datetime
    history: list[ItemRevision] = Field(default_factory=list)

    def changeable_fields(self) -> set[str]:
        if self.line is Line.aprende:
            return {"title", "topic", "need", "countries_of_interest"}
        return {"title", "topic", "summary"}


class ReferenceCounter(BaseModel):
    """The last reference number given in one city, line and year."""

    model_config = ConfigDict(frozen=True)

    id: str  # city:line:year
    last: int = 0
    revision: int = 0


def next_reference(counter: ReferenceCounter, prefix: str, year: int) -> tuple[ReferenceCounter, str]:
    """The counter after one more proposal, and that proposal's code."""
    number = counter.last + 1
    return (counter.model_copy(update={"last": number, "revision": counter.revision + 1}),
            reference_code(prefix, year, number))


def may_act_for_entity(actor: Actor, entity_id: str) -> bool:
    """Staff act only on their own entity's items; coordinators and administrators on all."""
    if actor.role in (ActorRole.coordinator, ActorRole.administrator, ActorRole.system):
        return True
    return actor.entity_id == entity_id


def check_proposal(command: ProposeExchange | ProposePractice, rules: ProposalRules, actor: Actor) -> None:
    """`actor` is who acts as the directory knows them, not as the command claims."""
    payload = command.payload
    if command.city != rules.city:
        raise Rejected(IntakeRejectionReason.wrong_city)
    if payload.entity_id not in rules.entity_ids:
        raise Rejected(IntakeRejectionReason.unknown_entity)
    if payload.sector not in rules.sector_ids:
        raise Rejected(IntakeRejectionReason.unknown_sector)
    if not may_act_for_entity(actor, payload.entity_id):
        raise Rejected(IntakeRejectionReason.not_your_entity)


# What each kind of proposal becomes: its line, and the event (with its payload) that announces it.
PROPOSALS: dict[type, tuple[Line, type[ExchangeProposed] | type[PracticeProposed], type]] = {
    ProposeExchange: (Line.aprende, ExchangeProposed, ExchangeProposedPayload),
    ProposePractice: (Line.ensena, PracticeProposed, PracticeProposedPayload),
}


def recorded(actor: Actor, person_id: str | None) -> Actor:
    """Who acted, as an item's record keeps them: by the directory's opaque person id, never their Telegram
    account, so erasing a person (habeas data) leaves the items and their history as they are."""
    return actor if person_id is None else actor.model_copy(update={"id": person_id})


def proposal_from(
    command: ProposeExchange | ProposePractice, actor: Actor | None = None, person_id: str | None = None,
    reference: str | None = None,
) -> tuple[Item, ExchangeProposed | PracticeProposed]:
    """The new item and the event announcing it. Ids derive from the command's, so a redelivery repeats them.
    `actor` is who proposed as the directory knows them (the command's claim when not given, as in tests),
    `person_id` their id in the directory, which the item records, and `reference` the item's code."""
    actor = actor or command.actor
    line, event_class, payload_class = PROPOSALS[type(command)]
    item_id = derived_id(command.event_id, "item")
    payload = payload_class(item_id=item_id, reference=reference, **command.payload.model_dump())
    event = event_class.new(
        payload=payload,
        actor=actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, event_class.model_fields["type"].default),
    )
    item = Item(
        **payload.model_dump(exclude={"item_id"}),
        id=str(item_id),
        line=line,
        city=command.city,
        proposed_by=recorded(actor, person_id),
        proposed_at=event.occurred_at,
        updated_at=event.occurred_at,
    )
    return item, event


def apply_update(item: Item, command: UpdateItem, now: datetime, actor: Actor,
                 person_id: str | None = None) -> tuple[Item, ItemUpdated]:
    """The changed item and the event. The history keeps each earlier value, so nothing is lost. `actor` is who
    acts as the directory knows them, and `person_id` their id in the directory, which the history records."""
    if not may_act_for_entity(actor, item.entity_id):
        raise Rejected(IntakeRejectionReason.not_your_entity)
    current = item.model_dump()
    changes = {
        field: value
        for field, value in command.payload.changes.model_dump(exclude_none=True).items()
        if field in item.changeable_fields() and current.get(field) != value
    }
    if not changes:
        raise Rejected(IntakeRejectionReason.nothing_to_change)
    revision = item.revision + 1
    history_entry = ItemRevision(
        revision=revision, changed_at=now, changed_by=recorded(actor, person_id),
        previous={field: current.get(field) for field in changes},
    )
    changed = item.model_copy(
        update={**changes, "revision": revision, "updated_at": now, "history": [*item.history, history_entry]}
    )
    event = ItemUpdated.new(
        payload=ItemUpdatedPayload(item_id=item.id, line=item.line, revision=revision, changes=ItemChanges(**changes)),
        actor=actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, ItemUpdated.model_fields["type"].default),
        occurred_at=now,
    )
    return changed, event


def rejection(command: Message, reason: IntakeRejectionReason) -> CommandRejected:
    """The answer to a command that cannot be carried out; its id derives from the command's."""
    return CommandRejected.new(
        payload=CommandRejectedPayload(
            command_id=command.event_id, command_type=command.type, service="intake", reason=reason,
            item_id=getattr(command.payload, "item_id", None),
        ),
        actor=command.actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, CommandRejected.model_fields["type"].default),
    )
