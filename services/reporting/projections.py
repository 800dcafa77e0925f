"""How each event moves the program's indicators. Pure functions: an event in, a MongoDB update out."""

from __future__ import annotations

from typing import Any

from puente.contracts.events import ExchangeProposed, PracticeProposed


def indicator_update(event: ExchangeProposed | PracticeProposed) -> tuple[str, dict[str, Any]]:
    """The indicators document of the event's line, and the update that counts the new proposal.

    Sectors and entities are kept as sets, so the report can say how many distinct ones took part.
    """
    line = "aprende" if isinstance(event, ExchangeProposed) else "ensena"
    payload = event.payload
    return f"{event.city}:{line}", {
        "$inc": {"proposed": 1},
        "$addToSet": {"sectors": payload.sector, "entities": payload.entity_id},
        "$setOnInsert": {"city": event.city, "line": line},
    }
