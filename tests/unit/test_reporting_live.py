"""Reporting in memory with live work: what is overdue (by entity), due soon, waiting for a coordinator, the
collaboration queue and the surveys, as of a day; and the exports and sign-in links it serves."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from puente.contracts.commitments import CommitmentStatus, CommitmentUpdated, CommitmentUpdatedPayload
from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR, derived_id
from puente.contracts.people import (
    PersonChanged,
    PersonChangedPayload,
    PersonForgotten,
    PersonForgottenPayload,
    PersonRemoved,
    PersonRemovedPayload,
    Role,
)
from puente.contracts.phases import ItemCoursePayload, ItemWithdrawn, PhaseCompleted, PhasePayload, PhaseStarted
from puente.contracts.reporting import RequestReport
from puente.dashboard_links import DEVELOPMENT_KEY, read_sign_in, refuses_development_key, sign_in_token
from puente.wiring.city import load_city_config
from puente.wiring.clock import SettableClock
from puente.wiring.settings import Settings
from services.reporting import exports
from services.reporting.digests import READERS
from services.reporting.handlers import read_facts
from services.reporting.indicators import compute_indicators
from services.reporting.web import SESSIONS, USED_SIGN_INS, Session, UsedSignIn
from tests import aprende_story as exchange
from tests import ensena_story as practice
from tests import handler_cases as cases
from tests.helpers import in_memory_scheduler, in_memory_service

CITY = load_city_config(Settings())
PERIOD = CITY.reporting.period("2024-2027")


def started(item_id: uuid.UUID, line: Line, key: str, due_on: date) -> PhaseStarted:
    return PhaseStarted.new(payload=PhasePayload(item_id=item_id, line=line, phase_number=1, phase_key=key,
                                                 due_on=due_on),
                            actor=practice.COORDINATING, city="bogota", event_id=derived_id(item_id, "started", key))


def progress(status: CommitmentStatus, percent: int) -> CommitmentUpdated:
    return CommitmentUpdated.new(payload=CommitmentUpdatedPayload(
        item_id=exchange.EXCHANGE_ID, commitment_id=exchange.COMMITMENT_ID, number=1,
        owner_id=practice.person_id(5031), status=status, progress_percent=percent,
        note="Listo." if status is CommitmentStatus.done else None, reported_by=practice.person_id(5031)),
        actor=exchange.OWNER_ACTOR, city="bogota", event_id=derived_id("progress", status.value))


LIVE = (exchange.EXCHANGE, started(exchange.EXCHANGE_ID, Line.aprende, "demand", date(2027, 2, 20)),
        exchange.COMMITMENT_RECORDED, exchange.SURVEY_SUBMITTED, practice.PRACTICE,
        started(practice.PRACTICE_ID, Line.ensena, "evaluation", date(2027, 4, 30)), practice.SCORECARD_SUBMITTED,
        practice.REQUESTED)


async def facts_after(*events):
    reporting = in_memory_service("reporting", Settings())
    for event in events:
        assert await reporting.dispatch(event) == "applied", event.type
    return await reporting.unit_of_work.run(lambda transaction: read_facts(transaction, "bogota"))


async def test_late_due_and_waiting_work_as_of_a_day():
    items, catalogue = await facts_after(*LIVE)
    indicators = compute_indicators(items, catalogue, CITY, PERIOD, date(2027, 2, 25))
    [late] = indicators.overdue
    assert (late.kind, late.what, late.entity_id, late.days) == ("phase", "demand", "sed", 5)
    assert [(due.kind, due.days) for due in indicators.deadlines] == [("commitment", 4)]  # within 14 days
    assert [waiting.what for waiting in indicators.waiting] == ["assign", "decide"]
    assert (indicators.requests_open, indicators.requests_unassigned) == (1, 1)
    assert indicators.open_requests[0].requester == practice.REQUESTED.payload.requester
    surveys = indicators.surveys
    assert (surveys.surveys, surveys.answers, surveys.average) == (1, 3, 2.0)
    assert indicators.pipeline == {"aprende": {"demand": 1}, "ensena": {"evaluation": 1}}

    # Earlier nothing is late; 19 days ahead the phase's due date is beyond the 14 days, 10 days ahead it is near.
    earlier = compute_indicators(items, catalogue, CITY, PERIOD, date(2027, 2, 1))
    assert earlier.overdue == [] and earlier.deadlines == []
    nearer = compute_indicators(items, catalogue, CITY, PERIOD, date(2027, 2, 10))
    assert [(due.kind, due.days) for due in nearer.deadlines] == [("phase", 10)]


async def test_assigned_requests_done_commitments_and_withdrawn_items_leave_the_lists():
    withdrawn = ItemWithdrawn.new(payload=ItemCoursePayload(item_id=exchange.EXCHANGE_ID, line=Line.aprende,
                                                            phase_number=1, phase_key="demand", reason="Desistió."),
                                  actor=practice.COORDINATING, city="bogota")
    blocked = await facts_after(*LIVE, practice.REQUEST_ASSIGNED, progress(CommitmentStatus.blocked, 40))
    indicators = compute_indicators(*blocked, CITY, PERIOD, date(2027, 2, 25))
    assert (indicators.requests_open, indicators.requests_unassigned) == (1, 0)
    assert [waiting.what for waiting in indicators.waiting] == ["decide"]
    assert [due.kind for due in indicators.deadlines] == ["commitment"], "a blocked commitment is still due"
    done = await facts_after(*LIVE, progress(CommitmentStatus.done, 100), withdrawn)
    indicators = compute_indicators(*done, CITY, PERIOD, date(2027, 3, 10))
    assert indicators.overdue == [] and indicators.deadlines == []
    assert indicators.pipeline == {"aprende": {}, "ensena": {"evaluation": 1}}


async def test_exports_write_each_table_and_quote_formulas():
    items, catalogue = await facts_after(*LIVE)
    rows = exports.table_rows(exports.Table.items, items, catalogue, CITY, PERIOD, date(2027, 2, 25))
    assert sorted(row["line"] for row in rows) == ["aprende", "ensena"]
    rows[0]["title"] = "=HYPERLINK(\"http://evil\")"
    written = exports.write(exports.Table.items, exports.Form.csv, rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(written)))
    assert parsed[0] == exports.COLUMNS[exports.Table.items]
    assert parsed[1][5].startswith("'=HYPERLINK"), "a formula is written as text"
    as_json = json.loads(exports.write(exports.Table.items, exports.Form.json, rows))
    assert as_json[0]["proposed_on"] == rows[0]["proposed_on"].isoformat()
    xlsx = exports.write(exports.Table.commitments, exports.Form.xlsx, exports.table_rows(
        exports.Table.commitments, items, catalogue, CITY, PERIOD, date(2027, 2, 25)))
    assert xlsx[:2] == b"PK"  # a zip: the XLSX container
    sheet = load_workbook(io.BytesIO(exports.write(exports.Table.items, exports.Form.xlsx, rows)))["items"]
    assert (sheet["F2"].value, sheet["F2"].data_type) == ("=HYPERLINK(\"http://evil\")", "s"), "text, not a formula"
    indicators = exports.table_rows(exports.Table.indicators, items, catalogue, CITY, PERIOD, date(2027, 2, 25))
    assert {"indicator": "overdue", "value": 1, "target": None} in indicators
    before = CITY.reporting.period("2016-2019")
    assert exports.table_rows(exports.Table.items, items, catalogue, CITY, before, date(2027, 2, 25)) == []


def test_a_sign_in_link_is_refused_forged_tampered_or_late():
    key, now = b"k" * 32, datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    person = uuid.uuid4()
    token = sign_in_token(key, person, "en", now)
    signed = read_sign_in(key, token, now + timedelta(minutes=9))
    assert signed is not None and (signed.person_id, signed.language) == (person, "en")
    assert read_sign_in(key, token, now + timedelta(minutes=10)) is None, "valid for 10 minutes"
    assert read_sign_in(b"x" * 32, token, now) is None, "signed with another key"
    body, _, signature = token.partition(".")
    assert read_sign_in(key, body[:-2] + "xx." + signature, now) is None and read_sign_in(key, "junk", now) is None
    assert sign_in_token(key, person, "en", now) != token, "each link has its own nonce"


async def test_a_day_is_the_citys_not_utcs():
    # 23:30 on 31 December 2019 in Bogotá is already 2020 in UTC: the exchange counts in the 2016-2019 plan.
    late_evening = datetime(2020, 1, 1, 4, 30, tzinfo=UTC)
    completed = PhaseCompleted.new(payload=PhasePayload(item_id=exchange.EXCHANGE_ID, line=Line.aprende,
                                                        phase_number=4, phase_key="exchange"),
                                   actor=practice.COORDINATING, city="bogota", occurred_at=late_evening)
    items, catalogue = await facts_after(exchange.EXCHANGE, completed)
    before = compute_indicators(items, catalogue, CITY, CITY.reporting.period("2016-2019"), date(2020, 1, 15))
    after = compute_indicators(items, catalogue, CITY, CITY.reporting.period("2020-2023"), date(2020, 1, 15))
    assert (before.aprende.implemented, after.aprende.implemented) == (1, 0)


def test_the_public_development_key_signs_only_local_dashboards():
    assert not refuses_development_key(DEVELOPMENT_KEY, "http://127.0.0.1:8004")
    assert refuses_development_key(DEVELOPMENT_KEY, "https://panel.example.org")
    assert not refuses_development_key("a-long-random-value", "https://panel.example.org")


async def test_reports_go_to_who_coordinates_now():
    reporting = in_memory_service("reporting", Settings())
    carlos = cases.COORDINATOR_JOINED.payload
    changed = PersonChanged.new(payload=PersonChangedPayload(
        person_id=carlos.person_id, telegram_user_id=7001, role=Role.staff, entity_id="sed", language="en"),
        actor=SYSTEM_ACTOR, city="bogota")
    removed = PersonRemoved.new(payload=PersonRemovedPayload(person_id=carlos.person_id, telegram_user_id=7001,
                                                             language="es"), actor=SYSTEM_ACTOR, city="bogota")
    forgotten = PersonForgotten.new(payload=PersonForgottenPayload(person_id=carlos.person_id), actor=SYSTEM_ACTOR,
                                    city="bogota")

    def asking(number: int) -> RequestReport:
        return cases.REPORT_REQUEST.model_copy(update={"event_id": derived_id("asking", number)})

    async def reader():
        return await reporting.unit_of_work.run(lambda transaction: transaction.collection(READERS).get(
            str(carlos.person_id)))

    await reporting.dispatch(cases.COORDINATOR_JOINED)
    assert await reporting.dispatch(asking(1)) == "applied"
    [report] = reporting.unit_of_work.announced()[-1:]
    assert report.type == "report.generated" and report.payload.person_id == carlos.person_id
    await reporting.dispatch(changed)
    assert (await reader()).role is Role.staff and (await reader()).language == "en"
    assert await reporting.dispatch(asking(2)) == "rejected", "no longer a coordinator"
    await reporting.dispatch(cases.COORDINATOR_JOINED.model_copy(update={"event_id": derived_id("again")}))
    await reporting.dispatch(removed)
    assert (await reader()).active is False
    assert await reporting.dispatch(asking(3)) == "rejected", "removed"
    await reporting.dispatch(forgotten)
    assert await reader() is None


async def test_the_daily_clean_up_forgets_ended_sessions_and_old_sign_ins():
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    reporting = in_memory_service("reporting", Settings(), clock=lambda: now)

    async def keep(transaction):
        await transaction.collection(SESSIONS).add(Session(id="ended", person_id="p", language="es",
                                                           expires_at=now - timedelta(minutes=1)))
        await transaction.collection(SESSIONS).add(Session(id="open", person_id="p", language="es",
                                                           expires_at=now + timedelta(hours=1)))
        await transaction.collection(USED_SIGN_INS).add(UsedSignIn(id="old", used_at=now - timedelta(days=2)))
        await transaction.collection(USED_SIGN_INS).add(UsedSignIn(id="recent", used_at=now - timedelta(hours=1)))

    await reporting.unit_of_work.run(keep)
    assert "reporting.dashboard-cleanup:2026-11-30" in await in_memory_scheduler(reporting).run_due()
    assert [session.id for session in reporting.unit_of_work.stored(SESSIONS)] == ["open"]
    assert [sign_in.id for sign_in in reporting.unit_of_work.stored(USED_SIGN_INS)] == ["recent"]


async def test_digests_start_with_the_first_monday_after_reporting_first_ran():
    clock = SettableClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))  # a Saturday: W48's Monday has passed
    reporting = in_memory_service("reporting", Settings(), clock=clock)
    scheduler = in_memory_scheduler(reporting)

    def digests() -> list[str]:
        return [event.payload.iso_week for event in reporting.unit_of_work.announced()
                if event.type == "digest.generated"]

    assert "reporting.weekly-digest:2026-W48" in await scheduler.run_due()
    assert digests() == [], "a new deployment does not send at once"
    clock.set(datetime(2026, 11, 30, 13, 5, tzinfo=UTC))  # Monday 08:05 in Bogotá
    await scheduler.run_due()
    await scheduler.run_due()
    assert digests() == ["2026-W49"]
    clock.set(datetime(2026, 12, 9, 15, 0, tzinfo=UTC))  # down on Monday the 7th: W50's comes when it is back
    await scheduler.run_due()
    assert digests() == ["2026-W49", "2026-W50"]
