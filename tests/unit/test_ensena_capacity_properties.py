"""Collaboration requests under any sequence of steps (hypothesis): requests registered, closed, reassigned and
companions leaving, in any order, on two practices of one entity that share a companion. After every step no
companion holds more than the city's capacity, each companion's load is exactly the requests assigned to them, and
no request waits while an active companion of its practice has room."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from puente.contracts.envelope import derived_id
from puente.contracts.evaluation import Decision
from puente.contracts.people import PersonRemoved, PersonRemovedPayload
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.phases.ensena_handlers import LOADS, REQUESTS
from services.phases.handlers import PEOPLE, PROCESSES
from tests import ensena_story as story
from tests.factories import propose_practice
from tests.helpers import in_memory_service

_, SECOND_PRACTICE = proposal_from(propose_practice(title="Huertas escolares"))
SECOND_ID = SECOND_PRACTICE.payload.item_id
COMPANIONS = (5011, 5012)

steps = st.lists(st.one_of(
    st.tuples(st.just("request"), st.integers(0, 1)),  # on the first or the second practice
    st.tuples(st.just("close"), st.integers(0, 30)),  # the n-th open request
    st.tuples(st.just("reassign"), st.integers(0, 30), st.sampled_from(COMPANIONS)),
    st.tuples(st.just("leave"), st.sampled_from(COMPANIONS)),
), min_size=1, max_size=25)


def on_second(command):
    """The same command about the second practice (the story's builders name the first)."""
    payload = command.payload.model_copy(update={"item_id": SECOND_ID})
    return command.model_copy(update={"payload": payload, "event_id": derived_id(command.event_id, "second")})


async def run(plan: list[tuple]) -> None:
    phases = in_memory_service("phases", Settings())
    capacity = load_city_config(Settings()).ensena.companion_capacity
    for message in (*story.SYSTEMATIZING, SECOND_PRACTICE):
        await phases.dispatch(message)
    await phases.dispatch(story.name_companions(*COMPANIONS))
    # The second practice is selected and accompanied too: the shared companion's capacity spans both.
    for message in (*story.SCORED[len(story.PROPOSED):], story.decide(Decision.selected),
                    story.name_companions(5012)):
        await phases.dispatch(on_second(message))
    created: list[str] = []  # request ids, oldest first
    for number, step in enumerate(plan):
        by_id = {request.id: request for request in phases.unit_of_work.stored(REQUESTS)}
        open_requests = [by_id[request_id] for request_id in created if by_id[request_id].status != "closed"]
        if step[0] == "request":
            command = story.request_collaboration(len(created) + 1)
            await phases.dispatch(command if step[1] == 0 else on_second(command))
            created.append(str(command.payload.request_id))
        elif step[0] == "close" and open_requests:
            request = open_requests[step[1] % len(open_requests)]
            close = story.close_collaboration(0).model_copy(update={"payload": story.close_collaboration(0).payload
                                                                    .model_copy(update={"item_id": request.item_id,
                                                                                        "request_id": request.id})})
            await phases.dispatch(close.model_copy(update={"event_id": derived_id("close", number)}))
        elif step[0] == "reassign" and open_requests:
            request = open_requests[step[1] % len(open_requests)]
            assign = story.assign_collaboration(0, step[2])
            assign = assign.model_copy(update={"event_id": derived_id("assign", number), "payload": assign.payload
                                               .model_copy(update={"item_id": request.item_id,
                                                                   "request_id": request.id})})
            await phases.dispatch(assign)
        elif step[0] == "leave":
            await phases.dispatch(PersonRemoved.new(
                payload=PersonRemovedPayload(person_id=story.person_id(step[1]), telegram_user_id=step[1],
                                             language="es"),
                actor=story.COORDINATING, city="bogota", event_id=derived_id("leave", number)))
        check(phases, capacity)


def check(phases, capacity: int) -> None:
    stored = phases.unit_of_work.stored
    requests = stored(REQUESTS)
    loads = {load.id: set(load.open_requests) for load in stored(LOADS)}
    active = {person.id for person in stored(PEOPLE) if person.active}
    practices = {process.id: process.practice.companions for process in stored(PROCESSES) if process.practice}
    holders = set(loads) | {request.companion_id for request in requests if request.status == "assigned"}
    for companion in holders:
        held = loads.get(companion, set())
        assert len(held) <= capacity, f"{companion} holds {len(held)}"
        assert held == {request.id for request in requests
                        if request.status == "assigned" and request.companion_id == companion}
    holding = {companion: len(loads.get(companion, ())) for companion in active}
    for request in requests:
        if request.status == "assigned":
            assert request.companion_id in active, "a request stays with someone who left"
        if request.status == "waiting":
            room = [companion for companion in practices[request.item_id]
                    if companion in active and holding[companion] < capacity]
            assert not room, f"request {request.id} waits while {room} have room"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
# The shared companion frees a place by a reassignment while the second practice's request waits for them.
@example([("request", 0), ("request", 0), ("request", 1), ("request", 1), ("reassign", 1, 5011)])
def test_capacity_is_never_exceeded_and_no_request_waits_while_a_companion_has_room(plan):
    asyncio.run(run(plan))
