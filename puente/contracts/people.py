"""The directory of people: invitations to join (a code bound to a role and, for staff, an entity), and people
joining. Intake keeps the directory; the codes travel and are stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from puente.contracts.common import Payload
from puente.contracts.envelope import Language, Message, ShortText, Slug
from puente.contracts.text import TopicText
from puente.contracts.topic_names import TopicName

CodeHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
PersonId = uuid.UUID

# Invitation codes: 12 characters a person can read aloud and type (no 0/O, 1/I/L), about 60 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


class Role(StrEnum):
    staff = "staff"  # acts for their own entity
    coordinator = "coordinator"  # runs the program: every entity, invitations, decisions
    evaluator = "evaluator"  # scores practices (Enseña)
    administrator = "administrator"  # everything a coordinator does, and invites coordinators and administrators


# Who may invite which roles (intake decides; the bot offers only these buttons).
MAY_INVITE: dict[Role, frozenset[Role]] = {
    Role.administrator: frozenset(Role),
    Role.coordinator: frozenset({Role.staff, Role.evaluator, Role.coordinator}),
}
# Who belongs to an entity; coordinators and administrators act for the whole program.
ROLES_WITH_ENTITY = frozenset({Role.staff, Role.evaluator})


def new_invitation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalized_code(typed: str) -> str | None:
    """The code as issued, from what a person typed or a deep link carried (spaces, dashes and case ignored);
    None if it cannot be a code at all."""
    code = re.sub(r"[\s-]", "", typed).upper()
    return code if _CODE.match(code) else None


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


# What an evaluator knows about (Bogotá Enseña suggests evaluators for a practice by these): sectors from the city
# file, and topics in their own words.
MAX_SECTORS = 15
MAX_TOPICS = 10


def no_expertise(document: dict) -> dict:
    """Version 1 had no evaluators' sectors and topics: read it as none."""
    payload = document.get("payload")
    if not isinstance(payload, dict):
        return document
    return {**document, "payload": {"sectors": [], "topics": [], **payload}}


class Expertise(Payload):
    sectors: list[Slug] = Field(default_factory=list, max_length=MAX_SECTORS)
    topics: list[TopicText] = Field(default_factory=list, max_length=MAX_TOPICS)


# --- commands, to intake --------------------------------------------------------------------------------------


class InvitePersonPayload(Expertise):
    invitation_id: uuid.UUID
    role: Role
    entity_id: Slug | None = None
    name: ShortText
    code_hash: CodeHash

    @model_validator(mode="after")
    def _staff_belong_to_an_entity(self) -> InvitePersonPayload:
        if self.role is Role.staff and self.entity_id is None:
            raise ValueError("a staff member's invitation names their entity")
        if self.role is not Role.evaluator and (self.sectors or self.topics):
            raise ValueError("only evaluators have sectors and topics")
        return self


class InvitePerson(Message):
    """A coordinator or administrator invites someone to join with a role (and, for staff, an entity)."""

    topics: ClassVar = (TopicName.intake_commands,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: no_expertise}
    type: Literal["invite_person"] = "invite_person"
    payload: InvitePersonPayload

    def aggregate_id(self) -> str:
        return str(self.payload.invitation_id)


InvitationCode = Annotated[str, StringConstraints(pattern=rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")]


class RedeemInvitationPayload(Payload):
    # The code itself, once, when it is used: intake hashes it, so what is stored or travels when inviting (the
    # hash) cannot be replayed to join.
    code: InvitationCode
    language: Language = "es"


class RedeemInvitation(Message):
    """A Telegram account (the actor, a guest) opens an invitation's link or types its code."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["redeem_invitation"] = "redeem_invitation"
    payload: RedeemInvitationPayload

    def aggregate_id(self) -> str:
        return f"account:{self.actor.id}"  # one account's attempts stay in order


class RemovePersonPayload(Payload):
    person_id: PersonId


class RemovePerson(Message):
    """A coordinator or administrator removes someone from the program; their items stay with their entity."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["remove_person"] = "remove_person"
    payload: RemovePersonPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class ChangePersonPayload(Payload):
    person_id: PersonId
    role: Role
    entity_id: Slug | None = None

    @model_validator(mode="after")
    def _staff_belong_to_an_entity(self) -> ChangePersonPayload:
        if self.role in ROLES_WITH_ENTITY and self.entity_id is None:
            raise ValueError(f"a {self.role.value} belongs to an entity")
        return self


class ChangePerson(Message):
    """A coordinator or administrator changes someone's role or entity."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["change_person"] = "change_person"
    payload: ChangePersonPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class ForgetMePayload(Payload):
    """Nothing but who asks (the actor): a person can only ask to forget themselves."""


class ForgetMe(Message):
    """A person asks Puente to erase their personal data (Colombia's Law 1581 of 2012, habeas data): their name,
    Telegram account, language, chat state and the messages sent to them. Their items stay with their entity."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["forget_me"] = "forget_me"
    payload: ForgetMePayload

    def aggregate_id(self) -> str:
        return f"account:{self.actor.id}"


# --- facts, announced by intake -------------------------------------------------------------------------------


class PersonInvitedPayload(Expertise):
    person_id: PersonId
    role: Role
    entity_id: Slug | None = None
    name: ShortText
    invited_by: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    expires_at: AwareDatetime


class PersonInvited(Message):
    topics: ClassVar = (TopicName.people_events,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: no_expertise}
    type: Literal["person.invited"] = "person.invited"
    payload: PersonInvitedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class PersonJoinedPayload(Expertise):
    person_id: PersonId
    telegram_user_id: int = Field(gt=0)
    role: Role
    entity_id: Slug | None = None
    name: ShortText
    language: Language


class PersonJoined(Message):
    topics: ClassVar = (TopicName.people_events,)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: no_expertise}
    type: Literal["person.joined"] = "person.joined"
    payload: PersonJoinedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class PersonRemovedPayload(Payload):
    person_id: PersonId
    telegram_user_id: int = Field(gt=0)
    language: Language


class PersonRemoved(Message):
    """Someone left the directory: they can do nothing more, and they are told in their language."""

    topics: ClassVar = (TopicName.people_events,)
    type: Literal["person.removed"] = "person.removed"
    payload: PersonRemovedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class PersonChangedPayload(Payload):
    person_id: PersonId
    telegram_user_id: int = Field(gt=0)
    role: Role
    entity_id: Slug | None = None
    language: Language


class PersonChanged(Message):
    """Someone's role or entity changed; they are told in their language."""

    topics: ClassVar = (TopicName.people_events,)
    type: Literal["person.changed"] = "person.changed"
    payload: PersonChangedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


class PersonForgottenPayload(Payload):
    person_id: PersonId


class PersonForgotten(Message):
    """Intake erased a person's record at their request; every service now erases what it keeps of them. The event
    names only the person's opaque id (its actor too): nothing in it says who they were."""

    topics: ClassVar = (TopicName.people_events,)
    type: Literal["person.forgotten"] = "person.forgotten"
    payload: PersonForgottenPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


MESSAGES = (InvitePerson, RedeemInvitation, RemovePerson, ChangePerson, ForgetMe, PersonInvited, PersonJoined,
            PersonRemoved, PersonChanged, PersonForgotten)
