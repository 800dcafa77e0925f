"""Reporting's cost as the program grows (`.venv/bin/python -m bench.reporting`): for 1,000, 10,000 and 100,000 past
items, the seconds and peak memory of the indicators and of a full digest (the report, its charts and its PDF), so
the growth is visible; and the history import's rate in items per second.

The items are synthetic history rows (both lines, spread over 2016-2027, experts and allies drawn from pools, some
collaboration requests and promotions), turned into events by the import's own code and applied by reporting's own
projection, all in this process. With `--servers ROWS`, on throw-away Kafka and SecantusDB servers, the import
also runs for real (`puente import`) on a file of that many rows, which gives its end-to-end rate, and a digest is
built from facts stored in the database (1,000 and 10,000 items), which adds the reading to the figures."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from puente.contracts.envelope import IMPORT_ACTOR
from puente.contracts.knowledge import CatalogueEntryRecorded, CatalogueEntryRecordedPayload
from puente.wiring.city import load_city_config
from puente.wiring.logging import configure_logging
from puente.wiring.settings import Settings
from services.reporting.history import past_items
from services.reporting.indicators import compute_indicators
from services.reporting.pdf import render_pdf
from services.reporting.projections import apply_to_catalogue, apply_to_item
from services.reporting.report import Report

SIZES = (1_000, 10_000, 100_000)
CITY = load_city_config(Settings())
NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


def rows(count: int, seed: int = 7) -> list[dict]:
    """`count` history rows of the city's entities and phases."""
    chance = random.Random(seed)
    entities = list(CITY.entities.items())
    aprende = [phase.key for phase in CITY.phases_of("aprende")]
    ensena = [phase.key for phase in CITY.phases_of("ensena")]
    countries = ["DK", "NL", "DE", "FI", "ES", "FR", "GB", "US", "CA", "MX", "BR", "CL", "JP", "KR", "AU", "NZ"]
    made = []
    for number in range(count):
        key, entity = entities[number % len(entities)]
        line = "aprende" if number % 3 else "ensena"
        proposed = date(2016, 1, 4) + timedelta(days=chance.randrange(0, 4000))
        keys = aprende if line == "aprende" else ensena
        reached = chance.randrange(0, len(keys) + 1)
        day, completed = proposed, {}
        for phase in keys[:reached]:
            day += timedelta(days=chance.randrange(10, 60))
            completed[phase] = day.isoformat()
        row = {"key": f"{line[:2]}-{number}", "line": line, "entity": key, "sector": entity.sector,
               "title": f"Práctica {number}", "description": "Una práctica del programa, con su necesidad y su "
               "contexto, como la describiría la entidad.", "proposed_on": proposed.isoformat(),
               "phases_completed": completed,
               "participants": {"public_local": chance.randrange(5, 60), "academia": chance.randrange(0, 8)}}
        if line == "aprende":
            row["experts"] = [{"key": f"expert-{chance.randrange(count // 10 + 1)}", "name": "Experta",
                               "organisation": "Ciudad", "organisation_type": "public_sector",
                               "country": chance.choice(countries)} for _ in range(chance.randrange(1, 3))]
            row["allies"] = [{"key": f"ally-{chance.randrange(30)}", "name": "Aliado", "support": "both"}]
        elif chance.random() < 0.5:
            row["promotions"] = [{"channel": "international_event", "name": f"Foro {chance.randrange(50)}",
                                  "held_on": day.isoformat(), "city": "Lima", "country": "PE"}]
            row["collaboration_requests"] = [{"requester": "Ciudad", "city": "Quito", "country": "EC",
                                              "kind": "information", "description": "Una pregunta.",
                                              "requested_on": day.isoformat()}]
        made.append(row)
    return made


def write_rows(folder: Path, count: int) -> Path:
    path = folder / f"history-{count}.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows(count)) + "\n")
    return path


def facts_of(items):
    """Past items as reporting's facts: their events, applied by reporting's projection."""
    facts, catalogue = {}, {}
    for item in items:
        for entry in item.catalogue:
            recorded = CatalogueEntryRecorded.new(
                payload=CatalogueEntryRecordedPayload(key=entry.key, entry=entry.entry, created=True),
                actor=IMPORT_ACTOR, city=CITY.city.slug)
            catalogue[f"{entry.entry.kind}:{entry.key}"] = apply_to_catalogue(
                catalogue.get(f"{entry.entry.kind}:{entry.key}"), recorded)
        for event in item.events:
            facts[str(event.payload.item_id)] = apply_to_item(facts.get(str(event.payload.item_id)), event)
    return list(facts.values()), catalogue, sum(len(item.events) for item in items)


def measured(work):
    """The work's result and seconds (untraced), then its peak of allocated memory (a second, traced run)."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def in_process(folder: Path) -> None:
    print("Reporting, in this process (no servers)")
    print(f"{'items':>8} {'rows→events/s':>14} {'events→facts/s':>15} {'indicators s':>13} {'peak MiB':>9} "
          f"{'digest s':>9} {'peak MiB':>9} {'PDF KiB':>8}")
    period = CITY.reporting.period_on(NOW.date())
    render_pdf(Report(city=CITY.city.slug, made_at=NOW, week_from=NOW.date(), changes=[], changed_items=0,
                      indicators=compute_indicators([], {}, CITY, period, NOW.date())), CITY, "es", "—")  # warm up
    for size in SIZES:
        path = write_rows(folder, size)
        started = time.perf_counter()
        past, errors = past_items(path, CITY)
        preparing = time.perf_counter() - started
        assert not errors, errors[:3]
        started = time.perf_counter()
        items, catalogue, events = facts_of(past)
        applying = time.perf_counter() - started
        indicators, indicators_seconds, indicators_peak = measured(
            lambda items=items, catalogue=catalogue: compute_indicators(items, catalogue, CITY, period, NOW.date()))

        def digest(items=items, catalogue=catalogue) -> bytes:
            report = Report(city=CITY.city.slug, made_at=NOW, week_from=NOW.date() - timedelta(days=7),
                            indicators=compute_indicators(items, catalogue, CITY, period, NOW.date()),
                            changes=[], changed_items=0)
            return render_pdf(report, CITY, "es", "Informe semanal")

        pdf, digest_seconds, digest_peak = measured(digest)
        print(f"{size:>8,} {size / preparing:>14,.0f} {events / applying:>15,.0f} "
              f"{indicators_seconds:>13.2f} {indicators_peak:>9.1f} {digest_seconds:>9.2f} {digest_peak:>9.1f} "
              f"{len(pdf) / 1024:>8.0f}")
        assert indicators.aprende.implemented > 0


async def with_servers(settings: Settings, folder: Path, count: int) -> None:
    """The real import's rate, then a digest read from the database: facts of 1,000 and 10,000 items stored in
    reporting's collection, the report built from them in one transaction and its PDF drawn."""
    from puente.wiring.service import build_runtime
    from puente.wiring.storage import to_document
    from services.reporting.admin import import_history
    from services.reporting.handlers import ITEM_FACTS
    from services.reporting.report import build_report

    path = write_rows(folder, count)
    started = time.perf_counter()
    outcome = await import_history(settings, path, progress=False)
    seconds = time.perf_counter() - started
    print(f"puente import, real servers: {outcome.imported:,} rows ({outcome.events:,} events, "
          f"{outcome.catalogue_added:,} catalogue entries) in {seconds:.1f} s: {outcome.imported / seconds:,.0f} "
          f"items/s")
    started = time.perf_counter()
    again = await import_history(settings, path, progress=False)
    print(f"the same file again: {again.unchanged:,} unchanged in {time.perf_counter() - started:.1f} s")
    for size in (1_000, 10_000):
        runtime = build_runtime("reporting", settings)
        try:
            collection = runtime.database[ITEM_FACTS.collection]
            await collection.delete_many({})
            items, _, _ = facts_of(past_items(write_rows(folder, size), CITY)[0])
            await collection.insert_many([to_document(facts) for facts in items])
            started = time.perf_counter()
            report = await runtime.unit_of_work.run(lambda transaction: build_report(transaction, CITY, NOW))
            reading = time.perf_counter() - started
            started = time.perf_counter()
            render_pdf(report, CITY, "es", "Informe semanal")
            print(f"digest of {size:,} items from SecantusDB: report {reading:.2f} s, PDF "
                  f"{time.perf_counter() - started:.2f} s")
        finally:
            await runtime.mongo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, default=0, metavar="ROWS",
                        help="also import this many rows for real, on throw-away servers")
    arguments = parser.parse_args()
    configure_logging("bench", "ERROR", "console")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        in_process(Path(folder))
        if not arguments.servers:
            return
        from bench.servers import on_throwaway_servers

        on_throwaway_servers(lambda settings: with_servers(settings, Path(folder), arguments.servers))


if __name__ == "__main__":
    main()
