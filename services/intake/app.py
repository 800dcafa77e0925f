"""Intake's entry point: subscribes to the bot's commands and runs each in one transaction."""

from __future__ import annotations

from datetime import timedelta

from faststream.asgi import AsgiFastStream

from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.intake.catalogue import CATALOGUE
from services.intake.handlers import ANNOUNCES, ANNOUNCES_IN_DIRECTORY, IntakeHandlers
from services.intake.repository import INVITATIONS, ITEMS, PEOPLE, REFERENCE_COUNTERS, WRONG_CODES


def register(runtime: ServiceRuntime) -> None:
    handlers = IntakeHandlers(runtime.settings.topics, load_city_config(runtime.settings), runtime.clock,
                              timedelta(hours=runtime.settings.invitation_hours))
    runtime.route(
        runtime.settings.topics.intake_commands, handlers.routes(),
        title="intake-commands",
        description="Commands from the bot: propose an exchange or a practice, update an item, invite a person, "
                    "redeem an invitation, record a catalogue entry.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.item_events, ANNOUNCES,
        "Exchanges and practices proposed or updated, Aprende's catalogue entries recorded, and commands "
        "rejected, published through the outbox.",
    )
    runtime.declare_announcements(
        runtime.settings.topics.people_events, ANNOUNCES_IN_DIRECTORY,
        "The directory: people invited and joined, and directory commands rejected, published through the outbox.",
    )
    runtime.keeps(ITEMS, PEOPLE, INVITATIONS, WRONG_CODES, REFERENCE_COUNTERS, CATALOGUE)


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "intake",
        settings,
        register,
        description="Receives proposals and updates of exchanges and practices; announces them as item events.",
        clock=clock,
    )
