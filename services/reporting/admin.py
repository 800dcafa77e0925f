"""Reporting's command-line work: the history import (`puente import`), exports (`puente export`) and the rebuild of
its facts from its journal (`puente reporting rebuild`).

The import has no back door into reporting: the experts and allies a row names go into the catalogue through
intake's rules (in intake's database and outbox, like `puente catalogue load`; an entry the catalogue already has
is left as it is), and each row's story is announced as the very events live work announces, through the
importer's own outbox, which this command publishes to Kafka. Every service then takes them in as it takes anything
(phases starts no course and the notifier tells no one: see `IMPORT_ACTOR`). The importer remembers each row's
content: the same row again announces nothing, and a changed row is refused (its events would add to what the
first import told, not replace it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from tqdm import tqdm

from puente.contracts.envelope import IMPORT_ACTOR, derived_id
from puente.contracts.knowledge import CatalogueEntryRecorded, RecordCatalogueEntry, entry_id
from puente.contracts.parsing import parse_message
from puente.wiring.city import CityConfig, load_city_config
from puente.wiring.dispatch import Dispatcher
from puente.wiring.messaging import ensure_topics
from puente.wiring.service import ServiceRuntime, build_runtime
from puente.wiring.settings import Settings
from puente.wiring.storage import Stored, from_document, to_document
from puente.wiring.transaction import Transaction
from services.reporting import exports
from services.reporting.handlers import CATALOGUE_FACTS, ITEM_FACTS, JOURNAL, read_facts
from services.reporting.history import PastItem, RowError, past_items
from services.reporting.indicators import Indicators, compute_indicators
from services.reporting.projections import ITEM_RULES, CatalogueFacts, ItemFacts, apply_to_catalogue, apply_to_item
from services.reporting.report import local_day

PROGRESS_FROM_ROWS = 200  # a file with more rows than this shows a progress bar


class ImportedRow(BaseModel):
    """A row the importer announced: its key, the fingerprint of its content, when, and how many events."""

    model_config = ConfigDict(frozen=True)
    id: str  # the row's key
    fingerprint: str
    imported_at: datetime
    events: int


IMPORTED_ROWS = Stored("imported_rows", ImportedRow)


@dataclass
class ImportOutcome:
    imported: int = 0
    unchanged: int = 0
    events: int = 0
    catalogue_added: int = 0
    refused: list[RowError] = field(default_factory=list)


async def _add_to_catalogue(settings: Settings, items: list[PastItem]) -> int:
    """The experts and allies the rows name that the catalogue does not have yet, through intake's rules."""
    from services.intake.app import register
    from services.intake.catalogue import CATALOGUE
    from services.intake.handlers import IntakeHandlers

    runtime = build_runtime("intake", settings)
    handlers = IntakeHandlers(settings.topics, load_city_config(settings), runtime.clock)
    register(runtime)
    dispatcher = Dispatcher({RecordCatalogueEntry: handlers.record_as_operator}, runtime.unit_of_work)
    wanted = {entry_id(entry.entry.kind, entry.key): entry for item in items for entry in item.catalogue}
    added = 0
    try:
        await runtime.set_up_database()
        for key, entry in wanted.items():
            known = await runtime.unit_of_work.run(lambda transaction, key=key: transaction.collection(CATALOGUE)
                                                   .get(key))
            if known is not None:
                continue
            command = RecordCatalogueEntry.new(payload=entry, actor=IMPORT_ACTOR, city=settings.city,
                                               event_id=derived_id("history-catalogue", settings.city, key))
            added += await dispatcher.dispatch(command) == "applied"
        await _publish(runtime)
    finally:
        await runtime.mongo.close()
    return added


async def _publish(runtime: ServiceRuntime) -> None:
    """Publish the runtime's outbox now (no service runs this relay), then let go of the broker."""
    await runtime.broker.connect()
    try:
        while await runtime.relay.publish_pending():
            pass
    finally:
        await runtime.relay.lease.release()
        await runtime.broker.stop()


async def import_history(settings: Settings, path: Path, progress: bool = True) -> ImportOutcome:
    city = load_city_config(settings)
    items, refused = past_items(path, city)
    outcome = ImportOutcome(refused=refused)
    await ensure_topics(settings)
    outcome.catalogue_added = await _add_to_catalogue(settings, items)
    runtime = build_runtime("importer", settings)
    runtime.keeps(IMPORTED_ROWS)
    try:
        await runtime.set_up_database()
        for item in tqdm(items, desc="import", unit="row", disable=not progress or len(items) <= PROGRESS_FROM_ROWS):
            async def announce(transaction: Transaction, item: PastItem = item) -> str:
                rows = transaction.collection(IMPORTED_ROWS)
                earlier = await rows.get(item.row.key)
                if earlier is not None:
                    return "unchanged" if earlier.fingerprint == item.fingerprint else "changed"
                for event in item.events:
                    await transaction.announce(settings.topics.of(event), event)
                await rows.save(ImportedRow(id=item.row.key, fingerprint=item.fingerprint,
                                            imported_at=runtime.clock(), events=len(item.events)))
                return "imported"

            announced = await runtime.unit_of_work.run(announce)
            if announced == "imported":
                outcome.imported += 1
                outcome.events += len(item.events)
            elif announced == "unchanged":
                outcome.unchanged += 1
            else:  # announcing it again would add to what the first import told, not replace it
                outcome.refused.append(RowError(item.line_number, f"the row {item.row.key!r} changed since it was "
                                                "imported; a row is imported once"))
        await _publish(runtime)
    finally:
        await runtime.mongo.close()
    return outcome


# --- exports ----------------------------------------------------------------------------------------------------


async def export_table(settings: Settings, table: exports.Table, form: exports.Form, period_key: str | None) -> bytes:
    city = load_city_config(settings)
    runtime = build_runtime("reporting", settings)
    try:
        today = local_day(city, runtime.clock())
        period = city.reporting.period(period_key) if period_key else city.reporting.period_on(today)
        if period is None:
            raise ValueError(f"the city file has no period {period_key!r}: "
                             f"{[known.key for known in city.reporting.periods]}")
        items, catalogue = await runtime.unit_of_work.run(lambda transaction: read_facts(transaction, city.city.slug))
        return exports.write(table, form, exports.table_rows(table, items, catalogue, city, period, today))
    finally:
        await runtime.mongo.close()


# --- rebuild ----------------------------------------------------------------------------------------------------


@dataclass
class Rebuilt:
    events: int
    items: int
    catalogue: int
    changed: int  # facts that differed from what the journal gives (and were replaced), or were missing or extra
    before: dict[str, Indicators]  # each period's, from the facts as they were
    after: dict[str, Indicators]  # and as rebuilt


REPLAYED = (*ITEM_RULES, CatalogueEntryRecorded)


def replay(journal: list[dict]) -> tuple[dict[str, ItemFacts], dict[str, CatalogueFacts]]:
    """The facts the journal's events give, each subject's events in the order they were applied live."""
    items: dict[str, ItemFacts] = {}
    catalogue: dict[str, CatalogueFacts] = {}
    for entry in sorted(journal, key=lambda entry: (entry["subject"], entry["seq"])):
        event = parse_message(json.dumps(entry["event"]).encode(), REPLAYED)
        if isinstance(event, CatalogueEntryRecorded):
            catalogue[entry["subject"]] = apply_to_catalogue(catalogue.get(entry["subject"]), event)
        else:
            items[entry["subject"]] = apply_to_item(items.get(entry["subject"]), event)
    return items, catalogue


def _figures(city: CityConfig, items, catalogue, today) -> dict[str, Indicators]:
    items = list(items)
    return {period.key: compute_indicators(items, catalogue, city, period, today) for period in city.reporting.periods}


def _differences(stored: dict, rebuilt: dict) -> int:
    return sum(1 for key in stored.keys() | rebuilt.keys() if stored.get(key) != rebuilt.get(key))


async def rebuild(settings: Settings) -> Rebuilt:
    """Rebuild reporting's facts from scratch from its journal; how many differed, and every period's indicators
    before and after are returned, so the operator sees what changed. Run it with reporting stopped, or run it
    again if events kept arriving."""
    city = load_city_config(settings)
    runtime = build_runtime("reporting", settings)
    database = runtime.database
    try:
        today = local_day(city, runtime.clock())
        stored_items = {document["_id"]: from_document(ItemFacts, document)
                        async for document in database[ITEM_FACTS.collection].find({"city": city.city.slug})}
        stored_catalogue = {document["_id"]: from_document(CatalogueFacts, document)
                            async for document in database[CATALOGUE_FACTS.collection].find({"city": city.city.slug})}
        before = _figures(city, stored_items.values(), stored_catalogue, today)
        journal = await database[JOURNAL.collection].find({"city": city.city.slug}).to_list()
        items, catalogue = replay(journal)
        for kind, rebuilt in ((ITEM_FACTS, items), (CATALOGUE_FACTS, catalogue)):
            await database[kind.collection].delete_many({"city": city.city.slug, "_id": {"$nin": list(rebuilt)}})
            for facts in rebuilt.values():
                await database[kind.collection].replace_one({"_id": facts.id}, to_document(facts), upsert=True)
        after = _figures(city, items.values(), catalogue, today)
        changed = _differences(stored_items, items) + _differences(stored_catalogue, catalogue)
        return Rebuilt(len(journal), len(items), len(catalogue), changed, before, after)
    finally:
        await runtime.mongo.close()
