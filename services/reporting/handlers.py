"""Reporting's handlers and routing table: item events counted into the program's indicators."""

from __future__ import annotations

from puente.contracts.items import ExchangeProposed, PracticeProposed
from puente.wiring.dispatch import Routes
from puente.wiring.storage import AlreadyStored, Stored
from puente.wiring.transaction import RetryLater, Transaction
from services.reporting.projections import LineIndicators, count_proposal, indicators_id, line_of

INDICATORS = Stored("indicators", LineIndicators)


async def count_proposal_in_indicators(event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
    indicators = transaction.collection(INDICATORS)
    current = await indicators.get(indicators_id(event.city, line_of(event)))
    updated = count_proposal(current, event)
    try:
        if current is None:
            await indicators.add(updated)
        elif not await indicators.save(updated, expected_revision=current.revision):
            raise RetryLater(f"indicators {updated.id} changed meanwhile")
    except AlreadyStored as first_of_its_line:  # another partition's event counted the line's first proposal
        raise RetryLater(f"indicators {updated.id} created meanwhile") from first_of_its_line
    return "applied"


ROUTES: Routes = {ExchangeProposed: count_proposal_in_indicators, PracticeProposed: count_proposal_in_indicators}
