"""Reporting's entry point: keeps the program's indicators from the item events."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.contracts.events import ExchangeProposed, PracticeProposed
from puente.wiring.outbox import Transaction
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.reporting.projections import indicator_update

INDICATORS = "indicators"


async def count_proposal(event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
    document_id, update = indicator_update(event)
    await transaction.database[INDICATORS].update_one(
        {"_id": document_id}, update, upsert=True, session=transaction.session
    )
    return "applied"


ROUTES = {ExchangeProposed: count_proposal, PracticeProposed: count_proposal}


def register(runtime: ServiceRuntime) -> None:
    runtime.route(
        runtime.settings.topics.item_events, ROUTES,
        title="reporting-item-events",
        description="Item events from intake, counted into the program's indicators.",
    )


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "reporting", settings, register,
        description="The program's indicators, the weekly digest, exports and the history import.",
    )
