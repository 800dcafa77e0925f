"""Exports of reporting's facts for a period, as CSV, XLSX or JSON: the items, the phases they completed, the action
plans' commitments, the participants, and the indicators. The command line (`puente export`) and the dashboard
write the same files.

An item belongs to a period when it was under way at some time in it (proposed before the period ended, not
closed or withdrawn before it started); a phase, when it was completed in it; days are the city's."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from puente.wiring.city import CityConfig, Period
from services.reporting.indicators import Indicators, compute_indicators, local_day
from services.reporting.projections import CatalogueFacts, ItemFacts


class Table(StrEnum):
    items = "items"
    phases = "phases"
    commitments = "commitments"
    participants = "participants"
    indicators = "indicators"


class Form(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


MEDIA_TYPES = {Form.csv: "text/csv; charset=utf-8",
               Form.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               Form.json: "application/json"}

COLUMNS = {
    Table.items: ["item_id", "reference", "line", "entity", "sector", "title", "proposed_on", "status", "phase",
                  "phase_due_on", "closed_on", "decision"],
    Table.phases: ["item_id", "reference", "line", "phase", "completed_on"],
    Table.commitments: ["item_id", "reference", "number", "entity", "action", "due_on", "status", "progress_percent"],
    Table.participants: ["item_id", "reference", "line", "phase", "participant_type", "count"],
    Table.indicators: ["indicator", "value", "target"],
}


def under_way_in(facts: ItemFacts, period: Period, zone: ZoneInfo) -> bool:
    started = local_day(facts.proposed_at or min(facts.completed.values(), default=None), zone)
    if started is None or started > period.ends_on:
        return False
    return facts.closed_at is None or local_day(facts.closed_at, zone) >= period.starts_on


def indicator_rows(indicators: Indicators) -> list[dict[str, Any]]:
    rows = [{"indicator": "shared", "value": indicators.shared.value, "target": indicators.shared.target},
            {"indicator": "opportunities", "value": indicators.opportunities.value,
             "target": indicators.opportunities.target}]
    for line, figures in (("aprende", indicators.aprende), ("ensena", indicators.ensena)):
        for name, value in figures.model_dump().items():
            if isinstance(value, dict):
                rows += [{"indicator": f"{line}.{name}.{kind}", "value": count, "target": None}
                         for kind, count in value.items()]
            else:
                rows.append({"indicator": f"{line}.{name}", "value": value, "target": None})
    for line, phases in indicators.pipeline.items():
        rows += [{"indicator": f"pipeline.{line}.{phase}", "value": count, "target": None}
                 for phase, count in phases.items()]
    rows += [{"indicator": "overdue", "value": len(indicators.overdue), "target": None},
             {"indicator": "deadlines", "value": len(indicators.deadlines), "target": None},
             {"indicator": "requests_open", "value": indicators.requests_open, "target": None},
             {"indicator": "requests_unassigned", "value": indicators.requests_unassigned, "target": None},
             {"indicator": "surveys.average", "value": indicators.surveys.average, "target": None}]
    return rows


def table_rows(table: Table, items: Iterable[ItemFacts], catalogue: Mapping[str, CatalogueFacts], city: CityConfig,
               period: Period, today: date) -> list[dict[str, Any]]:
    items = [facts for facts in items if facts.city == city.city.slug and facts.line is not None]
    zone = ZoneInfo(city.city.timezone)
    if table is Table.indicators:
        return indicator_rows(compute_indicators(items, catalogue, city, period, today))
    rows: list[dict[str, Any]] = []
    for facts in sorted(items, key=lambda facts: (facts.reference or "~", facts.id)):
        common = {"item_id": facts.id, "reference": facts.reference}
        if table is Table.phases:
            completed = sorted((moment, key) for key, moment in facts.completed.items())
            rows += [{**common, "line": facts.line.value, "phase": key, "completed_on": local_day(moment, zone)}
                     for moment, key in completed if period.holds(local_day(moment, zone))]
            continue
        if not under_way_in(facts, period, zone):
            continue
        if table is Table.items:
            rows.append({**common, "line": facts.line.value, "entity": facts.entity_id, "sector": facts.sector,
                         "title": facts.title, "proposed_on": local_day(facts.proposed_at, zone),
                         "status": facts.status, "phase": facts.phase_key, "phase_due_on": facts.phase_due_on,
                         "closed_on": local_day(facts.closed_at, zone),
                         "decision": facts.decision})
        elif table is Table.commitments:
            rows += [{**common, "number": commitment.number, "entity": commitment.entity_id,
                      "action": commitment.action, "due_on": commitment.due_on, "status": commitment.status.value,
                      "progress_percent": commitment.progress_percent}
                     for commitment in sorted(facts.commitments, key=lambda commitment: commitment.number)]
        elif table is Table.participants:
            rows += [{**common, "line": facts.line.value, "phase": phase or None, "participant_type": str(kind),
                      "count": count}
                     for phase, counts in sorted(facts.participants.items()) for kind, count in counts.items()]
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")


def _safe_for_spreadsheets(value: Any) -> Any:
    """A text a person typed that starts like a formula is written as text in a CSV (formula injection)."""
    return "'" + value if _formula_like(value) else value


def _xlsx_cell(sheet, value: Any) -> Any:
    """In an XLSX, such a text is a string cell, never a formula (and keeps its text as typed)."""
    if not _formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write(table: Table, form: Form, rows: list[dict[str, Any]]) -> bytes:
    columns = COLUMNS[table]
    if form is Form.json:
        return json.dumps([{column: _cell(row.get(column)) for column in columns} for row in rows],
                          ensure_ascii=False, indent=1).encode()
    if form is Form.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_safe_for_spreadsheets(_cell(row.get(column))) for column in columns])
        return buffer.getvalue().encode("utf-8-sig")  # the mark lets spreadsheets read the accents
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.value)
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, _cell(row.get(column))) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(city: CityConfig, table: Table, period: Period, form: Form) -> str:
    return f"{city.city.slug}-{table.value}-{period.key}.{form.value}"
