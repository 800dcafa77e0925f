"""Bogotá Enseña in phases, in memory: evaluation by a team from other entities, the decision with the scores, the
systematization's schedule and its slips, participants and promotion, and collaboration requests within the
companions' capacity. Every refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from puente.contracts.common import Line
from puente.contracts.evaluation import Decision, ScorePractice, ScorePracticePayload
from puente.contracts.people import PersonRemoved, PersonRemovedPayload, Role
from puente.contracts.systematization import PromotionChannel
from puente.wiring.city import load_city_config
from puente.wiring.clock import SettableClock
from puente.wiring.transaction import RetryLater
from services.phases import ensena
from services.phases.domain import PhasePlan, PracticeRecord, Refused, start_process
from services.phases.ensena import CompanionLoad
from services.phases.ensena_handlers import LOADS, REQUESTS, EnsenaHandlers
from services.phases.handlers import PROCESSES, Steerer, ensena_rules
from tests import ensena_story as story
from tests.helpers import in_memory_scheduler, in_memory_service

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 November, 09:00 in Bogotá


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


@pytest.fixture
def phases(settings, clock):
    return in_memory_service("phases", settings, clock)


async def told(phases, *messages) -> list[str]:
    return [await phases.dispatch(message) for message in messages]


def events(phases, kind: str) -> list:
    return [event for event in phases.unit_of_work.announced() if event.type == kind]


def refusal(phases) -> str:
    return phases.unit_of_work.announced()[-1].payload.reason


async def refused(phases, command, reason: str) -> None:
    before = phases.unit_of_work.stored(PROCESSES), phases.unit_of_work.stored(REQUESTS)
    assert await phases.dispatch(command) == "rejected"
    assert refusal(phases) == reason
    assert (phases.unit_of_work.stored(PROCESSES), phases.unit_of_work.stored(REQUESTS)) == before, "nothing changed"


def practice(phases):
    [process] = phases.unit_of_work.stored(PROCESSES)
    return process


async def test_a_team_from_other_entities_scores_the_practice_and_the_entity_hears_the_decision(phases):
    await told(phases, *story.PROPOSED)
    await refused(phases, story.assign_evaluators(8001, 8004), "own_entity")
    await refused(phases, story.assign_evaluators(8001), "evaluators_count")
    await refused(phases, story.assign_evaluators(8001, 8002, 8003, 8004), "evaluators_count")
    await refused(phases, story.assign_evaluators(8001, 5011), "not_an_evaluator")
    await refused(phases, story.assign_evaluators(8001, 8002, by=story.STAFF_ACTOR), "not_allowed")
    assert await phases.dispatch(story.assign_evaluators(8001, 8002, 8003)) == "applied"
    [assigned] = events(phases, "evaluators.assigned")
    assert assigned.payload.due_on == practice(phases).current().due_on

    await refused(phases, story.score(story.actor(8004, "evaluator", "sed"), 5, 5, 5, 5), "not_assigned")
    await refused(phases, story.score(story.EVALUATOR_ACTORS[0], 5, 6, 4, 4), "out_of_scale")
    await refused(phases, story.score(story.EVALUATOR_ACTORS[0], 5, 0, 4, 4), "out_of_scale")
    await refused(phases, story.score(story.EVALUATOR_ACTORS[0], 5, 4, 4), "out_of_scale")  # a criterion missing
    await refused(phases, story.decide(Decision.selected), "scorecards_missing")
    assert await told(phases, *story.SCORED[len(story.ASSIGNED):]) == ["applied"] * 3
    assert [event.payload.waiting_for for event in events(phases, "scorecard.submitted")] == [2, 1, 0]
    await refused(phases, story.score(story.EVALUATOR_ACTORS[0], 1, 1, 1, 1), "already_scored")
    assert await phases.dispatch(story.submit_application()) == "applied"
    await refused(phases, story.advance(1), "decision_missing")

    assert await phases.dispatch(story.decide(Decision.selected, "Adelante.")) == "applied"
    [decided] = events(phases, "practice.decided")
    assert decided.payload.averages == {"relevance": 4.67, "participation": 4.33, "impact": 3.67,
                                        "transferability": 4.67}
    assert decided.payload.overall == 4.33 and decided.payload.scorecards == 3
    await refused(phases, story.decide(Decision.not_selected), "already_decided")


async def test_a_practice_not_selected_ends_and_more_information_leaves_it_open(phases):
    await told(phases, *story.SCORED)
    assert await phases.dispatch(story.decide(Decision.more_information, "Falta evidencia.")) == "applied"
    assert practice(phases).open and practice(phases).practice.scorecards == {}, "the team scores again"
    await refused(phases, story.decide(Decision.not_selected), "scorecards_missing")
    for evaluator, values in zip(story.EVALUATOR_ACTORS, ((3, 3, 2, 3), (2, 3, 2, 2), (3, 2, 2, 3)), strict=True):
        again = story.score(evaluator, *values).model_copy(update={"event_id": story.derived_id("again", evaluator.id)})
        assert await phases.dispatch(again) == "applied"
    assert await phases.dispatch(story.decide(Decision.not_selected)) == "applied"
    assert events(phases, "practice.decided")[-1].payload.overall < 3
    assert practice(phases).status == "not_selected" and not practice(phases).open
    await refused(phases, story.advance(1), "item_ended")


async def test_the_person_who_changed_entity_cannot_score_their_new_entitys_practice(phases):
    await told(phases, *story.ASSIGNED)
    moved = story.joined(8001, "evaluator", "sed", "Eva")  # she joins the practice's entity afterwards
    await phases.dispatch(moved.model_copy(update={"event_id": story.derived_id("moved", 8001)}))
    await refused(phases, story.score(story.actor(8001, "evaluator", "sed"), 5, 5, 5, 5), "own_entity")


async def test_systematization_is_scheduled_from_the_city_file_and_a_slip_is_announced_once(phases, clock):
    await told(phases, *story.SELECTED)
    assert await phases.dispatch(story.advance(1)) == "applied"
    [scheduled] = events(phases, "systematization.scheduled")
    today = date(2026, 11, 30)
    assert [(m.key, m.due_on) for m in scheduled.payload.milestones] == [
        ("draft", today + timedelta(days=30)), ("review", today + timedelta(days=50)),
        ("validation", today + timedelta(days=70)), ("sign-off", today + timedelta(days=90))]

    await refused(phases, story.report("review"), "earlier_milestone_pending")
    await refused(phases, story.report("draft", by=story.actor(5021, "staff", "sdm")), "not_your_entity")
    await refused(phases, story.move("review", today + timedelta(days=20)), "milestone_out_of_order")
    await refused(phases, story.move("review", today + timedelta(days=75)), "milestone_out_of_order")
    await refused(phases, story.move("draft", today - timedelta(days=1)), "past_date")
    await refused(phases, story.move("launch", today + timedelta(days=5)), "unknown_milestone")

    scheduler = in_memory_scheduler(phases)
    clock.set(datetime(2027, 1, 1, 12, 0, tzinfo=UTC))  # draft was due on 30 December
    await scheduler.run_due()
    clock.advance(timedelta(days=1))
    await scheduler.run_due()
    [slipped] = events(phases, "systematization.slipped")
    assert (slipped.payload.key, slipped.payload.days_late) == ("draft", 2)

    assert await phases.dispatch(story.move("draft", date(2027, 1, 8))) == "applied"
    clock.set(datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    await scheduler.run_due()
    assert len(events(phases, "systematization.slipped")) == 2, "a moved milestone may slip again, once"
    assert await phases.dispatch(story.report("draft")) == "applied"
    [reached] = events(phases, "milestone.reached")
    assert reached.payload.pending == ["review", "validation", "sign-off"]
    await refused(phases, story.report("draft"), "milestone_done")


async def test_participants_and_promotion_are_for_a_selected_practice(phases, clock):
    await told(phases, *story.SCORED)
    await refused(phases, story.participants(public_local=12), "not_selected")
    await told(phases, *story.SYSTEMATIZING[len(story.SCORED):])
    assert await phases.dispatch(story.participants(public_local=12, civil_society=30, academia=3)) == "applied"
    [recorded] = events(phases, "participants.recorded")
    assert recorded.payload.phase_key == "systematization" and sum(recorded.payload.counts.values()) == 45
    await refused(phases, story.participants(by=story.actor(5021, "staff", "sdm"), academia=3), "not_your_entity")
    await refused(phases, story.plan_promotion(date(2026, 11, 1)), "past_date")
    await refused(phases, story.record_promotion(date(2027, 5, 1)), "not_held_yet")
    assert await phases.dispatch(story.plan_promotion(date(2027, 5, 1))) == "applied"
    assert await phases.dispatch(story.record_promotion(date(2026, 11, 20))) == "applied"
    assert await phases.dispatch(story.record_promotion(date(2026, 11, 25), PromotionChannel.network,
                                                        "Red de ciudades educadoras")) == "applied"
    kept = practice(phases).practice
    assert len(kept.planned) == 1 and [p.channel for p in kept.promotions] == ["international_event", "network"]


async def test_a_request_beyond_the_companions_capacity_waits_and_is_assigned_when_one_closes(settings, phases):
    await told(phases, *story.ACCOMPANIED)
    capacity = load_city_config(settings).ensena.companion_capacity  # two companions, each holding this many
    for number in range(1, 2 * capacity + 1):
        assert await phases.dispatch(story.request_collaboration(number)) == "applied"
    assigned = events(phases, "collaboration.assigned")
    assert len(assigned) == 2 * capacity
    assert {event.payload.companion_id for event in assigned} == {story.person_id(5011), story.person_id(5012)}
    waiting_number = 2 * capacity + 1
    assert await phases.dispatch(story.request_collaboration(waiting_number)) == "applied"
    [exhausted] = events(phases, "collaboration.capacity_exhausted")
    assert (exhausted.payload.companions, exhausted.payload.waiting) == (2, 1)
    await refused(phases, story.assign_collaboration(waiting_number, 5011), "over_capacity")
    await refused(phases, story.assign_collaboration(waiting_number, 5021), "not_a_companion")
    await refused(phases, story.close_collaboration(1, by=story.actor(5021, "staff", "sdm")), "not_allowed")

    first_companion = str(assigned[0].payload.companion_id)
    assert await phases.dispatch(story.close_collaboration(1)) == "applied"
    late = events(phases, "collaboration.assigned")[-1]
    assert str(late.payload.request_id) == str(story.derived_id("request", waiting_number))
    assert str(late.payload.companion_id) == first_companion
    await refused(phases, story.close_collaboration(1), "request_closed")
    loads = {load.id: len(load.open_requests) for load in phases.unit_of_work.stored(LOADS)}
    assert loads == {str(story.person_id(5011)): capacity, str(story.person_id(5012)): capacity}


async def test_requests_wait_until_companions_are_named_and_only_for_a_known_practice(phases):
    await told(phases, *story.SYSTEMATIZING)
    assert await phases.dispatch(story.request_collaboration(1)) == "applied"
    [exhausted] = events(phases, "collaboration.capacity_exhausted")
    assert exhausted.payload.companions == 0
    await refused(phases, story.name_companions(5011, 5021), "not_a_companion")  # Sara is of another entity
    await refused(phases, story.name_companions(8004), "not_a_companion")  # Octavio is an evaluator of the SED
    assert await phases.dispatch(story.name_companions(5011)) == "applied"
    [assigned] = events(phases, "collaboration.assigned")
    assert assigned.payload.companion_id == story.person_id(5011)
    await refused(phases, story.request_collaboration(2, item_id=story.derived_id("no such practice")),
                  "unknown_practice")


async def test_a_replica_that_read_a_companions_load_before_another_assigned_retries_and_changes_nothing(
        phases, monkeypatch):
    await told(phases, *story.ACCOMPANIED, story.request_collaboration(1))
    before = phases.unit_of_work.stored(LOADS), phases.unit_of_work.stored(REQUESTS)

    async def as_read_before(self, transaction, companion_id):  # the other replica's assignment is not seen
        return CompanionLoad(id=companion_id)

    monkeypatch.setattr(EnsenaHandlers, "_load", as_read_before)
    with pytest.raises(RetryLater):
        await phases.dispatch(story.request_collaboration(2))
    assert (phases.unit_of_work.stored(LOADS), phases.unit_of_work.stored(REQUESTS)) == before
    monkeypatch.undo()
    assert await phases.dispatch(story.request_collaboration(2)) == "applied", "delivered again, it is assigned"
    assert len(events(phases, "collaboration.assigned")) == 2


def test_another_city_scores_its_own_criteria_on_its_own_scale(settings):
    riverton = load_city_config(settings.model_copy(update={"city": "riverton"}))
    rules = ensena_rules(riverton)
    assert rules.criteria == ("results", "transferability", "value-for-money") and rules.scale_max == 4
    plan = [PhasePlan(phase.key, phase.duration_days) for phase in riverton.phases_of(Line.ensena)]
    process, _ = start_process(str(story.PRACTICE_ID), Line.ensena, story.PRACTICE, plan, START, START.date())
    eva = str(story.person_id(8001))
    evaluator = Steerer(id=eva, telegram_user_id=8001, role=Role.evaluator, entity_id="parks")
    process = process.model_copy(update={"practice": PracticeRecord(evaluators=[eva]),
                                         "current_phase": 2})  # Riverton evaluates in its second phase, "review"
    assert process.current().key == riverton.ensena.evaluation_phase == "review"

    def scorecard(*values: int) -> ScorePractice:
        return ScorePractice.new(payload=ScorePracticePayload(
            item_id=story.PRACTICE_ID, scores=dict(zip(rules.criteria, values, strict=True)), comment="Fine."),
            actor=story.EVALUATOR_ACTORS[0], city="riverton")

    with pytest.raises(Refused) as five:
        ensena.score(process, scorecard(4, 5, 3), evaluator, rules, START)
    assert five.value.reason.value == "out_of_scale", "Riverton scores from 1 to 4"
    scored, [event] = ensena.score(process, scorecard(4, 4, 3), evaluator, rules, START)
    assert event.payload.waiting_for == 0 and scored.practice.scorecards[eva].scores["value-for-money"] == 3


async def test_a_companion_who_leaves_hands_their_requests_back_to_another_or_to_the_queue(phases):
    await told(phases, *story.ACCOMPANIED, *(story.request_collaboration(number) for number in (1, 2, 3)))
    assigned = {str(event.payload.request_id): str(event.payload.companion_id)
                for event in events(phases, "collaboration.assigned")}
    camila = str(story.person_id(5011))
    hers = sorted(request for request, companion in assigned.items() if companion == camila)
    assert len(hers) == 2  # Camila holds two; Cristian one, with room for one more
    removal = PersonRemoved.new(payload=PersonRemovedPayload(person_id=story.person_id(5011),
                                                              telegram_user_id=5011, language="es"),
                                actor=story.COORDINATING, city="bogota")
    assert await phases.dispatch(removal) == "applied"
    handed = events(phases, "collaboration.assigned")[3:]
    assert [str(event.payload.companion_id) for event in handed] == [str(story.person_id(5012))]
    [exhausted] = events(phases, "collaboration.capacity_exhausted")
    assert str(exhausted.payload.request_id) in hers and exhausted.payload.companions == 1
    waiting = [request for request in phases.unit_of_work.stored(REQUESTS) if request.status == "waiting"]
    assert [request.id for request in waiting] == [str(exhausted.payload.request_id)]
    assert {load.id: load.open_requests for load in phases.unit_of_work.stored(LOADS)}[camila] == []
    await refused(phases, story.assign_collaboration(3, 5011), "not_a_companion")
    assert await phases.dispatch(removal) == "duplicate"


async def test_someone_who_leaves_without_ever_holding_a_request_leaves_no_load_behind(phases):
    await told(phases, *story.ACCOMPANIED)
    removal = PersonRemoved.new(payload=PersonRemovedPayload(person_id=story.person_id(5021),
                                                              telegram_user_id=5021, language="es"),
                                actor=story.COORDINATING, city="bogota")
    assert await phases.dispatch(removal) == "applied"
    assert phases.unit_of_work.stored(LOADS) == []


async def test_a_replica_that_found_every_companion_full_while_another_freed_one_retries(phases, monkeypatch):
    await told(phases, *story.ACCOMPANIED, *(story.request_collaboration(number) for number in (1, 2, 3, 4)))
    full = {load.id: load for load in phases.unit_of_work.stored(LOADS)}
    assert await phases.dispatch(story.close_collaboration(1)) == "applied"  # another replica frees a place
    before = phases.unit_of_work.stored(LOADS), phases.unit_of_work.stored(REQUESTS)

    async def as_read_before(self, transaction, companion_id):  # ... which this one has not seen
        return full[companion_id]

    monkeypatch.setattr(EnsenaHandlers, "_load", as_read_before)
    with pytest.raises(RetryLater):
        await phases.dispatch(story.request_collaboration(5))
    assert (phases.unit_of_work.stored(LOADS), phases.unit_of_work.stored(REQUESTS)) == before
    monkeypatch.undo()
    assert await phases.dispatch(story.request_collaboration(5)) == "applied"
    assert str(events(phases, "collaboration.assigned")[-1].payload.request_id) == str(
        story.derived_id("request", 5)), "delivered again, it takes the freed place"


async def test_the_same_request_registered_by_another_command_is_refused(phases):
    await told(phases, *story.ACCOMPANIED, story.request_collaboration(1))
    again = story.request_collaboration(1).model_copy(update={"event_id": story.derived_id("another command")})
    await refused(phases, again, "already_registered")
