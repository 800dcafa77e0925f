"""The directory in memory: invitations bound to a role and entity, used once, expiring, stored only as a hash; a
Telegram account locked out after five wrong codes in an hour; only coordinators and administrators invite."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.people import InvitePerson, PersonInvited, PersonJoined, Role, code_hash
from puente.contracts.rejections import CommandRejected
from puente.wiring.city import load_city_config
from puente.wiring.clock import SettableClock
from puente.wiring.dispatch import Dispatcher
from services.intake.handlers import IntakeHandlers
from services.intake.repository import INVITATIONS, PEOPLE
from tests.factories import invite_person, redeem_invitation
from tests.helpers import in_memory_service

CODE, OTHER_CODE = "ABCDEFGHJKMN", "PQRSTUVWXYZ2"


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))


@pytest.fixture
def intake(settings, clock):
    return in_memory_service("intake", settings, clock)


async def as_operator(intake, command) -> str:
    """What `puente admin invite` does: intake's rules, reached through its database, not through Kafka."""
    handlers = IntakeHandlers(intake.settings.topics, load_city_config(intake.settings), intake.clock)
    return await Dispatcher({InvitePerson: handlers.invite_as_operator}, intake.unit_of_work).dispatch(command)


def announced(intake, kind):
    return [event for event in intake.unit_of_work.announced(intake.settings.topics.people_events)
            if isinstance(event, kind)]


def reasons(intake) -> list[str]:
    return [event.payload.reason for event in announced(intake, CommandRejected)]


async def test_the_operator_invites_an_administrator_who_joins_with_the_code(intake):
    assert await as_operator(intake, invite_person("administrator", "Laura Ruiz", code=CODE)) == "applied"
    [invited] = announced(intake, PersonInvited)
    assert invited.payload.role is Role.administrator and invited.payload.invited_by == "command-line"
    assert invited.payload.expires_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC), "72 hours by default"
    stored = json.dumps(intake.unit_of_work.state.collections["invitations"], default=str)
    assert CODE not in stored and code_hash(CODE) in stored, "only the code's hash is kept"

    assert await intake.dispatch(redeem_invitation(CODE, user_id=6001, language="en")) == "applied"
    [joined] = announced(intake, PersonJoined)
    assert (joined.payload.telegram_user_id, joined.payload.name, joined.payload.language) == (6001, "Laura Ruiz", "en")
    assert joined.payload.person_id == invited.payload.person_id
    [person] = intake.unit_of_work.stored(PEOPLE)
    assert (person.telegram_user_id, person.role, person.active) == (6001, Role.administrator, True)


async def test_only_coordinators_and_administrators_invite_and_only_administrators_invite_administrators(intake):
    await as_operator(intake, invite_person("coordinator", "Carlos", code=CODE))
    await intake.dispatch(redeem_invitation(CODE, user_id=7001))
    coordinator = Actor(role=ActorRole.coordinator, id="7001")
    assert await intake.dispatch(invite_person("staff", "Sofía", "sed", actor=coordinator, code=OTHER_CODE)) == \
        "applied"
    assert await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=7002)) == "applied"
    staff_member = Actor(role=ActorRole.coordinator, id="7002")  # claims more than the directory says
    assert await intake.dispatch(invite_person("staff", "X", "sed", actor=staff_member, code="Z" * 12)) == "rejected"
    assert await intake.dispatch(invite_person("administrator", "Y", actor=coordinator, code="Y" * 12)) == "rejected"
    stranger = Actor(role=ActorRole.administrator, id="9999")
    assert await intake.dispatch(invite_person("coordinator", "Z", actor=stranger, code="X" * 12)) == "rejected"
    forged_operator = invite_person("administrator", "W", code="W" * 12)  # the operator's actor, written onto Kafka
    assert await intake.dispatch(forged_operator) == "rejected"
    assert reasons(intake) == ["not_allowed"] * 4
    assert len(intake.unit_of_work.stored(INVITATIONS)) == 2
    staff = next(person for person in intake.unit_of_work.stored(PEOPLE) if person.telegram_user_id == 7002)
    assert (staff.role, staff.entity_id) == (Role.staff, "sed")


async def test_a_code_works_once_and_not_after_it_expires(intake, clock):
    await as_operator(intake, invite_person("staff", "Sofía", "sed", code=CODE))
    await as_operator(intake, invite_person("staff", "Mateo", "sdm", code=OTHER_CODE))
    assert await intake.dispatch(redeem_invitation(CODE, user_id=6001)) == "applied"
    assert await intake.dispatch(redeem_invitation(CODE, user_id=6002)) == "rejected"
    assert await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=6001)) == "rejected"
    clock.advance(timedelta(hours=72))
    assert await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=6003)) == "rejected"
    assert reasons(intake) == ["used_code", "already_member", "expired_code"]
    assert [person.telegram_user_id for person in intake.unit_of_work.stored(PEOPLE)] == [6001]


async def test_five_wrong_codes_in_an_hour_lock_the_account_out_for_an_hour(intake, clock):
    await as_operator(intake, invite_person("staff", "Sofía", "sed", code=CODE))
    for wrong in ("WRQNGCQDEAAA", "WRQNGCQDEBBB", "WRQNGCQDECCC", "WRQNGCQDEDDD", "WRQNGCQDEEEE"):
        assert await intake.dispatch(redeem_invitation(wrong, user_id=6001)) == "rejected"
        clock.advance(timedelta(minutes=5))
    assert await intake.dispatch(redeem_invitation(CODE, user_id=6001)) == "rejected", "even the right code"
    assert await intake.dispatch(redeem_invitation(CODE, user_id=6002)) == "applied", "other accounts are not locked"
    assert reasons(intake) == ["wrong_code"] * 5 + ["locked_out"]

    await as_operator(intake, invite_person("staff", "Mateo", "sdm", code=OTHER_CODE))
    clock.advance(timedelta(minutes=40))  # over an hour after the first wrong code, not yet after the fifth
    assert await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=6001)) == "rejected"
    clock.advance(timedelta(minutes=21))
    assert await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=6001)) == "applied"


async def test_a_removed_person_can_do_nothing_more_and_only_their_betters_remove_them(intake):
    from puente.contracts.people import PersonRemoved, RemovePerson, RemovePersonPayload
    from tests.factories import propose_exchange, staff

    await as_operator(intake, invite_person("administrator", "Laura", code=CODE))
    await intake.dispatch(redeem_invitation(CODE, user_id=6001))
    await as_operator(intake, invite_person("coordinator", "Carlos", code=OTHER_CODE))
    await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=7001))
    await as_operator(intake, invite_person("staff", "Sofía", "sed", code="Z" * 12))
    await intake.dispatch(redeem_invitation("Z" * 12, user_id=5001))
    people = {person.telegram_user_id: person for person in intake.unit_of_work.stored(PEOPLE)}

    def removal(of: int, by: int) -> RemovePerson:
        return RemovePerson.new(payload=RemovePersonPayload(person_id=people[of].id),
                                actor=Actor(role=ActorRole.administrator, id=str(by)), city="bogota")

    assert await intake.dispatch(removal(of=6001, by=7001)) == "rejected", "a coordinator cannot remove the admin"
    assert await intake.dispatch(removal(of=7001, by=5001)) == "rejected", "staff remove nobody"
    assert await intake.dispatch(removal(of=6001, by=6001)) == "rejected", "nobody removes themselves"
    assert await intake.dispatch(removal(of=5001, by=7001)) == "applied"
    assert reasons(intake) == ["not_allowed", "not_allowed", "nothing_to_change"]
    [removed] = announced(intake, PersonRemoved)
    assert (removed.payload.telegram_user_id, removed.payload.language) == (5001, "es")
    assert not next(p for p in intake.unit_of_work.stored(PEOPLE) if p.telegram_user_id == 5001).active
    assert await intake.dispatch(propose_exchange(actor=staff("sed", user_id="5001"))) == "rejected"
    [refused] = intake.unit_of_work.announced(intake.settings.topics.item_events)
    assert refused.payload.reason == "not_a_member", "a removed person can do nothing more"
    assert await intake.dispatch(redeem_invitation("Z" * 12, user_id=5001)) == "rejected", "nor join again with it"

    # An invitation from someone since removed is void: nobody keeps a way back in.
    carlos = Actor(role=ActorRole.coordinator, id="7001")
    assert await intake.dispatch(invite_person("coordinator", "Otro", actor=carlos, code="Q" * 12)) == "applied"
    assert await intake.dispatch(removal(of=7001, by=6001)) == "applied"
    assert await intake.dispatch(redeem_invitation("Q" * 12, user_id=7001)) == "rejected"
    assert reasons(intake)[-1] == "used_code"


async def test_a_role_or_entity_changes_only_within_what_the_changer_may_invite(intake):
    from puente.contracts.people import ChangePerson, ChangePersonPayload, PersonChanged

    await as_operator(intake, invite_person("coordinator", "Carlos", code=OTHER_CODE))
    await intake.dispatch(redeem_invitation(OTHER_CODE, user_id=7001))
    await as_operator(intake, invite_person("staff", "Sofía", "sed", code=CODE))
    await intake.dispatch(redeem_invitation(CODE, user_id=5001))
    people = {person.telegram_user_id: person for person in intake.unit_of_work.stored(PEOPLE)}
    carlos = Actor(role=ActorRole.coordinator, id="7001")

    def change(role: str, entity_id: str | None, of: int = 5001, by: Actor = carlos) -> ChangePerson:
        return ChangePerson.new(payload=ChangePersonPayload(person_id=people[of].id, role=role, entity_id=entity_id),
                                actor=by, city="bogota")

    assert await intake.dispatch(change("administrator", None)) == "rejected", "coordinators make no administrators"
    assert await intake.dispatch(change("staff", "nasa")) == "rejected"
    assert await intake.dispatch(change("staff", "sed")) == "rejected", "nothing to change"
    assert await intake.dispatch(change("coordinator", None, of=7001)) == "rejected", "not one's own role"
    assert await intake.dispatch(change("evaluator", "sds")) == "applied"
    assert reasons(intake) == ["not_allowed", "unknown_entity", "nothing_to_change", "not_allowed"]
    [changed] = announced(intake, PersonChanged)
    assert (changed.payload.role, changed.payload.entity_id, changed.payload.telegram_user_id) == (
        Role.evaluator, "sds", 5001)
    sofia = next(person for person in intake.unit_of_work.stored(PEOPLE) if person.telegram_user_id == 5001)
    assert (sofia.role, sofia.entity_id) == (Role.evaluator, "sds")


async def test_an_evaluator_is_invited_with_known_sectors_and_topics_that_reach_the_joined_event(intake):
    evaluator = invite_person("evaluator", "Marta León", "sds", code=CODE,
                              sectors=("mobility", "education", "mobility"),
                              topics=("school meals", "school meals", "vaccines"))
    assert await as_operator(intake, evaluator) == "applied"
    assert await intake.dispatch(redeem_invitation(CODE, user_id=6101)) == "applied"
    joined = intake.unit_of_work.announced(intake.settings.topics.people_events)[-1]
    assert isinstance(joined, PersonJoined) and joined.version == 2
    assert (joined.payload.sectors, joined.payload.topics) == (["education", "mobility"], ["school meals", "vaccines"])
    [person] = intake.unit_of_work.stored(PEOPLE)
    assert (person.sectors, person.topics) == (["education", "mobility"], ["school meals", "vaccines"])

    unknown = invite_person("evaluator", "Otra", "sds", code=OTHER_CODE, sectors=("space",))
    assert await as_operator(intake, unknown) == "rejected"
    rejection = intake.unit_of_work.announced(intake.settings.topics.people_events)[-1]
    assert rejection.payload.reason == "unknown_sector"


def test_only_evaluators_have_sectors_and_topics_and_version_1_reads_as_none():
    staff_with_topics = json.loads(invite_person("staff", "Ana", "sed").to_bytes())
    staff_with_topics["payload"]["topics"] = ["algo"]
    with pytest.raises(ValueError, match="only evaluators"):
        InvitePerson.model_validate(staff_with_topics)
    too_many = json.loads(invite_person("evaluator", "Ana", "sed").to_bytes())
    too_many["payload"]["topics"] = [f"tema {number}" for number in range(11)]
    with pytest.raises(ValueError):
        InvitePerson.model_validate(too_many)
    version_1 = json.loads(invite_person("evaluator", "Ana", "sed").to_bytes())
    del version_1["payload"]["sectors"], version_1["payload"]["topics"]
    version_1["version"] = 1
    read = InvitePerson.model_validate(version_1)
    assert (read.version, read.payload.sectors, read.payload.topics) == (2, [], [])
