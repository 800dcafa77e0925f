"""Phases' entry point: follows item events and starts each item's methodology."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases.handlers import PhasesHandlers


def register(runtime: ServiceRuntime) -> None:
    handlers = PhasesHandlers(runtime.settings.topics, load_city_config(runtime.settings))
    runtime.route(
        runtime.settings.topics.item_events, handlers.routes(),
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.phase_events,
        "Phase, commitment, collaboration and survey events, published through the outbox.",
    )


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
    )
