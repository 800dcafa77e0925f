"""The directory's rules, with no Kafka or MongoDB in sight: who may invite whom, and what a code opens.

An invitation is bound to a role and (for staff) an entity, expires, and can be used once; only its code's SHA-256
is kept. A Telegram account that tries five wrong codes within an hour is locked out until an hour has passed
since the fifth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, derived_id
from puente.contracts.items import IntakeRejectionReason
from puente.contracts.people import (
    MAY_INVITE,
    ROLES_WITH_ENTITY,
    ChangePerson,
    ForgetMe,
    InvitePerson,
    PersonChanged,
    PersonChangedPayload,
    PersonForgotten,
    PersonForgottenPayload,
    PersonInvited,
    PersonInvitedPayload,
    PersonJoined,
    PersonJoinedPayload,
    PersonRemoved,
    PersonRemovedPayload,
    RedeemInvitation,
    RemovePerson,
    Role,
)
from services.intake.domain import Rejected

WRONG_CODES_ALLOWED = 5
LOCKOUT = timedelta(hours=1)
OPERATOR = "command-line"  # who invites from `puente admin invite`: someone with access to the database


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    code_hash: str
    person_id: str
    role: Role
    entity_id: str | None
    name: str
    invited_by: str
    created_at: datetime
    expires_at: datetime
    sectors: list[str] = Field(default_factory=list)  # an evaluator's
    topics: list[str] = Field(default_factory=list)
    used_at: datetime | None = None
    used_by: int | None = None  # the Telegram account that joined with it


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    telegram_user_id: int
    name: str
    role: Role
    entity_id: str | None
    language: str
    active: bool = True
    joined_at: datetime
    invited_by: str
    sectors: list[str] = Field(default_factory=list)  # an evaluator's
    topics: list[str] = Field(default_factory=list)


class WrongCodes(BaseModel):
    """A Telegram account's recent wrong codes, and until when it is locked out."""

    model_config = ConfigDict(frozen=True)

    id: str  # the Telegram account
    at: list[datetime] = Field(default_factory=list)
    locked_until: datetime | None = None

    def recent(self, now: datetime) -> list[datetime]:
        return [moment for moment in self.at if now - moment < LOCKOUT]

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class InvitationRules:
    entity_ids: frozenset[str]
    valid_for: timedelta
    sector_ids: frozenset[str] = frozenset()


def check_inviter(inviter: Person | None, role: Role) -> str:
    """Who invites, as the directory records it; Rejected unless the directory says they may invite this role."""
    if inviter is None or not inviter.active or role not in MAY_INVITE.get(inviter.role, frozenset()):
        raise Rejected(IntakeRejectionReason.not_allowed)
    return inviter.id


def invite(command: InvitePerson, invited_by: str, rules: InvitationRules,
           now: datetime) -> tuple[Invitation, PersonInvited]:
    payload = command.payload
    entity_id = payload.entity_id if payload.role in ROLES_WITH_ENTITY else None
    if entity_id is not None and entity_id not in rules.entity_ids:
        raise Rejected(IntakeRejectionReason.unknown_entity)
    if not set(payload.sectors) <= rules.sector_ids:
        raise Rejected(IntakeRejectionReason.unknown_sector)
    sectors, topics = sorted(set(payload.sectors)), list(dict.fromkeys(payload.topics))
    person_id = derived_id(payload.invitation_id, "person")
    invitation = Invitation(
        id=str(payload.invitation_id), code_hash=payload.code_hash, person_id=str(person_id), role=payload.role,
        entity_id=entity_id, name=payload.name, invited_by=invited_by, created_at=now,
        expires_at=now + rules.valid_for, sectors=sectors, topics=topics,
    )
    event = PersonInvited.new(
        payload=PersonInvitedPayload(person_id=person_id, role=payload.role, entity_id=entity_id, name=payload.name,
                                     invited_by=invited_by, expires_at=invitation.expires_at, sectors=sectors,
                                     topics=topics),
        actor=command.actor, city=command.city, caused_by=command,
        event_id=derived_id(command.event_id, "person.invited"), occurred_at=now,
    )
    return invitation, event


def redeem(command: RedeemInvitation, invitation: Invitation | None, wrong_codes: WrongCodes, member: Person | None,
           inviter: Person | None, now: datetime) -> tuple[Invitation, Person, PersonJoined]:
    """The used invitation, the new person and the event. Rejected (the caller records a wrong code) otherwise.
    An invitation from someone since removed is void: a person who expects to be removed cannot keep a way back."""
    if not command.actor.id.isdigit() or int(command.actor.id) <= 0:
        raise Rejected(IntakeRejectionReason.not_allowed)  # not a Telegram account
    if wrong_codes.locked(now):
        raise Rejected(IntakeRejectionReason.locked_out)
    if invitation is None:
        raise Rejected(IntakeRejectionReason.wrong_code)
    if member is not None and member.active:
        raise Rejected(IntakeRejectionReason.already_member)
    if invitation.used_at is not None:
        raise Rejected(IntakeRejectionReason.used_code)
    if now >= invitation.expires_at:
        raise Rejected(IntakeRejectionReason.expired_code)
    if invitation.invited_by != OPERATOR and (inviter is None or not inviter.active):
        raise Rejected(IntakeRejectionReason.used_code)  # void: whoever invited is no longer in the program
    account = int(command.actor.id)
    used = invitation.model_copy(update={"used_at": now, "used_by": account})
    person = Person(
        id=invitation.person_id, telegram_user_id=account, name=invitation.name, role=invitation.role,
        entity_id=invitation.entity_id, language=command.payload.language, joined_at=now,
        invited_by=invitation.invited_by, sectors=invitation.sectors, topics=invitation.topics,
    )
    event = PersonJoined.new(
        payload=PersonJoinedPayload(person_id=invitation.person_id, telegram_user_id=account, role=person.role,
                                    entity_id=person.entity_id, name=person.name, language=person.language,
                                    sectors=person.sectors, topics=person.topics),
        actor=Actor(role=ActorRole(person.role.value), id=command.actor.id, entity_id=person.entity_id,
                    language=person.language),
        city=command.city, caused_by=command, event_id=derived_id(command.event_id, "person.joined"), occurred_at=now,
    )
    return used, person, event


def with_wrong_code(wrong_codes: WrongCodes, now: datetime) -> WrongCodes:
    """One more wrong code; the fifth within an hour locks the account out for an hour from now."""
    recent = [*wrong_codes.recent(now), now]
    locked_until = now + LOCKOUT if len(recent) >= WRONG_CODES_ALLOWED else wrong_codes.locked_until
    return wrong_codes.model_copy(update={"at": recent, "locked_until": locked_until})


OPERATOR_ACTOR = SYSTEM_ACTOR.model_copy(update={"id": OPERATOR})


def remove(command: RemovePerson, remover: Person | None, person: Person | None,
           now: datetime) -> tuple[Person, PersonRemoved]:
    """The person, no longer active, and the event. Only who may invite a person's role may remove them, and
    nobody removes themselves (an administrator cannot lock the program out by accident)."""
    if remover is None or person is None or person.role not in MAY_INVITE.get(remover.role, frozenset()):
        raise Rejected(IntakeRejectionReason.not_allowed)
    if person.id == remover.id or not person.active:
        raise Rejected(IntakeRejectionReason.nothing_to_change)
    removed = person.model_copy(update={"active": False})
    event = PersonRemoved.new(
        payload=PersonRemovedPayload(person_id=person.id, telegram_user_id=person.telegram_user_id,
                                     language=person.language),
        actor=command.actor, city=command.city, caused_by=command,
        event_id=derived_id(command.event_id, "person.removed"), occurred_at=now,
    )
    return removed, event


def change(command: ChangePerson, changer: Person | None, person: Person | None, rules: InvitationRules,
           now: datetime) -> tuple[Person, PersonChanged]:
    """The person with their new role and entity, and the event. Whoever may invite both the person's role and the
    new one may change it, never their own."""
    payload = command.payload
    allowed = MAY_INVITE.get(changer.role, frozenset()) if changer is not None else frozenset()
    if person is None or not person.active or person.role not in allowed or payload.role not in allowed:
        raise Rejected(IntakeRejectionReason.not_allowed)
    if person.id == changer.id:
        raise Rejected(IntakeRejectionReason.not_allowed)
    entity_id = payload.entity_id if payload.role in ROLES_WITH_ENTITY else None
    if entity_id is not None and entity_id not in rules.entity_ids:
        raise Rejected(IntakeRejectionReason.unknown_entity)
    if (person.role, person.entity_id) == (payload.role, entity_id):
        raise Rejected(IntakeRejectionReason.nothing_to_change)
    changed = person.model_copy(update={"role": payload.role, "entity_id": entity_id})
    event = PersonChanged.new(
        payload=PersonChangedPayload(person_id=person.id, telegram_user_id=person.telegram_user_id, role=payload.role,
                                     entity_id=entity_id, language=person.language),
        actor=command.actor, city=command.city, caused_by=command,
        event_id=derived_id(command.event_id, "person.changed"), occurred_at=now,
    )
    return changed, event


def forgotten(command: ForgetMe, person: Person, now: datetime) -> PersonForgotten:
    """The announcement that a person's record is erased. It names only their opaque id, its actor included:
    the event must not carry again what it announces is gone."""
    return PersonForgotten.new(
        payload=PersonForgottenPayload(person_id=person.id),
        actor=Actor(role=ActorRole(person.role.value), id=person.id, entity_id=person.entity_id),
        city=command.city, caused_by=command, event_id=derived_id(command.event_id, "person.forgotten", person.id),
        occurred_at=now,
    )
