"""Reporting on the real servers:

- a history file is imported (`puente import`): a bad row is reported with its line and reason, the good rows go
  in as live events, and reporting's indicators are exactly the history's; a second import changes nothing;
- two replicas of reporting make the weekly digest once per week, across a restart, from the first Monday after
  reporting first ran; the notifier sends its PDF to
  the coordinator through the sandbox; the PDF's pages, rendered to images, show the charts;
- a rebuild from the journal gives the same numbers, even after reporting's facts were damaged."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import httpx
import pypdfium2
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from puente.contracts import TopicName, messages_on, parse_message
from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR
from puente.contracts.phases import PhasePayload, PhaseStarted
from puente.wiring.city import load_city_config
from puente.wiring.clock import SettableClock
from puente.wiring.settings import Settings
from services.notifier.app import build_app as build_notifier
from services.reporting.admin import import_history, rebuild
from services.reporting.app import build_app as build_reporting
from services.reporting.charts import LINE_COLOURS, TARGET, VALUE
from services.reporting.handlers import read_facts
from services.reporting.history import history_item_id
from services.reporting.indicators import compute_indicators
from telegram_sandbox.app import SandboxServer
from tests.handler_cases import EXCHANGE_PROPOSED, PHASE_STARTED, PRACTICE_PROPOSED
from tests.helpers import eventually, publish_message, read_topic, running_app, service_runtime
from tests.integration.test_bot import TOKEN, Member, members_joined
from tests.integration.test_onboarding import Chat
from tests.unit.test_reporting_indicators import EXAMPLE

pytestmark = pytest.mark.integration

COORDINATOR = 7701
CITY = load_city_config(Settings())
LIVE = ((lambda topics: topics.item_events, EXCHANGE_PROPOSED), (lambda topics: topics.phase_events, PHASE_STARTED),
        (lambda topics: topics.item_events, PRACTICE_PROPOSED),
        (lambda topics: topics.phase_events, PhaseStarted.new(
            payload=PhasePayload(item_id=PRACTICE_PROPOSED.payload.item_id, line=Line.ensena, phase_number=1,
                                 phase_key="evaluation", due_on=date(2027, 1, 12)),
            actor=SYSTEM_ACTOR, city="bogota")))
MONDAY = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)  # 08:05 in Bogotá, just after the digest's time


def history_with_a_bad_row(folder) -> tuple:
    """The example history, one exchange of this administration, and a row naming an unknown entity."""
    rows = EXAMPLE.read_text().splitlines()
    recent = json.loads(rows[0]) | {"key": "ap-2025-01", "proposed_on": "2025-02-03", "phases_completed": {
        "demand": "2025-02-20", "matching": "2025-03-14", "design": "2025-04-22", "exchange": "2025-05-16"}}
    rows.append(json.dumps(recent))
    bad = json.loads(rows[0]) | {"key": "ap-2017-99", "entity": "no-such-entity"}
    path = folder / "history.jsonl"
    path.write_text("\n".join([*rows, json.dumps(bad)]) + "\n")
    return path, len(rows) + 1


def expected_figures(indicators) -> tuple:
    return (indicators.aprende.implemented, indicators.aprende.experts, indicators.aprende.countries,
            indicators.aprende.allies, indicators.aprende.participants, indicators.ensena.systematized,
            indicators.ensena.participants, indicators.ensena.channels, indicators.shared.value,
            indicators.opportunities.value)


async def indicators_kept(settings: Settings):
    async with service_runtime("reporting", settings) as runtime:
        items, catalogue = await runtime.unit_of_work.run(lambda transaction: read_facts(transaction, "bogota"))
    return compute_indicators(items, catalogue, CITY, CITY.reporting.period("2016-2019"), date(2019, 12, 31))


async def count_is(collection, count: int, query: dict | None = None) -> bool:
    return await collection.count_documents(query or {}) == count


def coloured_pixels(image, colour: str) -> int:
    wanted = tuple(int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return sum(1 for pixel in image.convert("RGB").get_flattened_data()
               if all(abs(channel - target) <= 12 for channel, target in zip(pixel, wanted, strict=True)))


async def test_an_imported_history_gives_its_indicators_and_one_digest_a_week(settings, tmp_path):
    path, bad_line = history_with_a_bad_row(tmp_path)
    first = await import_history(settings, path, progress=False)
    assert (first.imported, first.unchanged, first.catalogue_added) == (6, 0, 4)
    assert [(error.line_number, error.reason) for error in first.refused] == [
        (bad_line, "unknown entity 'no-such-entity'")]

    # On Sunday the replicas start: W48's digest was due last Monday, before reporting ever ran, so there is none.
    clock = SettableClock(MONDAY - timedelta(days=1))
    await members_joined(settings, Member(COORDINATOR, "coordinator", None, "Carla Ruiz"))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value(), tz_aware=True)
    database = mongo[settings.database_name("reporting")]
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        opened = await control.post("/sandbox/users", json={"id": COORDINATOR, "first_name": "Carla",
                                                            "open_chat": True})
        assert opened.status_code == 200, opened.text
        try:
            replica_a, replica_b = build_reporting(settings, clock), build_reporting(settings, clock)
            async with running_app(replica_a) as port_a, running_app(replica_b):
                live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                                   "telegram_api_url": sandbox.bot_api_base_url,
                                                   "reporting_url": f"http://127.0.0.1:{port_a}"})
                async with running_app(build_notifier(live, clock)):
                    # Live work beside the history: an exchange and a practice in their first phases.
                    for topic, event in LIVE:
                        await publish_message(settings, topic(settings.topics), event)
                    # Every event of the six rows, the four catalogue entries and the live work, each applied once.
                    await eventually(lambda: count_is(database.journal, first.events + 4 + len(LIVE)), timeout=60,
                                     message="every imported event")
                    assert await database.item_facts.count_documents({}) == 8
                    assert await database.catalogue_facts.count_documents({}) == 4
                    await eventually(lambda: count_is(database.readers, 1, {}),
                                     message="the coordinator")
                    imported = await indicators_kept(settings)
                    assert expected_figures(imported) == (2, 2, 2, 2, 89, 2, 49, 2, 1, 5)

                    # A second import announces nothing: the item topic still holds the 6 proposals and 4 entries.
                    second = await import_history(settings, path, progress=False)
                    assert (second.imported, second.unchanged, second.catalogue_added) == (0, 6, 0)
                    # A corrected row is refused, not announced again over what was imported.
                    corrected = tmp_path / "corrected.jsonl"
                    rows = path.read_text().splitlines()
                    corrected.write_text("\n".join([json.dumps(json.loads(rows[0]) | {"title": "Otro título"}),
                                                    *rows[1:]]) + "\n")
                    third = await import_history(settings, corrected, progress=False)
                    assert (third.imported, third.unchanged) == (0, 5)
                    assert [error.reason for error in third.refused][-1] == (
                        "the row 'ap-2017-01' changed since it was imported; a row is imported once")
                    items = [parse_message(record.value, messages_on(TopicName.item_events))
                             for record in await read_topic(settings, settings.topics.item_events, expected=12)]
                    assert Counter(event.type for event in items) == {
                        "exchange.proposed": 5, "practice.proposed": 3, "catalogue.entry_recorded": 4}

                    await eventually(lambda: database.scheduled_runs.find_one({"run_key": "2026-W48"}),
                                     message="the pass at the start")
                    assert await database.reports.count_documents({}) == 0
                    # Monday 08:05 in Bogotá: both replicas wake at once; one digest for W49, with the whole history.
                    clock.set(MONDAY)
                    for replica in (replica_a, replica_b):
                        replica.runtime.scheduler.wake()
                    await eventually(lambda: count_is(database.reports, 1, {"kind": "digest"}),
                                     message="Monday's digest")
                    document = await _next_document(Chat(control, COORDINATOR, "es"))

            # A restart (a new replica) on the same Monday makes no new digest; the next Monday makes one.
            async with running_app(build_reporting(settings, clock)) as port:
                restarted_runs = await database.scheduled_runs.count_documents({"job": "reporting.weekly-digest"})
                clock.set(MONDAY + timedelta(days=7))
                async with running_app(replica_b := build_reporting(settings, clock)):
                    replica_b.runtime.scheduler.wake()
                    await eventually(lambda: count_is(database.reports, 2, {"kind": "digest"}),
                                     message="the next week's digest")
                assert [call["chat_id"] for call in await _documents_sent(control)] == [COORDINATOR]
                digests = [parse_message(record.value, messages_on(TopicName.reporting_events))
                           for record in await read_topic(settings, settings.topics.reporting_events, expected=2)]
                digests.sort(key=lambda digest: digest.payload.iso_week)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                    first_file = digests[0].payload.file
                    pdf = await client.get("/reports/download", params={"id": str(first_file.report_id),
                                                                         "key": first_file.download_key})
                    wrong_key = await client.get("/reports/download", params={"id": str(first_file.report_id),
                                                                               "key": "0" * 32})
        finally:
            await mongo.close()

    assert restarted_runs == 2  # W48 (none made) and W49
    assert [(digest.type, digest.payload.iso_week) for digest in digests] == [
        ("digest.generated", "2026-W49"), ("digest.generated", "2026-W50")]
    assert digests[0].payload.summary.startswith(
        "📊 Informe semanal del programa de buenas prácticas — semana 2026-W49")
    # The digest reports this administration (2024-2027): one exchange implemented, nothing shared yet.
    assert "Compartidas 0 de 20 buenas prácticas (0 %) y 1 de 48 oportunidades internacionales (2 %)" in \
        digests[0].payload.summary
    assert (document["document"]["file_name"], document["document"]["file_size"]) == ("bogota-2026-w49.pdf",
                                                                                     len(pdf.content))
    assert document["caption"] == digests[0].payload.summary
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert wrong_key.status_code == 404

    pages = [page.render(scale=1.5).to_pil() for page in pypdfium2.PdfDocument(io.BytesIO(pdf.content))]
    # The bullet charts: the value's bar and the target's mark; the pipeline's bars, one colour per line.
    assert coloured_pixels(pages[0], VALUE) > 40 and coloured_pixels(pages[0], TARGET) > 100
    assert any(coloured_pixels(page, LINE_COLOURS["aprende"]) > 500 for page in pages)
    assert any(coloured_pixels(page, LINE_COLOURS["ensena"]) > 200 for page in pages)

    # Damage reporting's facts; the rebuild from the journal gives back the same numbers.
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value(), tz_aware=True)
    try:
        database = mongo[settings.database_name("reporting")]
        await database.item_facts.delete_one({"_id": str(history_item_id("bogota", "en-2018-01"))})
        await database.item_facts.update_one({"_id": str(history_item_id("bogota", "ap-2017-01"))},
                                             {"$set": {"experts": []}})
    finally:
        await mongo.close()
    assert expected_figures(await indicators_kept(settings)) != (2, 2, 2, 2, 89, 2, 49, 2, 1, 5)
    rebuilt = await rebuild(settings)
    assert (rebuilt.items, rebuilt.catalogue, rebuilt.changed) == (8, 4, 2)
    assert rebuilt.before["2016-2019"] != rebuilt.after["2016-2019"]
    assert expected_figures(await indicators_kept(settings)) == (2, 2, 2, 2, 89, 2, 49, 2, 1, 5)
    again = await rebuild(settings)
    assert again.changed == 0 and again.before == again.after


async def _next_document(chat: Chat, most: int = 8) -> dict:
    """The next message with a document in the chat (the welcome and alerts of the live work come too)."""
    for _ in range(most):
        message = await chat.next()
        if message.get("document"):
            return message
    raise AssertionError(f"no document in chat {chat.user}")


async def _documents_sent(control: httpx.AsyncClient) -> list:
    return (await control.get("/sandbox/send_log", params={"method": "sendDocument"})).json()["calls"]
