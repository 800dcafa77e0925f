"""What people hear of a Bogotá Enseña practice, in memory: phases runs the story, and everything it announces is
handed to the notifier, as Kafka would. Evaluators, the entity's team, companions and coordinators each hear their
part once, in their language; evaluators who have not scored join the daily reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from puente.contracts.evaluation import Decision
from puente.wiring.clock import SettableClock
from services.notifier.practices import WAITING_SCORECARDS
from services.notifier.reminders import REMINDERS
from tests import ensena_story as story
from tests.helpers import PhasesAndNotifier as Program
from tests.helpers import in_memory_scheduler

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 November, 09:00 in Bogotá
ENGLISH_EVALUATOR = story.joined(8002, "evaluator", "sdm", "Ernesto", ("education",), language="en")
PEOPLE = tuple(ENGLISH_EVALUATOR if person.payload.telegram_user_id == 8002 else person for person in story.PEOPLE)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def program(settings, clock) -> Program:
    return Program(settings, clock)


async def test_the_team_scores_and_the_entity_hears_the_decision_with_the_scores(program):
    await program.tell(story.PRACTICE, *PEOPLE, story.assign_evaluators(8001, 8002, 8003))
    [to_eva] = program.heard(8001, "evaluation-assigned")
    assert "/puntuar" in to_eva and "Escuelas de padres" in to_eva
    [to_ernesto] = program.heard(8002, "evaluation-assigned")
    assert to_ernesto.startswith("🧑‍⚖️ You are on the evaluation team") and "/score" in to_ernesto
    assert program.heard(8004, "evaluation-assigned") == [], "an evaluator not on the team hears nothing"
    assert program.heard(5001, "evaluation-assigned-entity")

    await program.tell(*story.SCORED[len(story.ASSIGNED):])
    assert len(program.heard(7001, "scorecards-complete")) == 1, "the coordinator hears once, when all are in"
    assert "/decidir" in program.heard(7001, "scorecards-complete")[0]
    await program.tell(story.decide(Decision.selected, "Muy buena."))
    [to_ana] = program.heard(5001, "practice-decided")
    assert "fue seleccionada" in to_ana and "Pertinencia: 4,67" in to_ana and "Total: 4,33" in to_ana
    assert "Muy buena." in to_ana
    assert len(program.heard(5011, "practice-decided")) == 1, "the entity's team hears it too"
    assert len(program.heard(7001, "practice-decided")) == 1
    assert program.heard(5021, "practice-decided") == [], "another entity's staff do not"
    assert program.heard(8004, "practice-decided") == [], "nor an evaluator of the same entity: the team is its staff"


async def test_a_slipped_milestone_reaches_the_team_and_the_coordinators_once(program, clock):
    await program.tell(*story.SYSTEMATIZING)
    [schedule] = program.heard(5001, "systematization-scheduled")
    assert "Borrador del documento" in schedule and "/hitos" in schedule
    scheduler = in_memory_scheduler(program.phases)
    clock.set(datetime(2027, 1, 1, 12, 0, tzinfo=UTC))  # the draft was due on 30 December
    await scheduler.run_due()
    clock.advance(timedelta(days=1))
    await scheduler.run_due()
    await program.hand_over()
    for chat_id in (5001, 5011, 5012, 7001):
        [slipped] = program.heard(chat_id, "systematization-slipped")
        assert "Borrador del documento" in slipped and "hace 2 días" in slipped
    assert program.heard(5021, "systematization-slipped") == []


async def test_a_request_beyond_capacity_alerts_the_coordinators_and_its_companion_hears_when_it_is_hers(program):
    await program.tell(*story.ACCOMPANIED)
    for number in range(1, 5):
        await program.tell(story.request_collaboration(number))
    assert len(program.heard(5011, "collaboration-assigned-companion")) == 2
    assert "Quieren adaptar las escuelas de padres" in program.heard(5011, "collaboration-assigned-companion")[0]
    assert not any("Alcaldía de Quito 5" in text for text in program.heard(5011))
    await program.tell(story.request_collaboration(5))
    [alert] = program.heard(7001, "collaboration-capacity-exhausted")
    assert "Alcaldía de Quito 5" in alert and "2 acompañantes" in alert
    await program.tell(story.close_collaboration(1))
    assert len(program.heard(5011, "collaboration-assigned-companion")) == 3, "the waiting request is hers now"
    assert any("Alcaldía de Quito 5" in text for text in program.heard(5011, "collaboration-assigned-companion"))
    assert len(program.heard(5011, "collaboration-closed")) == 1


async def test_evaluators_who_have_not_scored_join_the_daily_reminders_and_leave_them_when_they_score(program, clock):
    await program.tell(*story.ASSIGNED, story.score(story.EVALUATOR_ACTORS[0], 5, 4, 4, 5))
    scheduler = in_memory_scheduler(program.phases)
    due_on = program.phases.unit_of_work.announced()[0].payload.due_on  # the evaluation phase's
    two_days_before = datetime.combine(due_on - timedelta(days=2), datetime.min.time(), UTC)
    clock.set(two_days_before + timedelta(hours=14))  # 09:00 in Bogotá
    await scheduler.run_due()
    await program.hand_over()
    listed = {(reminder.chat_id, reminder.kind) for reminder in program.notifier.unit_of_work.stored(REMINDERS)}
    assert listed == {(5001, "phase"), (8002, "scorecard"), (8003, "scorecard")}, "Eva scored: not her"
    await program.tell(story.score(story.EVALUATOR_ACTORS[1], 4, 4, 3, 5))
    listed = {(reminder.chat_id, reminder.kind) for reminder in program.notifier.unit_of_work.stored(REMINDERS)}
    assert listed == {(5001, "phase"), (8003, "scorecard")}
    await in_memory_scheduler(program.notifier).run_due()
    [reminder] = program.heard(8003, "reminders")
    assert "tu calificación" in reminder
    await program.tell(story.submit_application())  # the entity's deliverable answers its own reminder only
    unanswered = {reminder.chat_id: reminder.unanswered
                  for reminder in program.notifier.unit_of_work.stored(REMINDERS)}
    assert unanswered == {5001: 0, 8003: 1}


async def test_more_information_sends_the_team_back_to_score(program):
    await program.tell(*story.SCORED, story.decide(Decision.more_information, "Falta la línea de base."))
    [to_eva] = program.heard(8001, "evaluation-rescore")
    assert "Falta la línea de base." in to_eva and "/puntuar" in to_eva
    assert len(program.heard(8002, "evaluation-rescore")) == len(program.heard(8003, "evaluation-rescore")) == 1
    assert "necesita más información" in program.heard(5001, "practice-decided")[0]
    waiting = program.notifier.unit_of_work.stored(WAITING_SCORECARDS)
    assert [sorted(team.pending) for team in waiting] == [sorted(str(story.person_id(u)) for u in (8001, 8002, 8003))]
