"""How each event moves the program's indicators. Pure functions: the indicators and an event in, the new
indicators out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.common import Line
from puente.contracts.items import ExchangeProposed, PracticeProposed


class LineIndicators(BaseModel):
    """One line's figures in one city. Sectors and entities are kept as sets, so a count is of distinct ones."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<city>:<line>"
    city: str
    line: Line
    proposed: int = 0
    sectors: list[str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    revision: int = 0


def indicators_id(city: str, line: Line) -> str:
    return f"{city}:{line.value}"


def line_of(event: ExchangeProposed | PracticeProposed) -> Line:
    return Line.aprende if isinstance(event, ExchangeProposed) else Line.ensena


def count_proposal(current: LineIndicators | None, event: ExchangeProposed | PracticeProposed) -> LineIndicators:
    """The line's indicators with one more proposal, its sector and its entity."""
    line = line_of(event)
    indicators = current or LineIndicators(id=indicators_id(event.city, line), city=event.city, line=line)
    return indicators.model_copy(update={
        "proposed": indicators.proposed + 1,
        "sectors": sorted({*indicators.sectors, event.payload.sector}),
        "entities": sorted({*indicators.entities, event.payload.entity_id}),
        "revision": indicators.revision + 1,
    })
