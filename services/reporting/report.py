"""A report of the program as of one moment: the indicators for the period, the pipeline, what changed in the last
week (grouped by item), what is overdue (grouped by entity), deadlines, collaboration requests and decisions
waiting. The weekly digest, `/informe` and the dashboard all show one of these."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from puente.i18n import translate
from puente.wiring.city import CityConfig, Period
from puente.wiring.transaction import Transaction
from services.reporting.handlers import JOURNAL, read_facts
from services.reporting.indicators import MAX_LISTED, Indicators, compute_indicators
from services.reporting.projections import ItemFacts


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)
    item_id: str
    reference: str | None
    title: str | None
    events: list[str]  # event types, in order


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)
    city: str
    made_at: datetime
    week_from: date
    indicators: Indicators
    changes: list[Change]
    changed_items: int


def local_day(city: CityConfig, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(city.city.timezone)).date()


async def build_report(transaction: Transaction, city: CityConfig, now: datetime,
                       period: Period | None = None) -> Report:
    today = local_day(city, now)
    items, catalogue = await read_facts(transaction, city.city.slug)
    indicators = compute_indicators(items, catalogue, city, period or city.reporting.period_on(today), today)
    since = now - timedelta(days=7)
    journal = await transaction.collection(JOURNAL).find_from("occurred_at", since, city=city.city.slug)
    return Report(city=city.city.slug, made_at=now, week_from=local_day(city, since), indicators=indicators,
                  **changes_by_item(journal, {facts.id: facts for facts in items}, now))


def changes_by_item(journal: list, items: dict[str, ItemFacts], now: datetime) -> dict:
    by_item: dict[str, list[str]] = defaultdict(list)
    for entry in journal:
        if entry.occurred_at <= now and entry.subject in items:
            by_item[entry.subject].append(entry.type)
    changes = [Change(item_id=item_id, reference=items[item_id].reference, title=items[item_id].title, events=types)
               for item_id, types in by_item.items()]
    changes.sort(key=lambda change: (change.reference or "~", change.item_id))
    return {"changes": changes[:MAX_LISTED], "changed_items": len(changes)}


def percent(share: float, language: str) -> str:
    text = f"{share * 100:.0f} %"
    return text if language == "es" else text.replace(" ", "")


def status_line(report: Report, language: str) -> str:
    """The program's state in one line: the two targets, what is late and what waits for a coordinator."""
    indicators = report.indicators
    return translate(
        "report-status", language,
        shared=indicators.shared.value, shared_target=indicators.shared.target,
        shared_percent=percent(indicators.shared.share, language),
        opportunities=indicators.opportunities.value, opportunities_target=indicators.opportunities.target,
        opportunities_percent=percent(indicators.opportunities.share, language),
        overdue=len(indicators.overdue), waiting=len(indicators.waiting),
    )
