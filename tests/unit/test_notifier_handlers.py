"""The notifier's handlers in memory: a late phase reaches the proposer in their language and each coordinator
once in the city's, and waits for its item when it overtakes it."""

from __future__ import annotations

from services.notifier.delivery import NOTIFICATIONS
from services.notifier.handlers import WAITING_FOR_ITEM
from tests.handler_cases import EXCHANGE_PROPOSED, PHASE_OVERDUE
from tests.helpers import city_config_with_coordinators, in_memory_service


async def test_a_late_phase_is_told_to_the_proposer_and_the_coordinators(settings, tmp_path):
    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001, 9002)})
    notifier = in_memory_service("notifier", with_city)
    assert await notifier.dispatch(PHASE_OVERDUE) == "waiting", "the item's own event has not arrived yet"
    assert notifier.unit_of_work.stored(NOTIFICATIONS) == []
    assert await notifier.dispatch(EXCHANGE_PROPOSED) == "applied"
    late = {n.chat_id: n.text for n in notifier.unit_of_work.stored(NOTIFICATIONS) if n.kind == "phase-overdue"}
    assert set(late) == {5001, 9001, 9002}
    assert late[5001] == late[9001] == (
        "⏰ «Aulas abiertas» (Secretaría Distrital de Educación) va atrasado: la fase Demanda y anclaje "
        "vencía el 2026-12-28 (5 días de retraso).")
    assert notifier.unit_of_work.stored(WAITING_FOR_ITEM) == []
