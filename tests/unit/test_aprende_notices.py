"""What people hear of a Bogotá Aprende exchange's action plan, in memory: phases runs the story, and everything it
announces is handed to the notifier, as Kafka would. A commitment's owner hears it is theirs, finds it on their
grouped daily reminders before and after its due date (with a button to report progress), and the coordinators
hear of it after unanswered reminders and at once when it is blocked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from puente.contracts.commitments import CommitmentStatus
from puente.wiring.clock import SettableClock
from services.notifier.delivery import NOTIFICATIONS
from services.notifier.reminders import REMINDERS
from tests import aprende_story as story
from tests.helpers import PhasesAndNotifier, in_memory_scheduler

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 November, 09:00 in Bogotá
DUE = date(2026, 12, 15)  # a Tuesday


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def program(settings, clock) -> PhasesAndNotifier:
    return PhasesAndNotifier(settings, clock)


def buttons(program, chat_id: int, kind: str) -> list[str]:
    return [button[1] for notification in program.notifier.unit_of_work.stored(NOTIFICATIONS)
            if notification.chat_id == chat_id and notification.kind == kind
            for row in notification.buttons for button in row]


async def test_the_owner_hears_the_commitment_with_a_progress_button(program):
    await program.tell(*story.IN_ACTION_PLAN, story.record_commitment(DUE))
    [owned] = program.heard(5031, "commitment-owned")
    assert "Eres responsable del compromiso 1" in owned and "Kilómetros diseñados" in owned and "2026-12-15" in owned
    assert buttons(program, 5031, "commitment-owned") == [f"cmt:{story.EXCHANGE_ID}:1"]
    assert len(program.heard(5001, "commitment-recorded")) == 1, "whoever recorded it hears it is in the plan"


async def test_commitments_are_reminded_with_the_owners_other_items_and_escalated_when_unanswered(program, clock):
    await program.tell(*story.IN_ACTION_PLAN, story.record_commitment(DUE),
                       story.record_commitment(DUE, action="Capacitar a los rectores"))
    phases, notifier = in_memory_scheduler(program.phases), in_memory_scheduler(program.notifier)

    async def morning(day: date) -> None:  # phases' scan at 06:00, the reminders at 08:00
        clock.set(datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC))
        await phases.run_due()
        await program.hand_over()
        clock.set(datetime(day.year, day.month, day.day, 13, 5, tzinfo=UTC))
        await notifier.run_due()

    await morning(date(2026, 12, 14))
    [grouped] = program.heard(5031, "reminders")
    assert "compromiso 1 (Diseñar la red de ciclorrutas escolares)" in grouped and "compromiso 2" in grouped
    assert buttons(program, 5031, "reminders") == [f"cmt:{story.EXCHANGE_ID}:1", f"cmt:{story.EXCHANGE_ID}:2"]

    await program.tell(story.report_progress(2, CommitmentStatus.done, 100))
    assert {reminder.commitment_number for reminder in program.notifier.unit_of_work.stored(REMINDERS)} == {1}

    for day in (date(2026, 12, 16), date(2026, 12, 17), date(2026, 12, 18)):
        await morning(day)
    assert "venció el 2026-12-15" in program.heard(5031, "reminders")[-1]
    [escalated] = program.heard(7001, "reminders-escalated")
    assert "compromiso 1" in escalated and "/compromisos " in escalated and "recordatorios sin reportar" in escalated
    await morning(date(2026, 12, 21))
    assert len(program.heard(7001, "reminders-escalated")) == 1, "told once per due date"


async def test_progress_answers_the_reminder_and_a_block_reaches_the_coordinators_at_once(program, clock):
    await program.tell(*story.IN_ACTION_PLAN, story.record_commitment(DUE))
    phases, notifier = in_memory_scheduler(program.phases), in_memory_scheduler(program.notifier)
    for day in (14, 15):
        clock.set(datetime(2026, 12, day, 13, 5, tzinfo=UTC))
        await phases.run_due()
        await program.hand_over()
        await notifier.run_due()
    assert [(reminder.kind, reminder.unanswered) for reminder in program.notifier.unit_of_work.stored(REMINDERS)] \
        == [("commitment", 2)]
    await program.tell(story.report_progress(1, CommitmentStatus.blocked, 30, "Falta el presupuesto."))
    [blocked] = program.heard(7001, "commitment-blocked")
    assert "está bloqueado: Falta el presupuesto." in blocked
    assert [reminder.unanswered for reminder in program.notifier.unit_of_work.stored(REMINDERS)] == [0]
    assert program.heard(5021, "commitment-blocked") == [], "another entity's staff hear nothing"


async def test_the_team_hears_a_survey_is_open_and_the_coordinators_hear_of_a_low_average(program):
    await program.tell(*story.IN_ACTION_PLAN)
    [opened] = program.heard(5001, "survey-opened")
    assert "/encuesta" in opened and "«Implementación del intercambio»" in opened
    assert len(program.heard(5031, "survey-opened")) == 1 and len(program.heard(7001, "survey-opened")) == 1
    assert program.heard(5021, "survey-opened") == []
    await program.tell(story.answer(1, 2, 2, 1, 2), story.answer(2, 3, 2, 2, 2))
    assert program.heard(7001, "survey-scored-low") == []
    await program.tell(story.answer(3, 2, 3, 2, 2, comment="Faltó traducción."))
    [low] = program.heard(7001, "survey-scored-low")
    assert "promedia 2,08 con 3 respuestas" in low
    assert "• ¿Qué tan útil fue el intercambio para su trabajo?: 2,33" in low
    assert program.heard(5001, "survey-scored-low") == [], "the alert is the coordinators'"


async def test_an_exchange_that_stops_takes_its_commitments_off_the_lists_and_a_new_phase_does_not(program, clock):
    await program.tell(*story.IN_ACTION_PLAN, story.record_commitment(DUE))
    clock.set(datetime(2026, 12, 14, 11, 0, tzinfo=UTC))
    await in_memory_scheduler(program.phases).run_due()
    await program.hand_over()
    await program.tell(story.submit(5, "action-plan"), story.advance(5))  # on to follow-up: still owed
    assert [reminder.kind for reminder in program.notifier.unit_of_work.stored(REMINDERS)] == ["commitment"]
    await program.tell(story.submit(6, "results-story", "Más niños en bicicleta."), story.advance(6))  # closed
    assert program.notifier.unit_of_work.stored(REMINDERS) == []
