"""Phases' entry point: follows item events and starts each item's methodology."""

from __future__ import annotations

from typing import Annotated, Union

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream
from pydantic import Field

from puente.contracts.events import ITEM_EVENTS, ExchangeProposed, PracticeProposed
from puente.wiring.city import load_city_config
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases.handlers import PhasesHandlers

ItemEvent = Annotated[Union[ITEM_EVENTS], Field(discriminator="type")]  # noqa: UP007


def register(runtime: ServiceRuntime) -> None:
    handlers = PhasesHandlers(runtime.settings.topics, load_city_config(runtime.settings))

    @runtime.broker.subscriber(
        runtime.settings.topics.item_events,
        group_id=runtime.group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase.",
    )
    async def on_item_event(event: ItemEvent) -> None:
        if isinstance(event, (ExchangeProposed, PracticeProposed)):
            outcome = await runtime.unit_of_work.run(lambda transaction: handlers.item_proposed(event, transaction))
        else:
            outcome = await runtime.unit_of_work.run(lambda transaction: handlers.acknowledge(event, transaction))
        runtime.metrics.handled.labels(runtime.name, event.type, outcome or "duplicate").inc()

    runtime.declare_announcements(
        runtime.settings.topics.phase_events,
        "Phase, commitment, collaboration and survey events, published through the outbox.",
    )


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
    )
