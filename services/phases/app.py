"""Phases' entry point: follows item events and starts each item's methodology, carries out coordinators' commands
on an item's course, and keeps its own view of the directory to authorize them."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import ignoring_history
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.phases import aprende_handlers, ensena_handlers
from services.phases.aprende_handlers import KNOWN_ENTRIES, AprendeHandlers
from services.phases.ensena_handlers import LOADS, REQUESTS, EnsenaHandlers
from services.phases.handlers import ANNOUNCES, PEOPLE, PROCESSES, PhasesHandlers


def register(runtime: ServiceRuntime) -> None:
    city = load_city_config(runtime.settings)
    handlers = PhasesHandlers(runtime.settings.topics, city, runtime.clock)
    practices = EnsenaHandlers(runtime.settings.topics, city, handlers.refuse, runtime.clock)
    exchanges = AprendeHandlers(runtime.settings.topics, city, handlers.refuse, runtime.clock)
    runtime.route(
        runtime.settings.topics.item_events, {**ignoring_history(handlers.routes()), **exchanges.catalogue_routes()},
        title="phases-item-events",
        description="Item events from intake; a proposed exchange or practice enters its line's first phase; "
                    "Aprende's catalogue entries, known so that an unknown expert or ally is refused. Items of the "
                    "history import are past: no course starts for them.",
    )
    runtime.route(
        runtime.settings.topics.phase_commands, {**handlers.command_routes(), **practices.command_routes(),
                                                  **exchanges.command_routes()},
        title="phases-commands",
        description="Commands on an item's course (complete the current phase, send it back a phase, hold, resume, "
                    "withdraw, deliver, move a due date) and on an Enseña practice (evaluators, scorecards, the "
                    "decision, milestones, participants, promotion, companions, collaboration requests) and on an "
                    "Aprende exchange (the action plan's commitments and their progress).",
    )
    runtime.route(
        runtime.settings.topics.people_events, practices.people_routes(handlers.people_routes()),
        title="phases-people-events",
        description="The directory, kept to authorize coordinators' commands (and erased when a person asks).",
    )
    runtime.declare_announcements(
        runtime.settings.topics.phase_events, ANNOUNCES + ensena_handlers.ANNOUNCES + aprende_handlers.ANNOUNCES,
        "Phases started, completed, returned and overdue (a daily scan); items held, resumed, withdrawn and "
        "closed; practices' evaluation, systematization (milestones slipped: the daily scan), promotion and "
        "collaboration requests; exchanges' commitments (due and overdue: the daily scan) and their progress; "
        "commands refused. Published through the outbox.",
    )
    runtime.keeps(PROCESSES, PEOPLE, REQUESTS, LOADS, KNOWN_ENTRIES)
    runtime.schedule(*handlers.jobs())


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "phases", settings, register,
        description="The methodology engine: phases, action plans, deadlines and collaboration requests.",
        clock=clock,
    )
