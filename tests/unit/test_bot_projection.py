"""The bot's own view of the events, in memory: built in either order, each event once, late phases marked, and a
person's items listed newest first."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bot.projection import ITEM_VIEWS, BotProjection, items_proposed_by
from puente.wiring.dispatch import Dispatcher
from puente.wiring.in_memory import InMemoryUnitOfWork
from services.intake.domain import proposal_from
from tests.factories import propose_exchange, staff
from tests.handler_cases import EXCHANGE_PROPOSED, ITEM_UPDATED, PHASE_OVERDUE, PHASE_STARTED


def projection() -> tuple[Dispatcher, InMemoryUnitOfWork]:
    unit_of_work = InMemoryUnitOfWork()
    routes = {**BotProjection().item_routes(), **BotProjection().phase_routes()}
    return Dispatcher(routes, unit_of_work), unit_of_work


async def test_a_view_is_the_same_whichever_topic_arrives_first_and_each_event_counts_once():
    views = []
    for order in ([EXCHANGE_PROPOSED, PHASE_STARTED], [PHASE_STARTED, EXCHANGE_PROPOSED]):
        dispatcher, unit_of_work = projection()
        for event in order:
            assert await dispatcher.dispatch(event) == "applied"
            assert await dispatcher.dispatch(event) == "duplicate"
        views.append(unit_of_work.stored(ITEM_VIEWS))
    assert views[0] == views[1]
    [view] = views[0]
    assert (view.title, view.proposer_id, view.phase_key, view.overdue) == ("Aulas abiertas", "5001", "demand", False)


async def test_a_late_phase_and_a_new_title_show_and_an_older_phase_event_does_not_undo_them():
    dispatcher, unit_of_work = projection()
    for event in (EXCHANGE_PROPOSED, PHASE_OVERDUE, ITEM_UPDATED):
        assert await dispatcher.dispatch(event) == "applied"
    later_phase = PHASE_STARTED.model_copy(update={
        "event_id": uuid.uuid4(),
        "payload": PHASE_STARTED.payload.model_copy(update={"phase_number": 2, "phase_key": "matching"})})
    assert await dispatcher.dispatch(later_phase) == "applied"
    overdue_read_late = PHASE_OVERDUE.model_copy(update={"event_id": uuid.uuid4()})
    assert await dispatcher.dispatch(overdue_read_late) == "ignored", "phase 1 is over"
    [view] = unit_of_work.stored(ITEM_VIEWS)
    assert (view.title, view.phase_number, view.overdue) == ("Aulas abiertas al campo", 2, False)


async def test_a_persons_items_are_listed_newest_first_without_anyone_elses():
    dispatcher, unit_of_work = projection()
    first = proposal_from(propose_exchange(title="Primero"))[1]
    second = proposal_from(propose_exchange(title="Segundo"))[1]
    second = second.model_copy(update={"occurred_at": first.occurred_at + timedelta(minutes=1)})
    other = proposal_from(propose_exchange(title="De otra persona", actor=staff(user_id="6000")))[1]
    for event in (second, other, first):
        await dispatcher.dispatch(event)
    assert [view.title for view in await items_proposed_by(unit_of_work, "5001")] == ["Segundo", "Primero"]
