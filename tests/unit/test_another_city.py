"""Another city runs the same code with only its own file (config/cities/riverton.toml): English only, four phases
per line with its own deliverables and durations, some counted in England's working days. Intake, phases and the
notifier run in memory and pass each other's events, as Kafka would."""

from __future__ import annotations

from datetime import UTC, date, datetime

from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.exchanges import (
    Instrument,
    PlanExchange,
    PlanExchangePayload,
    RecordExchangeParticipants,
    RecordExchangeParticipantsPayload,
)
from puente.contracts.items import ProposeExchange, ProposeExchangePayload
from puente.contracts.phases import AdvancePhase, PhaseStep, SubmitDeliverable, SubmitDeliverablePayload
from puente.wiring.clock import SettableClock
from services.notifier.delivery import NOTIFICATIONS
from tests.handler_cases import NEED_SHEET
from tests.helpers import in_memory_service, seat

STAFF, COORDINATOR = 8101, 8102
ANSWERS = {"problem-statement": "Buses are late on the ring road", "partner-city": "Utrecht", "budget-gbp": "12000",
           "decision": "adapt"}

EXCHANGE_RECORD = {
    2: [lambda item_id, staff: PlanExchange.new(payload=PlanExchangePayload(
        item_id=item_id, instrument=Instrument.study_visit, starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7),
        city="Utrecht", country="NL"), actor=staff, city="riverton")],
    3: [lambda item_id, staff: RecordExchangeParticipants.new(payload=RecordExchangeParticipantsPayload(
        item_id=item_id, counts={"public_local": 12}), actor=staff, city="riverton")],
}


async def test_riverton_walks_its_four_phases_in_english_on_its_own_calendar(settings):
    riverton = settings.model_copy(update={"city": "riverton"})
    clock = SettableClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC))  # a Friday in London
    intake, phases, notifier = (in_memory_service(name, riverton, clock) for name in ("intake", "phases", "notifier"))
    await seat(intake, STAFF, "staff", "rt-transit", language="en")
    await seat(intake, COORDINATOR, "coordinator", None, language="en")
    delivered: set = set()

    async def flow() -> None:
        """Pass every event announced so far to the services that read its topic, once each."""
        for topic in (riverton.topics.people_events, riverton.topics.item_events, riverton.topics.phase_events):
            for source in (intake, phases):
                for event in source.unit_of_work.announced(topic):
                    if event.event_id in delivered:
                        continue
                    delivered.add(event.event_id)
                    for reader in (phases, notifier):
                        if type(event) in reader.routes:
                            await reader.dispatch(event)

    def phase_events(kind: str) -> list:
        return [event for event in phases.unit_of_work.announced(riverton.topics.phase_events) if event.type == kind]

    staff = Actor(role=ActorRole.staff, id=str(STAFF), entity_id="rt-transit", language="en")
    coordinator = Actor(role=ActorRole.coordinator, id=str(COORDINATOR), language="en")
    assert await intake.dispatch(ProposeExchange.new(payload=ProposeExchangePayload(
        entity_id="rt-transit", sector="transport", title="Bus priority lanes", need="Buses are late."),
        actor=staff, city="riverton")) == "applied"
    await flow()
    [proposed] = intake.unit_of_work.announced(riverton.topics.item_events)
    assert proposed.payload.reference == "RL-2026-0001"
    [first] = phase_events("phase.started")
    # Ten working days from Friday 18 December: Christmas, Boxing Day (observed Monday 28) and New Year's Day
    # are England's holidays.
    assert (first.payload.phase_key, first.payload.due_on) == ("scoping", date(2027, 1, 6))

    item_id = proposed.payload.item_id
    for number, keys in enumerate([["problem-statement"], ["partner-city", "budget-gbp"], ["visit-report"],
                                   ["decision"]], start=1):
        for key in keys:
            value, document = (None, NEED_SHEET) if key == "visit-report" else (ANSWERS[key], None)
            assert await phases.dispatch(SubmitDeliverable.new(payload=SubmitDeliverablePayload(
                item_id=item_id, phase_number=number, key=key, value=value, document=document),
                actor=staff, city="riverton")) == "applied"
        for recorded in EXCHANGE_RECORD.get(number, ()):  # Riverton's partnering needs the plan, its visit the
            assert await phases.dispatch(recorded(item_id, staff)) == "applied"  # participants
        assert await phases.dispatch(AdvancePhase.new(payload=PhaseStep(item_id=item_id, phase_number=number),
                                                      actor=coordinator, city="riverton")) == "applied"
        await flow()
    assert [event.payload.phase_key for event in phase_events("phase.started")] == [
        "scoping", "partnering", "visit", "adoption"]
    assert len(phase_events("item.closed")) == 1
    assert [event.payload.phase_key for event in phase_events("survey.requested")] == ["visit"]

    texts = [notification.text for notification in notifier.unit_of_work.stored(NOTIFICATIONS)]
    assert ('✅ Your proposal RL-2026-0001 "Bus priority lanes" is registered. It is in phase 1: Scoping.'
            in texts)
    assert any(text.startswith("🆕 New proposal from Riverton Transit in Riverton Learns: RL-2026-0001")
               for text in texts), "coordinators hear it in the city's language"
    assert "🏁 RL-2026-0001 “Bus priority lanes” completed its 4 phases and is closed." in texts
