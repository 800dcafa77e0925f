"""Every handler, today's and tomorrow's, sees the same message delivered twice and has one effect.

Kafka delivers at least once; the inbox turns a redelivery into a no-op. Each case below is one line: the
service, what it has seen before, the message delivered twice, and the first delivery's outcome. A last test
checks that every message type a service routes has a case here, so a new handler cannot go without one.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.people import PersonRemoved, PersonRemovedPayload, RemovePerson, RemovePersonPayload
from services.intake.directory import forgotten
from services.intake.domain import proposal_from
from services.phases.domain import overdue, start_process
from tests import ensena_story as story
from tests.factories import propose_exchange, staff
from tests.handler_cases import (
    APRENDE,
    CASES,
    EXCHANGE_PROPOSED,
    FORGET_SOFIA,
    JOINED,
    JOINED_PERSON,
    NOW,
    PHASE_STARTED,
    TODAY,
    Case,
)
from tests.helpers import (
    assert_handled_once,
    city_config_with_coordinators,
    mentions,
    seat,
    service_runtime,
    stored_documents,
)

pytestmark = pytest.mark.integration


async def test_a_phase_event_that_overtakes_its_item_alerts_the_coordinators_when_the_item_arrives(settings, tmp_path):
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    async with service_runtime("notifier", with_coordinators) as runtime:
        assert await runtime.dispatch(PHASE_STARTED) == "waiting"
        assert await runtime.database.notifications.count_documents({"kind": "coordinator-new-proposal"}) == 0
        assert await runtime.dispatch(EXCHANGE_PROPOSED) == "applied"
        alerts = await runtime.database.notifications.find({"kind": "coordinator-new-proposal"}).to_list()
        waiting = await runtime.database.phase_events_waiting_for_item.count_documents({})
    assert [alert["chat_id"] for alert in alerts] == [9001]
    assert "vence el 2026-12-28" in alerts[0]["text"]
    assert alerts[0]["caused_by"] == str(PHASE_STARTED.event_id)
    assert waiting == 0


async def test_a_phase_event_handled_while_its_item_arrives_is_not_lost(settings, tmp_path):
    """The item's event and its phase event come on two topics, handled at the same moment by two consumers. Each
    transaction alone finds nothing of the other (no item yet; no phase event waiting yet); unless they are ordered,
    both commit and the phase event waits for an item that has already come."""
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    pairs = []
    for number in range(12):
        _, proposed = proposal_from(propose_exchange(title=f"Intercambio {number}"))
        _, started = start_process(str(proposed.payload.item_id), Line.aprende, proposed, APRENDE, NOW, TODAY)
        pairs.append((proposed, started))
    async with service_runtime("notifier", with_coordinators) as runtime:
        await asyncio.gather(*(runtime.dispatch(message) for pair in pairs for message in reversed(pair)))
        alerts = await runtime.database.notifications.count_documents({"kind": "coordinator-new-proposal"})
        waiting = await runtime.database.phase_events_waiting_for_item.count_documents({})
    assert (alerts, waiting) == (len(pairs), 0)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_message_delivered_twice_has_one_effect(settings, tmp_path, case: Case):
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    async with service_runtime(case.service, with_coordinators) as runtime:
        for user_id, role, entity_id in case.directory:
            await seat(runtime, user_id, role, entity_id)
        for earlier in case.seen_before:
            await runtime.dispatch(earlier)
        await assert_handled_once(runtime, case.message, case.outcome)


async def test_every_routed_message_type_has_a_case(settings):
    for service in ("intake", "phases", "reporting", "notifier"):
        covered = {type(case.message) for case in CASES.values() if case.service == service}
        async with service_runtime(service, settings) as runtime:
            missing = sorted(message_type.__name__ for message_type in runtime.routes if message_type not in covered)
        assert not missing, f"{service} routes {missing} but no case above delivers them twice"


async def test_a_person_forgotten_while_a_message_for_them_is_stored_keeps_nothing(settings, tmp_path):
    """A person's forgetting (people's topic) and a late phase of their item (phases' topic), handled at the same
    moment: the message and reminder for them are either never made or deleted; nothing keeps their chat."""
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    people = []
    for number in range(10):
        chat = 8100 + number
        person_id = derived_id("forgotten", str(number))
        joined = JOINED.model_copy(update={"event_id": derived_id(person_id, "joined"), "payload": JOINED.payload.
                                           model_copy(update={"person_id": person_id, "telegram_user_id": chat})})
        _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(chat)), title=f"Intercambio {number}"))
        process, _ = start_process(str(proposed.payload.item_id), Line.aprende, proposed, APRENDE, NOW, TODAY)
        _, late = overdue(process, date(2027, 1, 2), NOW)
        forget = forgotten(FORGET_SOFIA.model_copy(update={"event_id": derived_id(person_id, "forget")}),
                           JOINED_PERSON.model_copy(update={"id": str(person_id)}), NOW)
        people.append((chat, joined, proposed, late, forget))
    async with service_runtime("notifier", with_coordinators) as runtime:
        for _, joined, proposed, _, _ in people:
            await runtime.dispatch(joined)
            await runtime.dispatch(proposed)
        await asyncio.gather(*(runtime.dispatch(message) for _, _, _, late, forget in people
                               for message in (late, forget)))
        documents = await stored_documents(runtime)
        alerts = await runtime.database.notifications.count_documents({"chat_id": 9001, "kind": "phase-overdue"})
    kept = {chat: mentions(documents, "Sofía Díaz", chat) for chat, *_ in people}
    assert kept == {chat: [] for chat, *_ in people}
    assert alerts == len(people), "the coordinators still hear of every late phase"


async def test_two_coordinators_removing_each_other_at_once_remove_one(settings):
    """Each removal reads its remover as still active; handled side by side (two partitions, or two replicas of
    intake), both would commit and leave neither. One after the other, the second remover is already gone."""
    async with service_runtime("intake", settings) as runtime:
        for user_id in (7101, 7102):
            await seat(runtime, user_id, "coordinator", None)
        first, second = [await runtime.database.people.find_one({"telegram_user_id": user_id})
                         for user_id in (7101, 7102)]

        def removal(remover: int, removed: dict) -> RemovePerson:
            return RemovePerson.new(payload=RemovePersonPayload(person_id=removed["_id"]),
                                    actor=Actor(role=ActorRole.coordinator, id=str(remover)), city="bogota")

        outcomes = await asyncio.gather(runtime.dispatch(removal(7101, second)), runtime.dispatch(removal(7102, first)))
        active = await runtime.database.people.count_documents({"telegram_user_id": {"$in": [7101, 7102]},
                                                                "active": True})
        rejected = await runtime.database.outbox.count_documents({"type": "command.rejected"})
    assert sorted(outcomes) == ["applied", "rejected"]
    assert (active, rejected) == (1, 1)


async def test_a_request_registered_while_its_only_companion_leaves_waits_for_another(settings):
    """A companion's removal (people's topic) and a collaboration request for their practice (phases' commands),
    handled at the same moment: the request never goes to the person who has left (no later event would hand it
    back); it waits in the queue instead."""
    left = set()
    async with service_runtime("phases", settings) as runtime:
        for message in story.SYSTEMATIZING:
            await runtime.dispatch(message)
        for number in range(1, 13):
            companion = 5100 + number
            await runtime.dispatch(story.joined(companion, "staff", "sed", f"Compañera {number}"))
            assert await runtime.dispatch(story.name_companions(companion)) == "applied"
            removal = PersonRemoved.new(payload=PersonRemovedPayload(
                person_id=story.person_id(companion), telegram_user_id=companion, language="es"),
                actor=story.COORDINATING, city="bogota")
            await asyncio.gather(runtime.dispatch(removal), runtime.dispatch(story.request_collaboration(number)))
            left.add(str(story.person_id(companion)))
        requests = await runtime.database.collaboration_requests.find().to_list()
    assert len(requests) == 12
    assert [request["_id"] for request in requests if request.get("companion_id") in left] == []
