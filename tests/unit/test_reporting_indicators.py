"""Reporting in memory: the example history's events kept as facts, and the indicators they give, exactly; the
same events in another order, or twice, give the same figures."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from puente.contracts.envelope import IMPORT_ACTOR
from puente.contracts.knowledge import CatalogueEntryRecorded, CatalogueEntryRecordedPayload
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.reporting.handlers import read_facts
from services.reporting.history import past_items
from services.reporting.indicators import compute_indicators
from tests.helpers import in_memory_service

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "history" / "bogota-example.jsonl"
CITY = load_city_config(Settings())
ADMINISTRATION = CITY.reporting.period("2016-2019")
TODAY = date(2019, 12, 31)


def history_events(path: Path = EXAMPLE) -> list:
    items, errors = past_items(path, CITY)
    assert errors == []
    events = []
    for item in items:
        events += [CatalogueEntryRecorded.new(payload=CatalogueEntryRecordedPayload(key=entry.key, entry=entry.entry,
                                                                                    created=True),
                                              actor=IMPORT_ACTOR, city=CITY.city.slug) for entry in item.catalogue]
        events += item.events
    return events


async def indicators_after(events: list, today: date = TODAY):
    reporting = in_memory_service("reporting", Settings())
    outcomes = [await reporting.dispatch(event) for event in events]
    items, catalogue = await reporting.unit_of_work.run(lambda transaction: read_facts(transaction, "bogota"))
    return compute_indicators(items, catalogue, CITY, ADMINISTRATION, today), outcomes


async def test_the_example_history_gives_exactly_its_indicators():
    indicators, outcomes = await indicators_after(history_events())
    assert set(outcomes) == {"applied"}
    aprende, ensena = indicators.aprende, indicators.ensena
    # Two exchanges reached the exchange phase's end; the third stopped in matching. Mette took part in both.
    assert (aprende.implemented, aprende.sectors, aprende.entities, aprende.experts, aprende.countries,
            aprende.allies, aprende.participants) == (2, 2, 2, 2, 2, 2, 89)
    assert aprende.experts_by_type == {"academia": 1, "public_sector": 1}
    assert aprende.participants_by_type == {"academia": 6, "civil_society": 5, "public_local": 74,
                                            "public_national": 4}
    assert (ensena.systematized, ensena.sectors, ensena.entities, ensena.participants) == (2, 2, 2, 49)
    assert ensena.channels_by_kind == {"international_event": 1, "network": 1}
    # Shared: systematized and promoted or asked about (TransMilenio only). Opportunities: 2 exchanges, 1 request,
    # 2 promotions at an international event and a network.
    assert (indicators.shared.value, indicators.shared.target) == (1, 20)
    assert (indicators.opportunities.value, indicators.opportunities.target) == (5, 48)
    # Imported items are history: they count in their periods, not in today's pipeline.
    assert indicators.pipeline == {"aprende": {}, "ensena": {}}
    assert indicators.requests_open == 0


async def test_the_period_and_the_day_decide_what_counts():
    events = history_events()
    before_the_second_exchange, _ = await indicators_after(events, today=date(2018, 4, 19))
    assert before_the_second_exchange.aprende.implemented == 1
    assert before_the_second_exchange.aprende.experts_by_type == {"public_sector": 1}
    reporting_later, _ = await indicators_after(events, today=date(2021, 1, 1))
    later = compute_indicators(*(await _facts(events)), CITY, CITY.reporting.period("2020-2023"), date(2021, 1, 1))
    assert reporting_later.aprende.implemented == 2 and later.aprende.implemented == 0 and later.shared.value == 0


async def _facts(events):
    reporting = in_memory_service("reporting", Settings())
    for event in events:
        await reporting.dispatch(event)
    return await reporting.unit_of_work.run(lambda transaction: read_facts(transaction, "bogota"))


async def test_the_same_events_twice_or_shuffled_give_the_same_figures():
    events = history_events()
    in_order, _ = await indicators_after(events)
    twice, outcomes = await indicators_after(events + events)
    assert outcomes[len(events):] == ["duplicate"] * len(events)
    # Each item's events keep their order (one partition per item); items interleave any way.
    by_item: dict[str, list] = {}
    for event in events:
        by_item.setdefault(event.aggregate_id(), []).append(event)
    shuffled, rng = [], random.Random(7)
    queues = list(by_item.values())
    while queues:
        queue = rng.choice(queues)
        shuffled.append(queue.pop(0))
        queues = [queue for queue in queues if queue]
    interleaved, _ = await indicators_after(shuffled)
    assert in_order == twice == interleaved


def test_rows_that_do_not_fit_are_refused_with_their_line_and_reason(tmp_path):
    good = EXAMPLE.read_text().splitlines()[0]
    unknown_entity = json.loads(good) | {"key": "other", "entity": "nope"}
    out_of_order = json.loads(good) | {"key": "third", "phases_completed": {"matching": "2017-03-15"}}
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join([good, "{not json", json.dumps(unknown_entity), good, json.dumps(out_of_order),
                               json.dumps({"key": "x"})]) + "\n")
    items, errors = past_items(path, CITY)
    assert [item.line_number for item in items] == [1]
    assert [error.line_number for error in errors] == [2, 3, 4, 5, 6]
    assert "not JSON" in errors[0].reason and "unknown entity 'nope'" in errors[1].reason
    assert "used by an earlier row" in errors[2].reason and "first phases of the line" in errors[3].reason
    assert "line" in errors[4].reason  # a required field is missing


def test_no_broken_row_stops_the_others(tmp_path):
    good = EXAMPLE.read_text().splitlines()[0].encode()
    too_many = json.dumps(json.loads(good) | {"key": "many", "participants": {"academia": 100_001}}).encode()
    broken = [b"\xff\xfe not UTF-8", b"[" * 30_000 + b"]" * 30_000, b'{"key": 1' + b"1" * 5_000 + b"}", too_many]
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"\n".join([*broken, good]) + b"\n")
    items, errors = past_items(path, CITY)
    assert [item.line_number for item in items] == [5]
    assert [error.line_number for error in errors] == [1, 2, 3, 4]
    assert errors[0].reason == "not UTF-8 text" and "RecursionError" in errors[1].reason
    assert "ValueError" in errors[2].reason and "participants" in errors[3].reason


def test_each_past_item_has_a_code_its_own(tmp_path):
    items, _ = past_items(EXAMPLE, CITY)
    codes = [item.events[0].payload.reference for item in items]
    assert codes[0].startswith("AP-2017-") and codes[3].startswith("EN-2018-") and len(set(codes)) == 5
    assert codes == [item.events[0].payload.reference for item in past_items(EXAMPLE, CITY)[0]], "stable"
    first, second = (json.loads(line) for line in EXAMPLE.read_text().splitlines()[:2])
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(row | {"reference": "AP-2017-0001"}) for row in (first, second)) + "\n")
    items, errors = past_items(path, CITY)
    assert [item.events[0].payload.reference for item in items] == ["AP-2017-0001"]
    assert [(error.line_number, error.reason) for error in errors] == [
        (2, "the code AP-2017-0001 is used by an earlier row (give this row a `reference`)")]
