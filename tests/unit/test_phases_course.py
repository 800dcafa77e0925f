"""An item's course in memory: a coordinator completes phases one by one to the end (the item closes), sends an item
back, holds, resumes and withdraws it; skipping, repeating and steering an ended or held item are refused, and only
coordinators and administrators steer. Each item keeps the durations it started with."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.phases import (
    AdvancePhase,
    HoldItem,
    ItemPayload,
    ItemReasonPayload,
    PhaseStep,
    ResumeItem,
    ReturnPhase,
    ReturnPhasePayload,
    SubmitDeliverable,
    SubmitDeliverablePayload,
    WithdrawItem,
)
from services.intake.domain import proposal_from
from services.phases import domain
from services.phases.handlers import PROCESSES
from tests.factories import propose_exchange, propose_practice, staff
from tests.handler_cases import APRENDE, COORDINATOR, COORDINATOR_JOINED, JOINED, NEED_SHEET, REMOVED
from tests.helpers import in_memory_service

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)


def started() -> domain.Process:
    _, event = proposal_from(propose_exchange())
    process, _ = domain.start_process(str(event.payload.item_id), Line.aprende, event, APRENDE, NOW, TODAY)
    return process


def advance(process: domain.Process, phase: int) -> AdvancePhase:
    return AdvancePhase.new(payload=PhaseStep(item_id=process.id, phase_number=phase), actor=COORDINATOR,
                            city="bogota")


def refused_for(reason: str):
    return pytest.raises(domain.Refused, match=f"^{reason}$")


def test_an_exchange_walks_its_six_phases_and_closes_after_the_last():
    process = started()
    seen = []
    for number in range(1, 7):
        process, events = domain.advance(process, advance(process, number), APRENDE, TODAY, NOW)
        seen.append([(event.type, event.payload.phase_number) for event in events])
    assert seen[0] == [("phase.completed", 1), ("phase.started", 2)]
    assert seen[4] == [("phase.completed", 5), ("phase.started", 6)]
    assert seen[5] == [("phase.completed", 6), ("item.closed", 6)]
    assert (process.status, process.open) == ("closed", False)
    assert [phase.status for phase in process.phases] == ["completed"] * 6
    with refused_for("item_ended"):
        domain.advance(process, advance(process, 6), APRENDE, TODAY, NOW)


def test_the_next_phase_is_due_after_its_own_duration_as_the_item_started_with_it():
    process = started()
    shorter_file = [domain.PhasePlan(plan.key, 1) for plan in APRENDE]  # the city file changed afterwards
    process, events = domain.advance(process, advance(process, 1), shorter_file, TODAY + timedelta(days=10), NOW)
    assert events[1].payload.due_on == TODAY + timedelta(days=10 + APRENDE[1].duration_days)


def test_skipping_a_phase_or_completing_one_twice_is_refused():
    process = started()
    with refused_for("not_current_phase"):
        domain.advance(process, advance(process, 2), APRENDE, TODAY, NOW)
    process, _ = domain.advance(process, advance(process, 1), APRENDE, TODAY, NOW)
    with refused_for("not_current_phase"):
        domain.advance(process, advance(process, 1), APRENDE, TODAY, NOW)


def test_an_item_goes_back_a_phase_with_a_note_but_not_before_the_first():
    process = started()
    back = ReturnPhase.new(payload=ReturnPhasePayload(item_id=process.id, phase_number=1, note="Sin ficha."),
                           actor=COORDINATOR, city="bogota")
    with refused_for("first_phase"):
        domain.return_to_previous(process, back, APRENDE, TODAY, NOW)
    process, _ = domain.advance(process, advance(process, 1), APRENDE, TODAY, NOW)
    back = ReturnPhase.new(payload=ReturnPhasePayload(item_id=process.id, phase_number=2, note="Sin ficha."),
                           actor=COORDINATOR, city="bogota")
    later = TODAY + timedelta(days=3)
    process, [returned] = domain.return_to_previous(process, back, APRENDE, later, NOW)
    payload = returned.payload
    assert (returned.type, payload.phase_number, payload.from_phase_number) == ("phase.returned", 1, 2)
    assert returned.payload.note == "Sin ficha." and returned.payload.due_on == later + timedelta(days=30)
    assert process.current_phase == 1 and [phase.status for phase in process.phases[:2]] == ["started", "pending"]


def test_a_held_item_cannot_advance_and_resumes_with_the_days_it_had_left():
    process = started()  # due 30 days from TODAY
    held = HoldItem.new(payload=ItemReasonPayload(item_id=process.id, reason="Cambio de equipo."),
                        actor=COORDINATOR, city="bogota")
    process, [on_hold] = domain.hold(process, held, TODAY + timedelta(days=10), NOW)
    assert on_hold.type == "item.on_hold" and on_hold.payload.reason == "Cambio de equipo."
    with refused_for("on_hold"):
        domain.advance(process, advance(process, 1), APRENDE, TODAY, NOW)
    with refused_for("on_hold"):
        domain.hold(process, held, TODAY, NOW)
    assert domain.overdue(process, TODAY + timedelta(days=90), NOW) is None, "a held item is never late"
    resume = ResumeItem.new(payload=ItemPayload(item_id=process.id), actor=COORDINATOR, city="bogota")
    back_on = TODAY + timedelta(days=100)
    process, [resumed] = domain.resume(process, resume, APRENDE, back_on, NOW)
    assert resumed.payload.due_on == back_on + timedelta(days=20), "20 of its 30 days were left"
    with refused_for("not_on_hold"):
        domain.resume(process, resume, APRENDE, back_on, NOW)


def test_a_withdrawn_item_ends_and_is_never_late():
    process = started()
    withdraw = WithdrawItem.new(payload=ItemReasonPayload(item_id=process.id, reason="La entidad desistió."),
                                actor=COORDINATOR, city="bogota")
    process, [withdrawn] = domain.withdraw(process, withdraw, NOW)
    assert withdrawn.type == "item.withdrawn" and (process.status, process.open) == ("withdrawn", False)
    assert domain.overdue(process, TODAY + timedelta(days=90), NOW) is None
    with refused_for("item_ended"):
        domain.withdraw(process, withdraw, NOW)


async def test_only_active_coordinators_and_administrators_steer_whatever_the_command_claims(settings):
    phases = in_memory_service("phases", settings)
    _, proposed = proposal_from(propose_practice())
    for event in (proposed, COORDINATOR_JOINED, JOINED):
        assert await phases.dispatch(event) == "applied"
    item_id = proposed.payload.item_id

    def advance_as(user_id: str) -> AdvancePhase:
        return AdvancePhase.new(payload=PhaseStep(item_id=item_id, phase_number=1),
                                actor=Actor(role=ActorRole.administrator, id=user_id), city="bogota")

    def last_refusal() -> str:
        return phases.unit_of_work.announced(settings.topics.phase_events)[-1].payload.reason

    assert await phases.dispatch(advance_as("6001")) == "rejected" and last_refusal() == "not_allowed"  # staff
    assert await phases.dispatch(advance_as("4242")) == "rejected" and last_refusal() == "not_a_member"
    assert await phases.dispatch(advance_as("7001")) == "rejected" and last_refusal() == "deliverables_missing"
    application = SubmitDeliverable.new(payload=SubmitDeliverablePayload(
        item_id=item_id, phase_number=1, key="application", document=NEED_SHEET), actor=staff(user_id="6001"),
        city="bogota")
    assert await phases.dispatch(application) == "applied", "staff of the practice's entity fill it in"
    assert await phases.dispatch(advance_as("7001")) == "rejected" and last_refusal() == "decision_missing", \
        "a practice leaves its evaluation phase only once selected"
    [process] = phases.unit_of_work.stored(PROCESSES)
    assert process.current_phase == 1
    removed_coordinator = REMOVED.model_copy(update={"payload": REMOVED.payload.model_copy(update={
        "person_id": COORDINATOR_JOINED.payload.person_id, "telegram_user_id": 7001})})
    assert await phases.dispatch(removed_coordinator) == "applied"
    again = AdvancePhase.new(payload=PhaseStep(item_id=item_id, phase_number=1), actor=COORDINATOR, city="bogota")
    assert await phases.dispatch(again) == "rejected" and last_refusal() == "not_a_member"


def test_a_due_date_moved_while_held_is_the_one_the_item_resumes_with():
    from puente.contracts.phases import MoveDueDate, MoveDueDatePayload

    process = started()
    held = HoldItem.new(payload=ItemReasonPayload(item_id=process.id, reason="Cambio de equipo."),
                        actor=COORDINATOR, city="bogota")
    process, _ = domain.hold(process, held, TODAY, NOW)
    moved = MoveDueDate.new(payload=MoveDueDatePayload(item_id=process.id, phase_number=1,
                                                       due_on=TODAY + timedelta(days=90), reason="Prórroga."),
                            actor=COORDINATOR, city="bogota")
    process, _ = domain.move_due_date(process, moved, TODAY, NOW)
    resume = ResumeItem.new(payload=ItemPayload(item_id=process.id), actor=COORDINATOR, city="bogota")
    process, [resumed] = domain.resume(process, resume, APRENDE, TODAY, NOW)
    assert resumed.payload.due_on == TODAY + timedelta(days=90)
