"""Bogotá Aprende in phases, in memory: the action plan's commitments (owned by a person of the exchange's entity,
recorded from the action-plan phase on), their progress, and the daily scan's reminders before and after each due
date. Every refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from puente.contracts.commitments import CommitmentStatus
from puente.contracts.phases import ReturnPhase, ReturnPhasePayload
from puente.wiring.clock import SettableClock
from services.phases.handlers import PROCESSES
from tests import aprende_story as story
from tests.ensena_story import COORDINATING, actor
from tests.helpers import in_memory_scheduler, in_memory_service

START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 November, 09:00 in Bogotá
DUE = date(2026, 12, 15)


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


async def refused(phases, command, reason: str) -> None:
    before = phases.unit_of_work.stored(PROCESSES)
    assert await phases.dispatch(command) == "rejected"
    assert phases.unit_of_work.announced()[-1].payload.reason == reason
    assert phases.unit_of_work.stored(PROCESSES) == before, "nothing changed"


def commitments(phases):
    [process] = phases.unit_of_work.stored(PROCESSES)
    return process.exchange.commitments


async def test_commitments_are_recorded_from_the_action_plan_phase_with_an_owner_of_the_entity(phases):
    await told(phases, *story.PROPOSED)
    await refused(phases, story.record_commitment(DUE), "wrong_phase")
    assert "applied" in await told(phases, *story.IN_ACTION_PLAN[len(story.PROPOSED):])
    assert events(phases, "command.rejected")[-1:] and len(events(phases, "command.rejected")) == 1

    await refused(phases, story.record_commitment(DUE, owner=5021), "owner_not_of_entity")  # staff of the SDM
    await refused(phases, story.record_commitment(DUE, owner=9999), "owner_not_of_entity")  # nobody
    await refused(phases, story.record_commitment(date(2026, 11, 29)), "past_date")
    await refused(phases, story.record_commitment(DUE, by=actor(5021, "staff", "sdm")), "not_your_entity")
    await refused(phases, story.record_commitment(DUE, by=actor(8001, "evaluator", "sds")), "not_a_member")

    first = story.record_commitment(DUE)
    assert await told(phases, first, story.record_commitment(DUE + timedelta(days=30), by=COORDINATING)) == \
        ["applied", "applied"]
    [recorded, second] = events(phases, "commitment.recorded")
    assert (recorded.payload.number, second.payload.number) == (1, 2)
    assert recorded.payload.commitment_id == story.commitment_id(first)
    assert recorded.payload.owner_id == story.person_id(5031) and recorded.payload.entity_id == "sed"
    assert [kept.number for kept in commitments(phases)] == [1, 2]


async def test_progress_is_reported_by_the_owner_or_the_entity_and_a_commitment_done_takes_no_more(phases):
    await told(phases, *story.IN_ACTION_PLAN, story.record_commitment(DUE))
    await refused(phases, story.report_progress(1, CommitmentStatus.in_progress, 50, by=actor(5021, "staff", "sdm")),
                  "not_your_entity")
    await refused(phases, story.report_progress(2, CommitmentStatus.in_progress, 50), "unknown_commitment")
    assert await told(phases, story.report_progress(1, CommitmentStatus.blocked, 40, "Falta el presupuesto.")) == \
        ["applied"]
    assert commitments(phases)[0].status == "blocked" and commitments(phases)[0].note == "Falta el presupuesto."
    assert await told(phases, story.report_progress(1, CommitmentStatus.done, 100, by=story.STAFF_ACTOR)) == \
        ["applied"]
    [blocked, done] = events(phases, "commitment.updated")
    assert (blocked.payload.status, blocked.payload.progress_percent) == (CommitmentStatus.blocked, 40)
    assert done.payload.reported_by == story.person_id(5001)
    await refused(phases, story.report_progress(1, CommitmentStatus.in_progress, 80), "commitment_done")


async def test_the_daily_scan_announces_a_commitment_due_soon_once_and_late_on_the_city_cadence(phases, clock):
    await told(phases, *story.IN_ACTION_PLAN, story.record_commitment(DUE), story.record_commitment(DUE, action="B"))
    await told(phases, story.report_progress(2, CommitmentStatus.done, 100))  # done: never reminded
    scheduler = in_memory_scheduler(phases)

    async def scan_on(day: date) -> None:
        clock.set(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC))
        await scheduler.run_due()

    await scan_on(date(2026, 12, 11))  # four days ahead: not yet
    assert events(phases, "commitment.due") == []
    await scan_on(date(2026, 12, 12))
    await scan_on(date(2026, 12, 13))
    [due] = events(phases, "commitment.due")
    assert (due.payload.number, due.payload.days_left, due.payload.owner_id) == (1, 3, story.person_id(5031))
    await scan_on(date(2026, 12, 16))
    await scan_on(date(2026, 12, 17))
    await scan_on(date(2026, 12, 22))
    await scan_on(date(2026, 12, 23))
    late = events(phases, "commitment.overdue")
    assert [(event.payload.step, event.payload.days_overdue) for event in late] == [(1, 1), (2, 8)]
    await told(phases, story.report_progress(1, CommitmentStatus.done, 100))
    await scan_on(date(2027, 1, 10))
    assert len(events(phases, "commitment.overdue")) == 2, "a commitment done is not reminded any more"


async def test_a_survey_opens_when_the_exchange_completes_and_takes_one_answer_per_account(phases):
    await told(phases, *story.IN_ACTION_PLAN)
    [opened] = events(phases, "survey.requested")
    assert opened.payload.survey_id == story.survey_id("exchange") and opened.payload.phase_key == "exchange"
    assert opened.payload.questions == list(story.QUESTIONS) and len(opened.payload.code) == 8

    assert await told(phases, story.answer(1, 5, 4, 4, 5), story.answer(2, 4, 4, 3, 5)) == ["applied", "applied"]
    await refused(phases, story.answer(1, 1, 1, 1, 1), "already_answered")
    await refused(phases, story.answer(3, 5, 4, 4), "invalid_answer")  # a question left out
    await refused(phases, story.answer(3, 5, 4, 4, 4, phase_key="follow-up"), "unknown_survey")
    [first, second] = events(phases, "survey.submitted")
    assert (second.payload.answers, second.payload.average) == (2, 4.25)
    assert first.actor.id == "anonymous" and second.payload.respondent == story.respondent(2)
    [process] = phases.unit_of_work.stored(PROCESSES)
    assert process.exchange.surveys[0].averages() == {"usefulness": 4.5, "experts": 4.0, "organisation": 3.5,
                                                      "applicability": 5.0}


async def test_a_low_average_alerts_once_it_has_enough_answers_and_only_once(phases):
    await told(phases, *story.IN_ACTION_PLAN, story.answer(1, 1, 2, 1, 2), story.answer(2, 2, 2, 2, 2))
    assert events(phases, "survey.scored_low") == [], "two answers are not enough to judge"
    await told(phases, story.answer(3, 3, 3, 3, 3), story.answer(4, 1, 1, 1, 1))
    [low] = events(phases, "survey.scored_low")
    assert (low.payload.answers, low.payload.average, low.payload.threshold) == (3, 2.17, 3.0)


async def test_a_phase_completed_again_keeps_its_survey_and_the_closure_survey_opens_after_the_last_phase(phases):
    await told(phases, *story.IN_ACTION_PLAN, story.answer(1, 5, 5, 5, 5))
    await told(phases, ReturnPhase.new(payload=ReturnPhasePayload(
        item_id=story.EXCHANGE_ID, phase_number=5, note="Falta el informe."), actor=COORDINATING, city="bogota"),
        story.advance(4))
    assert len(events(phases, "survey.requested")) == 1
    await told(phases, story.submit(5, "action-plan"), story.advance(5),
               story.submit(6, "results-story", "Bajó la deserción."), story.advance(6))
    assert events(phases, "item.closed")
    assert [event.payload.phase_key for event in events(phases, "survey.requested")] == ["exchange", "follow-up"]
    assert await told(phases, story.answer(1, 4, 4, 4, 4, phase_key="follow-up")) == ["applied"], \
        "the closure survey is answered after the exchange closes"


async def test_a_coordinator_shortlists_known_catalogue_entries_in_the_matching_phase(phases):
    await told(phases, *story.PROPOSED)
    await refused(phases, story.shortlist(), "wrong_phase")
    await told(phases, *story.IN_MATCHING[len(story.PROPOSED):])
    await refused(phases, story.shortlist(by=story.STAFF_ACTOR), "not_allowed")
    await refused(phases, story.shortlist(experts=("mette", "nobody")), "unknown_catalogue_entry")
    await refused(phases, story.shortlist(practices=("mette",)), "unknown_catalogue_entry")  # an expert's key
    assert await told(phases, story.shortlist(experts=("mette", "pieter"))) == ["applied"]
    [kept] = events(phases, "shortlist.recorded")
    assert [match.key for match in kept.payload.experts] == ["mette", "pieter"]
    [process] = phases.unit_of_work.stored(PROCESSES)
    assert process.exchange.shortlisted_practices[0].reasons == [{"kind": "sector", "detail": "mobility"}]


async def test_the_exchange_is_recorded_in_its_phases_and_its_phases_wait_for_the_plan_and_the_participants(phases):
    await told(phases, *story.IN_MATCHING)
    assert await told(phases, story.record_allies("dutch-advisors")) == ["applied"], "allies from the first phases"
    await refused(phases, story.plan_exchange(date(2099, 3, 1), date(2099, 3, 5)), "wrong_phase")
    await told(phases, *story.IN_DESIGN[len(story.IN_MATCHING):])
    await refused(phases, story.advance(3), "plan_missing")
    await refused(phases, story.record_experts("mette", "nobody"), "unknown_catalogue_entry")
    await refused(phases, story.record_allies("dutch-advisors", "unknown-ally"), "unknown_catalogue_entry")
    await refused(phases, story.add_budget_line(1, "1500", paid_by="british-council"), "ally_not_involved")
    await refused(phases, story.assign_logistics(story.LogisticsTask.travel, 5021), "owner_not_of_entity")
    assert await told(phases, story.plan_exchange(date(2099, 3, 1), date(2099, 3, 5)),
                      story.record_experts("mette", "pieter", "mette"),
                      story.record_allies("dutch-advisors", "british-council"),
                      story.add_budget_line(1, "4500.50", paid_by="dutch-advisors"),
                      story.add_budget_line(2, "12000000", currency=story.Currency.COP, concept="Sala y refrigerios"),
                      story.assign_logistics(story.LogisticsTask.travel, 5031),
                      story.assign_logistics(story.LogisticsTask.interpretation, 7001, done=True)) == ["applied"] * 7
    await refused(phases, story.add_budget_line(1, "10"), "already_registered")
    await refused(phases, story.record_allies("british-council"), "ally_not_involved")  # the Dutch pay a line
    [process] = phases.unit_of_work.stored(PROCESSES)
    record = process.exchange
    assert record.plan.instrument == "study_visit" and record.experts == ["mette", "pieter"]
    assert [(line.amount, line.currency, line.paid_by) for line in record.budget] == [
        (Decimal("4500.50"), "EUR", "dutch-advisors"), (Decimal("12000000"), "COP", "program")]
    assert {task: entry.done for task, entry in record.logistics.items()} == {"travel": False, "interpretation": True}
    assert await told(phases, story.advance(3)) == ["applied"]
    await told(phases, story.submit(4, "exchange-report"))
    await refused(phases, story.advance(4), "participants_missing")
    await told(phases, story.record_participants(public_local=30, private_sector=5))
    assert await told(phases, story.advance(4)) == ["applied"]
    assert phases.unit_of_work.stored(PROCESSES)[0].exchange.participants == {"public_local": 30,
                                                                             "private_sector": 5}


def test_impossible_dates_negative_amounts_and_empty_participants_do_not_make_a_command():
    with pytest.raises(ValidationError, match="ends on or after"):
        story.plan_exchange(date(2099, 3, 5), date(2099, 3, 1))
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        story.add_budget_line(1, "-1")
    with pytest.raises(ValidationError, match="at least one participant"):
        story.record_participants(academia=0)
    with pytest.raises(ValidationError, match="from 0 to"):
        story.record_participants(academia=-3)
