"""A report as a PDF document, in one language: fpdf2 (pure Python, from PyPI alone) with the DejaVu fonts that
matplotlib carries, so any name a person typed prints, and matplotlib's charts as images."""

from __future__ import annotations

import struct
from collections import defaultdict
from pathlib import Path

import matplotlib
from fpdf import FPDF

from puente.contracts.common import Line
from puente.i18n import translate
from puente.wiring.city import CityConfig
from services.reporting.charts import bullet_chart, pipeline_chart
from services.reporting.report import MAX_LISTED, Report, status_line
from services.reporting.texts import (
    aprende_rows,
    breakdown,
    bullets,
    due_line,
    ensena_rows,
    entity_name,
    item_label,
    overdue_by_entity,
    pipeline_rows,
    request_line,
    surveys_line,
    waiting_line,
)

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"


class ReportDocument(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=9.5)

    def chart(self, title: str, png: bytes, width: float = 180) -> None:
        """A heading and its chart, on a new page if the chart would not fit under the heading."""
        pixels_wide, pixels_high = struct.unpack(">II", png[16:24])  # the PNG header's size
        height = width * pixels_high / pixels_wide
        if self.will_page_break(height + 12):
            self.add_page()
        self.heading(title)
        self.image(png, w=width)

    def line_of_text(self, text: str, indent: float = 0) -> None:
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def figures(self, rows: list[tuple[str, int]]) -> None:
        for label, value in rows:
            self.set_x(self.l_margin)
            self.cell(120, 5.5, label)
            self.cell(0, 5.5, str(value), new_x="LMARGIN", new_y="NEXT", align="R")

    def more(self, shown: int, total: int, language: str) -> None:
        if total > shown:
            self.line_of_text(translate("report-and-more", language, count=total - shown))


def render_pdf(report: Report, city: CityConfig, language: str, title: str) -> bytes:
    indicators = report.indicators
    period = city.reporting.period(indicators.period)
    document = ReportDocument(translate("report-footer", language, city=city.city.name,
                                        day=indicators.as_of.isoformat()))
    document.add_page()
    document.set_font(FONT, "B", 16)
    document.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=10)
    document.line_of_text(translate("report-subtitle", language, office=city.city.office.in_language(language),
                                    period=period.name.in_language(language) if period else indicators.period,
                                    day=indicators.as_of.isoformat()))
    document.ln(2)
    document.set_font(FONT, "B", 10.5)
    document.line_of_text(status_line(report, language))

    document.chart(translate("report-targets", language), bullet_chart(bullets(indicators, language)))

    aprende, ensena = indicators.aprende, indicators.ensena
    document.heading(city.lines[Line.aprende].name.in_language(language))
    document.figures(aprende_rows(indicators, language))
    document.line_of_text(translate("report-experts-by-type", language,
                                    types=breakdown(aprende.experts_by_type, "organisation-type-", language)))
    document.line_of_text(translate("report-participants-by-type", language,
                                    types=breakdown(aprende.participants_by_type, "participant-", language)))

    document.heading(city.lines[Line.ensena].name.in_language(language))
    document.figures(ensena_rows(indicators, language))
    document.line_of_text(translate("report-channels-by-kind", language,
                                    kinds=breakdown(ensena.channels_by_kind, "channel-", language)))
    document.line_of_text(translate("report-participants-by-type", language,
                                    types=breakdown(ensena.participants_by_type, "participant-", language)))

    document.chart(translate("report-pipeline", language), pipeline_chart(pipeline_rows(indicators, city, language)))
    on_hold = sum(indicators.on_hold.values())
    if on_hold:
        document.line_of_text(translate("report-on-hold", language, count=on_hold))

    document.heading(translate("report-changes", language, count=report.changed_items,
                               since=report.week_from.isoformat()))
    for change in report.changes:
        kinds = defaultdict(int)
        for event_type in change.events:
            kinds[event_type] += 1
        what = ", ".join(translate(f"change-{kind.replace('.', '-')}", language) + (f" ×{count}" if count > 1 else "")
                         for kind, count in kinds.items())
        document.line_of_text(f"• {item_label(change.reference, change.title)}: {what}")
    document.more(len(report.changes), report.changed_items, language)

    document.heading(translate("report-overdue", language, count=len(indicators.overdue)))
    for entity_id, dues in overdue_by_entity(indicators).items():
        document.set_font(FONT, "B", 9.5)
        document.line_of_text(entity_name(city, entity_id))
        document.set_font(FONT, size=9.5)
        for due in dues:
            document.line_of_text(f"• {due_line(due, city, language)}", indent=4)
    document.more(min(len(indicators.overdue), MAX_LISTED), len(indicators.overdue), language)

    document.heading(translate("report-deadlines", language, days=city.reporting.deadline_days,
                               count=len(indicators.deadlines)))
    for due in indicators.deadlines[:MAX_LISTED]:
        document.line_of_text(f"• {entity_name(city, due.entity_id)}: {due_line(due, city, language)}")
    document.more(min(len(indicators.deadlines), MAX_LISTED), len(indicators.deadlines), language)

    document.heading(translate("report-requests", language, open=indicators.requests_open,
                               unassigned=indicators.requests_unassigned))
    for request in indicators.open_requests[:MAX_LISTED]:
        document.line_of_text(f"• {request_line(request, language)}")
    document.more(min(len(indicators.open_requests), MAX_LISTED), len(indicators.open_requests), language)
    document.heading(translate("report-waiting", language, count=len(indicators.waiting)))
    for waiting in indicators.waiting[:MAX_LISTED]:
        document.line_of_text(f"• {waiting_line(waiting, city, language)}")
    document.more(min(len(indicators.waiting), MAX_LISTED), len(indicators.waiting), language)

    document.heading(translate("report-surveys", language))
    document.line_of_text(surveys_line(indicators.surveys, language))
    return bytes(document.output())
