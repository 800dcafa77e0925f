"""The notifier's handlers in memory: a late phase reaches each coordinator once in the city's language (and goes on
its proposer's daily list), and waits for its item when it overtakes it."""

from __future__ import annotations

import uuid

from puente.contracts.envelope import SYSTEM_ACTOR
from services.notifier.delivery import NOTIFICATIONS
from services.notifier.handlers import WAITING_FOR_ITEM
from services.notifier.reminders import REMINDERS
from tests.handler_cases import EXCHANGE_PROPOSED, PHASE_OVERDUE
from tests.helpers import city_config_with_coordinators, in_memory_service


async def test_a_late_phase_alerts_the_coordinators_at_once_and_lists_it_for_the_proposer(settings, tmp_path):
    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001, 9002)})
    notifier = in_memory_service("notifier", with_city)
    assert await notifier.dispatch(PHASE_OVERDUE) == "waiting", "the item's own event has not arrived yet"
    assert notifier.unit_of_work.stored(NOTIFICATIONS) == []
    assert await notifier.dispatch(EXCHANGE_PROPOSED) == "applied"
    late = {n.chat_id: n.text for n in notifier.unit_of_work.stored(NOTIFICATIONS) if n.kind == "phase-overdue"}
    assert set(late) == {9001, 9002}, "the proposer hears of it in their daily list (tests/unit/test_reminders.py)"
    assert [reminder.chat_id for reminder in notifier.unit_of_work.stored(REMINDERS)] == [5001]
    assert late[9002] == late[9001] == (
        "⏰ «Aulas abiertas» (Secretaría Distrital de Educación) va atrasado: la fase Demanda y anclaje "
        "vencía el 2026-12-28 (5 días de retraso).")
    assert notifier.unit_of_work.stored(WAITING_FOR_ITEM) == []


async def test_alerts_go_to_the_directorys_coordinators_and_the_city_files_ids_only_bootstrap(settings, tmp_path):
    from puente.contracts.people import PersonJoined, PersonJoinedPayload, Role
    from tests.handler_cases import PHASE_STARTED

    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    notifier = in_memory_service("notifier", with_city)
    await notifier.dispatch(EXCHANGE_PROPOSED)
    await notifier.dispatch(PHASE_OVERDUE)
    joined = PersonJoined.new(
        payload=PersonJoinedPayload(person_id=uuid.uuid4(), telegram_user_id=7001, role=Role.coordinator,
                                    entity_id=None, name="Carlos Pérez", language="es"),
        actor=SYSTEM_ACTOR, city="bogota")
    assert await notifier.dispatch(joined) == "applied"
    await notifier.dispatch(PHASE_STARTED)
    told = [(n.kind, n.chat_id) for n in notifier.unit_of_work.stored(NOTIFICATIONS) if n.chat_id != 5001]
    assert sorted(told) == [("coordinator-new-proposal", 7001), ("person-joined", 7001), ("phase-overdue", 9001)]
