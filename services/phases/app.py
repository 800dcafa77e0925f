"""Phases' entry point: follows item events and starts each item's methodology."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases.handlers import ANNOUNCES, PROCESSES, PhasesHandlers


def register(runtime: ServiceRuntime) -> None:
    handlers = PhasesHandlers(runtime.settings.topics, load_city_config(runtime.settings), runtime.clock)
    runtime.route(
        runtime.settings.topics.item_events, handlers.routes(),
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.phase_events, ANNOUNCES,
        "Phases started, and phases that passed their due date (a daily scan), published through the outbox.",
    )
    runtime.keeps(PROCESSES)
    runtime.schedule(*handlers.jobs())


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
        clock=clock,
    )
