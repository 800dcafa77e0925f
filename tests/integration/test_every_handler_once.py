"""Every handler, today's and tomorrow's, sees the same message delivered twice and has one effect.

Kafka delivers at least once; the inbox turns a redelivery into a no-op. Each case below is one line: the
service, what it has seen before, the message delivered twice, and the first delivery's outcome. A last test
checks that every message type a service routes has a case here, so a new handler cannot go without one.
"""

from __future__ import annotations

import asyncio

import pytest

from puente.contracts.common import Line
from services.intake.domain import proposal_from
from services.phases.domain import start_process
from tests.factories import propose_exchange
from tests.handler_cases import APRENDE, CASES, EXCHANGE_PROPOSED, NOW, PHASE_STARTED, TODAY, Case
from tests.helpers import assert_handled_once, city_config_with_coordinators, seat, service_runtime

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
