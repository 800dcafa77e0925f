"""Every handler, today's and tomorrow's, sees the same message delivered twice and has one effect.

Kafka delivers at least once; the inbox turns a redelivery into a no-op. Each case below is one line: the
service, what it has seen before, the message delivered twice, and the first delivery's outcome. A last test
checks that every message type a service routes has a case here, so a new handler cannot go without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from puente.contracts.envelope import Message, derived_id
from puente.contracts.events import ItemUpdated, ItemUpdatedPayload, Line, RejectionReason
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import apply_update, proposal_from, rejection
from services.phases.domain import start_process
from tests.factories import propose_exchange, propose_practice, staff, update_item
from tests.helpers import assert_handled_once, city_config_with_coordinators, service_runtime

pytestmark = pytest.mark.integration

CITY = load_city_config(Settings())
EXCHANGE_COMMAND = propose_exchange()
PRACTICE_COMMAND = propose_practice()
_, EXCHANGE_PROPOSED = proposal_from(EXCHANGE_COMMAND)
_, PRACTICE_PROPOSED = proposal_from(PRACTICE_COMMAND)
EXCHANGE_ID = EXCHANGE_PROPOSED.payload.item_id
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
_, PHASE_STARTED = start_process(str(EXCHANGE_ID), Line.aprende, EXCHANGE_PROPOSED, CITY.phases_of(Line.aprende),
                                 NOW, date(2026, 11, 28))
TITLE_CHANGE = update_item(EXCHANGE_ID, title="Aulas abiertas al campo")
_, ITEM_UPDATED = apply_update(
    {"_id": str(EXCHANGE_ID), "entity_id": "sed", "line": "aprende", "revision": 1, "title": "Aulas abiertas"},
    TITLE_CHANGE, NOW,
)
NOT_YOUR_ENTITY = propose_exchange(entity_id="sed", actor=staff("idu"))
IGNORED_UPDATE = ItemUpdated.new(
    payload=ItemUpdatedPayload(item_id=EXCHANGE_ID, line=Line.aprende, revision=2, changes={"need": "Otra necesidad."}),
    actor=staff(), city="bogota", event_id=derived_id(EXCHANGE_ID, "need-change"),
)


@dataclass(frozen=True)
class Case:
    service: str
    message: Message
    outcome: str = "applied"
    seen_before: tuple[Message, ...] = field(default=())


CASES = {
    "intake proposes an exchange": Case("intake", EXCHANGE_COMMAND),
    "intake proposes a practice": Case("intake", PRACTICE_COMMAND),
    "intake updates an item": Case("intake", TITLE_CHANGE, seen_before=(EXCHANGE_COMMAND,)),
    "intake rejects a proposal once": Case("intake", NOT_YOUR_ENTITY, "rejected"),
    "phases starts an exchange": Case("phases", EXCHANGE_PROPOSED),
    "phases starts a practice": Case("phases", PRACTICE_PROPOSED),
    "phases ignores an update": Case("phases", ITEM_UPDATED, "ignored"),
    "reporting counts an exchange": Case("reporting", EXCHANGE_PROPOSED),
    "reporting counts a practice": Case("reporting", PRACTICE_PROPOSED),
    "notifier confirms an exchange": Case("notifier", EXCHANGE_PROPOSED),
    "notifier confirms a practice": Case("notifier", PRACTICE_PROPOSED),
    "notifier renames an item": Case("notifier", ITEM_UPDATED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier ignores a need change": Case("notifier", IGNORED_UPDATE, "ignored", seen_before=(EXCHANGE_PROPOSED,)),
    "notifier explains a rejection": Case("notifier", rejection(NOT_YOUR_ENTITY, RejectionReason.not_your_entity)),
    "notifier alerts coordinators": Case("notifier", PHASE_STARTED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier keeps a phase event until its item": Case("notifier", PHASE_STARTED, "waiting"),
    "notifier releases a kept phase event": Case("notifier", EXCHANGE_PROPOSED, seen_before=(PHASE_STARTED,)),
}


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


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_message_delivered_twice_has_one_effect(settings, tmp_path, case: Case):
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    async with service_runtime(case.service, with_coordinators) as runtime:
        for earlier in case.seen_before:
            await runtime.dispatch(earlier)
        await assert_handled_once(runtime, case.message, case.outcome)


async def test_every_routed_message_type_has_a_case(settings):
    for service in ("intake", "phases", "reporting", "notifier"):
        covered = {type(case.message) for case in CASES.values() if case.service == service}
        async with service_runtime(service, settings) as runtime:
            missing = sorted(message_type.__name__ for message_type in runtime.routes if message_type not in covered)
        assert not missing, f"{service} routes {missing} but no case above delivers them twice"
