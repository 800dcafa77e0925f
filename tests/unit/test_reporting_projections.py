"""Reporting's projection in memory: each line counts its proposals, and sectors and entities once each."""

from __future__ import annotations

from services.intake.domain import proposal_from
from services.reporting.handlers import INDICATORS
from services.reporting.projections import count_proposal
from tests.factories import propose_exchange, propose_practice
from tests.helpers import in_memory_service


def test_distinct_sectors_and_entities_are_counted_once():
    _, first = proposal_from(propose_exchange(entity_id="sed"))
    _, second = proposal_from(propose_exchange(entity_id="sed", title="Otra"))
    _, third = proposal_from(propose_exchange(entity_id="sds", sector="health"))
    indicators = None
    for event in (first, second, third):
        indicators = count_proposal(indicators, event)
    assert indicators.id == "bogota:aprende" and indicators.proposed == 3 and indicators.revision == 3
    assert indicators.sectors == ["education", "health"] and indicators.entities == ["sds", "sed"]


async def test_each_line_keeps_its_own_indicators(settings):
    reporting = in_memory_service("reporting", settings)
    for command in (propose_exchange(), propose_exchange(title="Otra"), propose_practice()):
        assert await reporting.dispatch(proposal_from(command)[1]) == "applied"
    by_line = {indicators.line.value: indicators.proposed for indicators in reporting.unit_of_work.stored(INDICATORS)}
    assert by_line == {"aprende": 2, "ensena": 1}
