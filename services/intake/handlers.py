"""Intake's handlers: plain functions that take a validated command and a transaction, and its routing table.

Each handler decides (the domain's rules) before it writes anything, so a rejection is recorded in the same
transaction that claimed the command: the sender hears why, and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.items import (
    ExchangeProposed,
    IntakeRejectionReason,
    ItemUpdated,
    PracticeProposed,
    ProposeExchange,
    ProposePractice,
    UpdateItem,
)
from puente.contracts.knowledge import CatalogueEntryRecorded, RecordCatalogueEntry
from puente.contracts.people import (
    ChangePerson,
    ForgetMe,
    InvitePerson,
    PersonChanged,
    PersonForgotten,
    PersonInvited,
    PersonJoined,
    PersonRemoved,
    RedeemInvitation,
    RemovePerson,
    code_hash,
)
from puente.contracts.rejections import CommandRejected
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.storage import AlreadyStored
from puente.wiring.transaction import RetryLater, Transaction
from services.intake import catalogue, directory, domain
from services.intake.repository import INVITATIONS, ITEMS, PEOPLE, REFERENCE_COUNTERS, WRONG_CODES

log = get_logger(__name__)


# The events intake announces (the AsyncAPI catalogue lists these), next to the handlers that announce them.
ANNOUNCES = (ExchangeProposed, PracticeProposed, ItemUpdated, CatalogueEntryRecorded, CommandRejected)
ANNOUNCES_IN_DIRECTORY = (PersonInvited, PersonJoined, PersonRemoved, PersonChanged, PersonForgotten, CommandRejected)
DIRECTORY_COMMANDS = (InvitePerson, RedeemInvitation, RemovePerson, ChangePerson, ForgetMe)

# Removals and changes of people serialize on this (`Transaction.serialize_on`): two people removing or demoting
# each other at the same moment (on two partitions, or two replicas) would each read the other as still able to,
# and both commit; one after the other, the second is refused.
STEERING_THE_DIRECTORY = "directory-steering"


class IntakeHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock = utc_now,
                 invitation_valid_for: timedelta = timedelta(hours=72)) -> None:
        self.topics = topics
        self.rules = domain.ProposalRules(
            city=city.city.slug, entity_ids=frozenset(city.entities), sector_ids=frozenset(city.sectors)
        )
        self.city = city
        self.invitation_rules = directory.InvitationRules(frozenset(city.entities), invitation_valid_for,
                                                          frozenset(city.sectors))
        self.clock = clock

    def routes(self) -> Routes:
        return {
            ProposeExchange: self.propose,
            ProposePractice: self.propose,
            UpdateItem: self.update_item,
            InvitePerson: self.invite_person,
            RedeemInvitation: self.redeem_invitation,
            RemovePerson: self.remove_person,
            ChangePerson: self.change_person,
            ForgetMe: self.forget_me,
            RecordCatalogueEntry: self.record_catalogue_entry,
        }

    async def acting(self, command, transaction: Transaction) -> tuple[Actor, directory.Person]:
        """Who acts, as intake's directory says (active person, their role and entity), whatever the command
        claims; Rejected for anyone the directory does not know, a forged "system" actor included."""
        person = await self._person_of(command.actor.id, transaction.collection(PEOPLE))
        if person is None:
            raise domain.Rejected(IntakeRejectionReason.not_a_member)
        actor = Actor(role=ActorRole(person.role.value), id=command.actor.id, entity_id=person.entity_id,
                      language=command.actor.language)
        return actor, person

    async def propose(self, command: ProposeExchange | ProposePractice, transaction: Transaction) -> str:
        """An exchange (Bogotá Aprende) or a practice (Bogotá Enseña) enters the program."""
        try:
            actor, person = await self.acting(command, transaction)
            domain.check_proposal(command, self.rules, actor)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        line = domain.PROPOSALS[type(command)][0]
        reference = await self._next_reference(line, transaction)
        item, event = domain.proposal_from(command, actor, person.id, reference)
        await transaction.collection(ITEMS).add(item)
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    async def _next_reference(self, line: Line, transaction: Transaction) -> str:
        """The next code of the line in the city's current year, given once: the counter moves in the proposal's
        transaction, so a rejected or redelivered command uses up no number, and two replicas never share one."""
        counters = transaction.collection(REFERENCE_COUNTERS)
        year = self.city.city.local_date(self.clock()).year
        key = f"{self.city.city.slug}:{line.value}:{year}"
        counter = await counters.get(key)
        moved, reference = domain.next_reference(counter or domain.ReferenceCounter(id=key),
                                                 self.city.lines[line].reference_prefix, year)
        if counter is None:
            try:
                await counters.add(moved)
            except AlreadyStored as taken:
                raise RetryLater(f"reference counter {key} created meanwhile") from taken
        elif not await counters.save(moved, expected_revision=counter.revision):
            raise RetryLater(f"reference counter {key} moved meanwhile")
        return reference

    async def update_item(self, command: UpdateItem, transaction: Transaction) -> str:
        items = transaction.collection(ITEMS)
        item = await items.get(str(command.payload.item_id))
        try:
            actor, person = await self.acting(command, transaction)
            if item is None:
                raise domain.Rejected(IntakeRejectionReason.unknown_item)
            changed, event = domain.apply_update(item, command, self.clock(), actor, person.id)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        if not await items.save(changed, expected_revision=item.revision):
            raise RetryLater(f"item {item.id} changed while it was being updated")
        await transaction.announce(self.topics.item_events, event)
        return "applied"

    # --- Bogotá Aprende's catalogue -------------------------------------------------------------------------------

    async def record_catalogue_entry(self, command: RecordCatalogueEntry, transaction: Transaction) -> str:
        """A coordinator or administrator adds or corrects a catalogue entry from chat."""
        try:
            _, person = await self.acting(command, transaction)
            catalogue.may_record(person.role)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        return await self._record_entry(command, transaction, "chat")

    async def record_as_operator(self, command: RecordCatalogueEntry, transaction: Transaction,
                                 force: bool = False) -> str:
        """The operator loading the city's file (`puente catalogue load`): not a route. An entry a coordinator
        recorded from chat is kept ("kept"), unless `force`."""
        return await self._record_entry(command, transaction, "file", force)

    async def _record_entry(self, command: RecordCatalogueEntry, transaction: Transaction, source: str,
                            force: bool = False) -> str:
        entries = transaction.collection(catalogue.CATALOGUE)
        kept = await entries.get(command.aggregate_id())
        try:
            recorded = catalogue.record(command, kept, self.rules.sector_ids, self.clock(), source, force)
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        except catalogue.KeptFromChat:
            return "kept"
        if recorded is None:
            return "ignored"  # recorded exactly so already: loading a file twice changes nothing
        changed, event = recorded
        await entries.save(changed)
        await transaction.announce(self.topics.item_events, event)
        log.info("catalogue entry recorded", kind=changed.kind.value, created=event.payload.created)
        return "applied"

    async def invite_person(self, command: InvitePerson, transaction: Transaction) -> str:
        """A coordinator or administrator invites someone from chat."""
        inviter = await self._person_of(command.actor.id, transaction.collection(PEOPLE))
        return await self._invite(command, transaction, lambda: directory.check_inviter(inviter, command.payload.role))

    async def invite_as_operator(self, command: InvitePerson, transaction: Transaction) -> str:
        """The operator at the command line (`puente admin invite`), who reached intake's database: not a route,
        so nobody can claim it with a message written onto Kafka."""
        return await self._invite(command, transaction, lambda: directory.OPERATOR)

    async def _invite(self, command: InvitePerson, transaction: Transaction, inviter: Callable[[], str]) -> str:
        try:
            invited_by = inviter()
            invitation, event = directory.invite(command, invited_by, self.invitation_rules, self.clock())
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        await transaction.collection(INVITATIONS).add(invitation)
        await transaction.announce(self.topics.people_events, event)
        return "applied"

    async def redeem_invitation(self, command: RedeemInvitation, transaction: Transaction) -> str:
        """A Telegram account joins with a code: once, before it expires, unless it tried too many wrong ones."""
        now = self.clock()
        invitations = transaction.collection(INVITATIONS)
        wrong_codes = transaction.collection(WRONG_CODES)
        found = await invitations.find(code_hash=code_hash(command.payload.code))
        invitation = found[0] if found else None
        tried = await wrong_codes.get(command.actor.id) or directory.WrongCodes(id=command.actor.id)
        people = transaction.collection(PEOPLE)
        member = await self._person_of(command.actor.id, people)
        inviter = await people.get(invitation.invited_by) if invitation is not None else None
        try:
            used, person, joined = directory.redeem(command, invitation, tried, member, inviter, now)
        except domain.Rejected as rejected:
            if rejected.reason is IntakeRejectionReason.wrong_code:
                await wrong_codes.save(directory.with_wrong_code(tried, now))
                log.info("wrong invitation code", account_attempts=len(tried.recent(now)) + 1)
            return await self.reject(command, rejected.reason, transaction)
        await invitations.save(used)
        await transaction.collection(PEOPLE).save(person)
        await transaction.announce(self.topics.people_events, joined)
        return "applied"

    async def remove_person(self, command: RemovePerson, transaction: Transaction) -> str:
        """A coordinator or administrator removes someone: they can do nothing more; their items stay."""
        await transaction.serialize_on(STEERING_THE_DIRECTORY)
        people = transaction.collection(PEOPLE)
        remover = await self._person_of(command.actor.id, people)
        try:
            removed, event = directory.remove(command, remover, await people.get(str(command.payload.person_id)),
                                              self.clock())
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        await people.save(removed)
        await transaction.announce(self.topics.people_events, event)
        return "applied"

    async def change_person(self, command: ChangePerson, transaction: Transaction) -> str:
        """A coordinator or administrator changes someone's role or entity."""
        await transaction.serialize_on(STEERING_THE_DIRECTORY)
        people = transaction.collection(PEOPLE)
        changer = await self._person_of(command.actor.id, people)
        try:
            changed, event = directory.change(command, changer, await people.get(str(command.payload.person_id)),
                                              self.invitation_rules, self.clock())
        except domain.Rejected as rejected:
            return await self.reject(command, rejected.reason, transaction)
        await people.save(changed)
        await transaction.announce(self.topics.people_events, event)
        return "applied"

    async def forget_me(self, command: ForgetMe, transaction: Transaction) -> str:
        """A person asks to be forgotten (habeas data): every record of their Telegram account in the directory
        (a removed one too), the invitations that named them and their wrong codes are erased, and each record's
        erasure is announced by its opaque id, for the other services to erase theirs. Items already name only
        that opaque id, so they stay with their entity untouched."""
        if not command.actor.id.isdigit():
            return await self.reject(command, IntakeRejectionReason.not_a_member, transaction)
        people = transaction.collection(PEOPLE)
        records = await people.find(telegram_user_id=int(command.actor.id))
        if not records:
            return await self.reject(command, IntakeRejectionReason.not_a_member, transaction)
        invitations = transaction.collection(INVITATIONS)
        for person in records:
            for invitation in await invitations.find(person_id=person.id):
                await invitations.delete(invitation.id)
            await people.delete(person.id)
            await transaction.announce(self.topics.people_events, directory.forgotten(command, person, self.clock()))
        await transaction.collection(WRONG_CODES).delete(command.actor.id)
        log.info("person forgotten at their request", command_id=str(command.event_id), records=len(records))
        return "applied"

    @staticmethod
    async def _person_of(telegram_user_id: str, people) -> directory.Person | None:
        if not telegram_user_id.isdigit():
            return None
        found = [person for person in await people.find(telegram_user_id=int(telegram_user_id)) if person.active]
        return found[0] if found else None

    async def reject(self, command, reason: IntakeRejectionReason, transaction: Transaction) -> str:
        """Record the rejection and tell the sender why; nothing else changes."""
        event = domain.rejection(command, reason)
        topic = self.topics.people_events if isinstance(command, DIRECTORY_COMMANDS) else self.topics.item_events
        await transaction.announce(topic, event)
        log.info("command rejected", command_type=command.type, command_id=str(command.event_id), reason=reason.value)
        return "rejected"
