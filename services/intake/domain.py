"""Intake's rules, with no Kafka or MongoDB in sight: who may propose or change what, and what it becomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from puente.contracts.commands import ProposeExchange, ProposePractice, UpdateItem
from puente.contracts.envelope import Actor, ActorRole, Message, derived_id
from puente.contracts.events import (
    CommandRejected,
    CommandRejectedPayload,
    ExchangeProposed,
    ExchangeProposedPayload,
    ItemChanges,
    ItemUpdated,
    ItemUpdatedPayload,
    Line,
    PracticeProposed,
    PracticeProposedPayload,
    RejectionReason,
)
from puente.wiring.city import CityConfig


class Rejected(Exception):
    """The command is well-formed but cannot be carried out."""

    def __init__(self, reason: RejectionReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


def may_act_for_entity(actor: Actor, entity_id: str) -> bool:
    """Staff act only on their own entity's items; coordinators and administrators on all."""
    if actor.role in (ActorRole.coordinator, ActorRole.administrator, ActorRole.system):
        return True
    return actor.entity_id == entity_id


def check_proposal(command: ProposeExchange | ProposePractice, city: CityConfig) -> None:
    payload = command.payload
    if command.city != city.city.slug:
        raise Rejected(RejectionReason.wrong_city)
    if payload.entity_id not in city.entities:
        raise Rejected(RejectionReason.unknown_entity)
    if payload.sector not in city.sectors:
        raise Rejected(RejectionReason.unknown_sector)
    if not may_act_for_entity(command.actor, payload.entity_id):
        raise Rejected(RejectionReason.not_your_entity)


# What each kind of proposal becomes: its line, and the event (with its payload) that announces it.
PROPOSALS: dict[type, tuple[Line, type[ExchangeProposed] | type[PracticeProposed], type]] = {
    ProposeExchange: (Line.aprende, ExchangeProposed, ExchangeProposedPayload),
    ProposePractice: (Line.ensena, PracticeProposed, PracticeProposedPayload),
}


def proposal_from(
    command: ProposeExchange | ProposePractice,
) -> tuple[dict[str, Any], ExchangeProposed | PracticeProposed]:
    """The stored item and the event announcing it. Ids derive from the command's, so a redelivery repeats them."""
    line, event_class, payload_class = PROPOSALS[type(command)]
    item_id = derived_id(command.event_id, "item")
    payload = payload_class(item_id=item_id, **command.payload.model_dump())
    event = event_class.new(
        payload=payload,
        actor=command.actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, event_class.model_fields["type"].default),
    )
    return _item_document(line, command, payload.model_dump(mode="json"), event.occurred_at), event


def _item_document(line: Line, command, fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    item_id = fields.pop("item_id")
    return {
        "_id": item_id,
        "line": line.value,
        "city": command.city,
        **fields,
        "status": "proposed",
        "revision": 1,
        "proposed_by": command.actor.model_dump(mode="json"),
        "proposed_at": at,
        "updated_at": at,
        "history": [],
    }


def apply_update(item: dict[str, Any], command: UpdateItem, now: datetime) -> tuple[dict[str, Any], ItemUpdated]:
    """The $set/$push to store and the event. The history keeps each earlier value, so nothing is lost."""
    if not may_act_for_entity(command.actor, item["entity_id"]):
        raise Rejected(RejectionReason.not_your_entity)
    line = Line(item["line"])
    allowed = {"title", "topic", "need" if line is Line.aprende else "summary"}
    changes = {
        field: value
        for field, value in command.payload.changes.model_dump(exclude_none=True).items()
        if field in allowed and item.get(field) != value
    }
    if not changes:
        raise Rejected(RejectionReason.nothing_to_change)
    revision = item["revision"] + 1
    history_entry = {
        "revision": revision,
        "changed_at": now,
        "changed_by": command.actor.model_dump(mode="json"),
        "previous": {field: item.get(field) for field in changes},
    }
    update = {
        "$set": {**changes, "revision": revision, "updated_at": now},
        "$push": {"history": history_entry},
    }
    event = ItemUpdated.new(
        payload=ItemUpdatedPayload(item_id=item["_id"], line=line, revision=revision, changes=ItemChanges(**changes)),
        actor=command.actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, ItemUpdated.model_fields["type"].default),
        occurred_at=now,
    )
    return update, event


def rejection(command: Message, reason: RejectionReason) -> CommandRejected:
    """The answer to a command that cannot be carried out; its id derives from the command's."""
    return CommandRejected.new(
        payload=CommandRejectedPayload(
            command_id=command.event_id, command_type=command.type, reason=reason,
            item_id=getattr(command.payload, "item_id", None),
        ),
        actor=command.actor,
        city=command.city,
        caused_by=command,
        event_id=derived_id(command.event_id, CommandRejected.model_fields["type"].default),
    )
