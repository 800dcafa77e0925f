"""Phases' entry point: follows item events and starts each item's methodology, carries out coordinators' commands
on an item's course, and keeps its own view of the directory to authorize them."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases.handlers import ANNOUNCES, PEOPLE, PROCESSES, PhasesHandlers


def register(runtime: ServiceRuntime) -> None:
    handlers = PhasesHandlers(runtime.settings.topics, load_city_config(runtime.settings), runtime.clock)
    runtime.route(
        runtime.settings.topics.item_events, handlers.routes(),
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase.",
    )
    runtime.route(
        runtime.settings.topics.phase_commands, handlers.command_routes(),
        title="phases-commands",
        description="Coordinators' commands on an item's course: complete the current phase, send it back a phase, "
                    "hold, resume or withdraw it.",
    )
    runtime.route(
        runtime.settings.topics.people_events, handlers.people_routes(),
        title="phases-people-events",
        description="The directory, kept to authorize coordinators' commands (and erased when a person asks).",
    )
    runtime.declare_announcements(
        runtime.settings.topics.phase_events, ANNOUNCES,
        "Phases started, completed, returned and overdue (a daily scan); items held, resumed, withdrawn and "
        "closed; commands refused. Published through the outbox.",
    )
    runtime.keeps(PROCESSES, PEOPLE)
    runtime.schedule(*handlers.jobs())


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
        clock=clock,
    )
