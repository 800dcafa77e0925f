"""Reminders in memory: a person with three late or due items gets one message a day, on working days at the start
of working hours, with a button per item; nothing goes out on a holiday or a weekend; progress takes an item off
the list or counts as an answer; after three reminders without progress the coordinators are told, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from puente.wiring.clock import SettableClock
from services.intake.domain import proposal_from
from services.notifier.delivery import NOTIFICATIONS
from services.notifier.reminders import REMINDERS
from services.phases.domain import FollowUp, due_soon, overdue, start_process
from tests.factories import propose_exchange, staff
from tests.handler_cases import (
    APRENDE,
    DELIVERABLE_SUBMITTED,
    EXCHANGE_PROPOSED,
    NEXT_PHASE_STARTED,
    PHASE_OVERDUE,
)
from tests.helpers import city_config_with_coordinators, in_memory_scheduler, in_memory_service

PROPOSER = 5001


def late_and_due_items(count: int, today: date) -> list:
    """Proposals by one person, and for each a phase event: the first `count - 1` late, the last due soon."""
    events = []
    for number in range(count):
        _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(PROPOSER), language="en"),
                                                     title=f"Item {number}"))
        proposed = proposed.model_copy(update={"payload": proposed.payload.model_copy(
            update={"reference": f"AP-2026-{number + 1:04d}"})})
        started_on = today - timedelta(days=32 if number < count - 1 else 28)
        process, _ = start_process(str(proposed.payload.item_id), "aprende", proposed, APRENDE,
                                   datetime.combine(started_on, datetime.min.time(), UTC), started_on)
        found = overdue(process, today, datetime.now(UTC)) if number < count - 1 else \
            due_soon(process, today, datetime.now(UTC), FollowUp())
        events.append((proposed, found[1]))
    return events


def sent(notifier, kind: str) -> list:
    return [notification for notification in notifier.unit_of_work.stored(NOTIFICATIONS) if notification.kind == kind]


async def test_three_items_make_one_daily_reminder_on_working_days_in_working_hours(settings, tmp_path):
    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    clock = SettableClock(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))  # Thursday 3 December, 21:00 in Bogotá
    notifier = in_memory_service("notifier", with_city, clock)
    scheduler = in_memory_scheduler(notifier)
    for proposed, phase_event in late_and_due_items(3, date(2026, 12, 4)):
        assert await notifier.dispatch(proposed) == "applied"
        assert await notifier.dispatch(phase_event) == "applied"
    assert len(sent(notifier, "phase-overdue")) == 2, "coordinators' alerts are not deferred"
    assert {n.chat_id for n in sent(notifier, "phase-overdue")} == {9001}
    await scheduler.run_due()
    assert sent(notifier, "reminders") == [], "at night nothing goes to the proposer"

    clock.set(datetime(2026, 12, 4, 13, 0, tzinfo=UTC))  # Friday 08:00 in Bogotá
    await scheduler.run_due()
    [reminder] = sent(notifier, "reminders")
    assert reminder.chat_id == PROPOSER
    lines = reminder.text.split("\n")
    assert lines[0] == "⏰ Reminder: you have 3 items to attend to:"
    assert lines[1].startswith("• AP-2026-0001 “Item 0”, phase 1: was due on 2026-12-02 (2 days late)")
    assert lines[3] == "• AP-2026-0003 “Item 2”, phase 1: due on 2026-12-06 (in 2 days)"
    assert [button[0] for row in reminder.buttons for button in row] == [
        "🔎 AP-2026-0001", "🔎 AP-2026-0002", "🔎 AP-2026-0003"]
    assert all(button[1].startswith("card:") for row in reminder.buttons for button in row)

    for day in (5, 6):  # the weekend
        clock.set(datetime(2026, 12, day, 13, 0, tzinfo=UTC))
        await scheduler.run_due()
    clock.set(datetime(2026, 12, 8, 13, 0, tzinfo=UTC))  # Tuesday 8 December: a public holiday in Colombia
    await scheduler.run_due()
    assert len(sent(notifier, "reminders")) == 1, "no reminders on weekends and holidays"
    assert sent(notifier, "reminders-escalated") == []

    clock.set(datetime(2026, 12, 9, 13, 0, tzinfo=UTC))
    await scheduler.run_due()
    clock.set(datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
    await scheduler.run_due()
    assert len(sent(notifier, "reminders")) == 3, "one a day"
    escalated = sent(notifier, "reminders-escalated")
    # Each late item once, after 3 reminders; the third was due on 6 December, so it is late by now too.
    assert {n.chat_id for n in escalated} == {9001} and len(escalated) == 3
    assert escalated[0].text.startswith("🚨 AP-2026-000")
    clock.set(datetime(2026, 12, 11, 13, 0, tzinfo=UTC))
    await scheduler.run_due()
    assert len(sent(notifier, "reminders-escalated")) == 3, "told once"


async def test_progress_takes_an_item_off_the_list_or_counts_as_an_answer(settings):
    notifier = in_memory_service("notifier", settings)
    for event in (EXCHANGE_PROPOSED, PHASE_OVERDUE):
        await notifier.dispatch(event)
    [listed] = notifier.unit_of_work.stored(REMINDERS)
    assert listed.chat_id == PROPOSER and listed.due_on == PHASE_OVERDUE.payload.due_on
    assert await notifier.dispatch(DELIVERABLE_SUBMITTED) == "applied"
    assert [reminder.unanswered for reminder in notifier.unit_of_work.stored(REMINDERS)] == [0], "still listed"
    assert await notifier.dispatch(NEXT_PHASE_STARTED) == "applied"
    assert notifier.unit_of_work.stored(REMINDERS) == [], "the phase moved on"


async def test_an_answer_after_an_escalation_neither_stops_the_reminders_nor_escalates_twice(settings, tmp_path):
    from services.notifier import reminders as listing

    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    clock = SettableClock(datetime(2027, 1, 4, 13, 0, tzinfo=UTC))  # Monday 4 January, 08:00 in Bogotá
    notifier = in_memory_service("notifier", with_city, clock)
    scheduler = in_memory_scheduler(notifier)
    for event in (EXCHANGE_PROPOSED, PHASE_OVERDUE):  # due 28 December 2026
        await notifier.dispatch(event)
    for day in (4, 5, 6):
        clock.set(datetime(2027, 1, day, 13, 0, tzinfo=UTC))
        await scheduler.run_due()
    assert len(sent(notifier, "reminders-escalated")) == 1
    [kept] = notifier.unit_of_work.stored(REMINDERS)
    await notifier.unit_of_work.run(lambda transaction: listing.answered(transaction, kept.item_id))
    for day in (7, 8, 11, 12):  # Monday 11 January 2027 is a holiday in Colombia (Epiphany, moved)
        clock.set(datetime(2027, 1, day, 13, 0, tzinfo=UTC))
        await scheduler.run_due()
    assert len(sent(notifier, "reminders")) == 6, "a reminder every working day, the escalation notwithstanding"
    assert len(sent(notifier, "reminders-escalated")) == 1, "once per due date"


async def test_a_removed_proposer_hears_no_more_of_their_items_nor_is_reminded(settings, tmp_path):
    """Their items stay with their entity; the coordinators still hear of them."""
    from puente.contracts.people import PersonRemoved, PersonRemovedPayload
    from tests import ensena_story as people

    with_city = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    notifier = in_memory_service("notifier", with_city)
    removal = PersonRemoved.new(payload=PersonRemovedPayload(person_id=people.person_id(PROPOSER),
                                                             telegram_user_id=PROPOSER, language="es"),
                                actor=people.COORDINATING, city="bogota")
    for event in (people.joined(PROPOSER, "staff", "sed", "Ana"), EXCHANGE_PROPOSED, removal, PHASE_OVERDUE):
        assert await notifier.dispatch(event) == "applied"
    assert notifier.unit_of_work.stored(REMINDERS) == []
    assert [notification.chat_id for notification in sent(notifier, "phase-overdue")] == [9001]
