"""Reporting's entry point: keeps the program's indicators from the item and phase events."""

from __future__ import annotations

from typing import Annotated, Union

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream
from pydantic import Field

from puente.contracts.events import ITEM_EVENTS, ExchangeProposed, PracticeProposed
from puente.wiring.outbox import Transaction
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.reporting.projections import indicator_update

ItemEvent = Annotated[Union[ITEM_EVENTS], Field(discriminator="type")]  # noqa: UP007
INDICATORS = "indicators"


def register(runtime: ServiceRuntime) -> None:
    async def count(event, transaction: Transaction) -> str:
        await transaction.claim(event)
        if not isinstance(event, (ExchangeProposed, PracticeProposed)):
            return "ignored"
        document_id, update = indicator_update(event)
        await transaction.database[INDICATORS].update_one(
            {"_id": document_id}, update, upsert=True, session=transaction.session
        )
        return "applied"

    @runtime.broker.subscriber(
        runtime.settings.topics.item_events,
        group_id=runtime.group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="reporting-item-events",
        description="Item events from intake, counted into the program's indicators.",
    )
    async def on_item_event(event: ItemEvent) -> None:
        outcome = await runtime.unit_of_work.run(lambda transaction: count(event, transaction))
        runtime.metrics.handled.labels(runtime.name, event.type, outcome or "duplicate").inc()


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "reporting", settings, register,
        description="The program's indicators, the weekly digest, exports and the history import.",
    )
