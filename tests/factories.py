"""Valid messages for tests, with sensible defaults that a test overrides where it matters."""

from __future__ import annotations

import json
import uuid

from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.items import (
    IntakeRejectionReason,
    ItemChanges,
    ProposeExchange,
    ProposeExchangePayload,
    ProposePractice,
    ProposePracticePayload,
    UpdateItem,
    UpdateItemPayload,
)
from puente.contracts.people import (
    InvitePerson,
    InvitePersonPayload,
    RedeemInvitation,
    RedeemInvitationPayload,
    code_hash,
)
from puente.contracts.rejections import CommandRejected
from services.intake.domain import rejection


def staff(entity_id: str = "sed", user_id: str = "5001", language: str = "es") -> Actor:
    return Actor(role=ActorRole.staff, id=user_id, entity_id=entity_id, language=language)


def propose_exchange(entity_id: str = "sed", actor: Actor | None = None, title: str = "Aulas abiertas",
                     sector: str = "education", city: str = "bogota") -> ProposeExchange:
    return ProposeExchange.new(
        payload=ProposeExchangePayload(
            entity_id=entity_id, sector=sector, title=title,
            need="Reducir la deserción escolar en colegios rurales aprendiendo de otras ciudades.",
            topic="deserción escolar", countries_of_interest=["FI", "CL"],
        ),
        actor=actor or staff(entity_id),
        city=city,
    )


def propose_practice(entity_id: str = "sed", title: str = "Escuelas de padres") -> ProposePractice:
    return ProposePractice.new(
        payload=ProposePracticePayload(
            entity_id=entity_id, sector="education", title=title,
            summary="Encuentros mensuales de familias y docentes que redujeron la deserción escolar.",
        ),
        actor=staff(entity_id),
        city="bogota",
    )


def update_item(item_id, actor: Actor | None = None, **changes) -> UpdateItem:
    return UpdateItem.new(
        payload=UpdateItemPayload(item_id=item_id, changes=ItemChanges(**changes)),
        actor=actor or staff(),
        city="bogota",
    )


def as_version_1(event: CommandRejected) -> bytes:
    """What an intake replica from before version 2 writes: no `service` in the payload."""
    document = json.loads(event.to_bytes())
    del document["payload"]["service"]
    return json.dumps({**document, "version": 1}).encode()


def rejected_proposal(user_id: str) -> CommandRejected:
    """Intake's answer to a person who proposed for another entity."""
    command = propose_exchange(entity_id="sds", actor=staff("sed", user_id=user_id))
    return rejection(command, IntakeRejectionReason.not_your_entity)


def invite_person(role: str, name: str = "Ana Gómez", entity_id: str | None = None, actor: Actor | None = None,
                  code: str = "ABCDEFGHJKMN", sectors: tuple[str, ...] = (),
                  topics: tuple[str, ...] = ()) -> InvitePerson:
    """An invitation from `actor` (the operator at the command line by default) with a known code."""
    from services.intake.directory import OPERATOR_ACTOR

    return InvitePerson.new(
        payload=InvitePersonPayload(invitation_id=uuid.uuid4(), role=role, entity_id=entity_id, name=name,
                                    code_hash=code_hash(code), sectors=list(sectors), topics=list(topics)),
        actor=actor or OPERATOR_ACTOR,
        city="bogota",
    )


def redeem_invitation(code: str, user_id: int = 6001, language: str = "es") -> RedeemInvitation:
    """What the bot sends when a Telegram account opens an invitation's link."""
    return RedeemInvitation.new(
        payload=RedeemInvitationPayload(code=code, language=language),
        actor=Actor(role=ActorRole.guest, id=str(user_id), language=language),
        city="bogota",
    )
