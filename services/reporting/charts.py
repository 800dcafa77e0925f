"""The report's charts, drawn with matplotlib: the targets as bullet charts and the pipeline as bars. Each chart
comes as PNG (for the PDF) or SVG (for the dashboard). Figures are made without pyplot's global state, so reports
can be drawn in worker threads side by side."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BANDS = ("#e6e6e6", "#cfcfcf", "#b3b3b3")  # poor, fair, good: up to 50 %, 80 % and 100 % of the target
VALUE = "#1f4e79"
TARGET = "#c0392b"
LINE_COLOURS = {"aprende": "#2e86c1", "ensena": "#28b463"}


@dataclass(frozen=True)
class Bullet:
    label: str
    value: int
    target: int


def _figure_bytes(figure, form: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=form, dpi=150 if form == "png" else None, bbox_inches="tight")
    return buffer.getvalue()


def bullet_chart(bullets: list[Bullet], form: str = "png") -> bytes:
    """One bullet chart per target: grey bands for the target's reach, a bar for the value, a mark at the target."""
    figure = Figure(figsize=(7.0, 0.9 * len(bullets) + 0.3))
    axes = figure.subplots(len(bullets), 1, squeeze=False)
    for axis, bullet in zip(axes[:, 0], bullets, strict=True):
        top = max(bullet.target, bullet.value, 1) * 1.1
        start = 0.0
        for colour, end in zip(BANDS, (0.5, 0.8, 1.0), strict=True):
            axis.barh(0, bullet.target * end - start, left=start, height=0.8, color=colour)
            start = bullet.target * end
        axis.barh(0, bullet.value, height=0.3, color=VALUE)
        axis.axvline(bullet.target, ymin=0.1, ymax=0.9, color=TARGET, linewidth=2.5)
        axis.set_xlim(0, top)
        axis.set_yticks([0], [bullet.label])
        axis.text(bullet.value, 0, f" {bullet.value}/{bullet.target}", va="center", fontsize=9)
        for side in ("top", "right", "left"):
            axis.spines[side].set_visible(False)
    figure.tight_layout()
    return _figure_bytes(figure, form)


def pipeline_chart(rows: list[tuple[str, str, int]], form: str = "png") -> bytes:
    """Items by phase, as horizontal bars coloured by line: rows of (line, phase name, items)."""
    rows = rows or [("aprende", "—", 0)]
    figure = Figure(figsize=(7.0, 0.32 * len(rows) + 0.8))
    axis = figure.subplots()
    positions = list(range(len(rows)))[::-1]
    axis.barh(positions, [count for _, _, count in rows], color=[LINE_COLOURS.get(line, VALUE) for line, _, _ in rows])
    axis.set_yticks(positions, [name for _, name, _ in rows], fontsize=8)
    for position, (_, _, count) in zip(positions, rows, strict=True):
        axis.text(count, position, f" {count}", va="center", fontsize=8)
    axis.set_xlim(0, max([count for _, _, count in rows] + [1]) * 1.15)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    figure.tight_layout()
    return _figure_bytes(figure, form)
