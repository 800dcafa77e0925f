"""Phases' entry point: follows item events and starts each item's methodology."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.contracts import AnyItemEvent
from puente.contracts.events import ExchangeProposed, PracticeProposed
from puente.wiring.city import load_city_config
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases.handlers import PhasesHandlers


def register(runtime: ServiceRuntime) -> None:
    handlers = PhasesHandlers(runtime.settings.topics, load_city_config(runtime.settings))

    @runtime.subscribe(
        runtime.settings.topics.item_events,
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase.",
    )
    async def on_item_event(event: AnyItemEvent) -> None:
        if isinstance(event, (ExchangeProposed, PracticeProposed)):
            await runtime.apply(event, lambda transaction: handlers.item_proposed(event, transaction))
        else:
            await runtime.apply(event, lambda transaction: handlers.acknowledge(event, transaction))

    runtime.declare_announcements(
        runtime.settings.topics.phase_events,
        "Phase, commitment, collaboration and survey events, published through the outbox.",
    )


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
    )
