"""The words of a report, shared by the PDF and the dashboard: labels, figures and each listed line, in a
language."""

from __future__ import annotations

from collections import defaultdict

from puente.contracts.common import Line
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig
from services.reporting.charts import Bullet
from services.reporting.indicators import MAX_LISTED, Due, Indicators, OpenRequest, SurveyFigures, Waiting


def bullets(indicators: Indicators, language: str) -> list[Bullet]:
    return [Bullet(translate("report-target-shared", language), indicators.shared.value, indicators.shared.target),
            Bullet(translate("report-target-opportunities", language), indicators.opportunities.value,
                   indicators.opportunities.target)]


def pipeline_rows(indicators: Indicators, city: CityConfig, language: str) -> list[tuple[str, str, int]]:
    rows = []
    for line in Line:
        for phase in city.phases_of(line):
            count = indicators.pipeline.get(line.value, {}).get(phase.key, 0)
            rows.append((line.value, f"{city.lines[line].name.in_language(language)} · "
                                     f"{phase.name.in_language(language)}", count))
    return rows


def phase_or_key(city: CityConfig, line: Line | None, key: str, language: str) -> str:
    for candidate in ([line] if line else list(Line)):
        phase = next((phase for phase in city.phases_of(candidate) if phase.key == key), None)
        if phase is not None:
            return phase.name.in_language(language)
    return key


def entity_name(city: CityConfig, entity_id: str) -> str:
    entity = city.entities.get(entity_id)
    return entity.name if entity else entity_id or "—"


def item_label(reference: str | None, title: str | None) -> str:
    return f"{reference or '—'} «{title or '…'}»"


def due_line(due: Due, city: CityConfig, language: str) -> str:
    what = phase_or_key(city, None, due.what, language) if due.kind == "phase" else due.what
    if due.kind == "milestone":
        milestone = city.ensena.milestone(due.what)
        what = milestone.name.in_language(language) if milestone else due.what
    return translate(f"report-due-{due.kind}", language, item=item_label(due.reference, due.title), what=what,
                     due=due.due_on.isoformat(), days=due.days)


def aprende_rows(indicators: Indicators, language: str) -> list[tuple[str, int]]:
    aprende = indicators.aprende
    return [(translate("report-aprende-implemented", language), aprende.implemented),
            (translate("report-sectors", language), aprende.sectors),
            (translate("report-aprende-experts", language), aprende.experts),
            (translate("report-aprende-countries", language), aprende.countries),
            (translate("report-aprende-allies", language), aprende.allies),
            (translate("report-entities", language), aprende.entities),
            (translate("report-participants", language), aprende.participants)]


def ensena_rows(indicators: Indicators, language: str) -> list[tuple[str, int]]:
    ensena = indicators.ensena
    return [(translate("report-ensena-systematized", language), ensena.systematized),
            (translate("report-sectors", language), ensena.sectors),
            (translate("report-entities", language), ensena.entities),
            (translate("report-participants", language), ensena.participants),
            (translate("report-ensena-channels", language), ensena.channels)]


def overdue_by_entity(indicators: Indicators) -> dict[str, list[Due]]:
    """What is overdue, each entity's together (the list's first MAX_LISTED)."""
    grouped: dict[str, list[Due]] = defaultdict(list)
    for due in indicators.overdue[:MAX_LISTED]:
        grouped[due.entity_id].append(due)
    return grouped


def breakdown(counts: dict[str, int], prefix: str, language: str) -> str:
    return "; ".join(f"{translate(f'{prefix}{kind}', language)}: {count}" for kind, count in counts.items()) or "—"


def waiting_line(waiting: Waiting, city: CityConfig, language: str) -> str:
    detail = waiting.detail if waiting.what == "assign" else phase_or_key(city, None, waiting.detail, language)
    return translate(f"report-waiting-{waiting.what.replace('_', '-')}", language,
                     item=item_label(waiting.reference, waiting.title), detail=detail)


def request_line(request: OpenRequest, language: str) -> str:
    return translate("panel-request-assigned" if request.assigned else "panel-request-waiting", language,
                     item=item_label(request.reference, request.title), requester=request.requester,
                     country=request.country, day=request.requested_on.isoformat())


def surveys_line(surveys: SurveyFigures, language: str) -> str:
    if surveys.average is None:
        return translate("report-surveys-none", language)
    lowest = ", ".join(f"{reference} {decimal(average, language)}" for reference, average in surveys.lowest)
    return translate("report-surveys-average", language, average=decimal(surveys.average, language),
                     surveys=surveys.surveys, answers=surveys.answers, lowest=lowest)
