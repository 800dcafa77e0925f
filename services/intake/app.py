"""Intake's entry point: subscribes to the bot's commands and runs each in one transaction."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.contracts import AnyIntakeCommand
from puente.contracts.commands import ProposeExchange, ProposePractice, UpdateItem
from puente.wiring.city import load_city_config
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.intake import domain
from services.intake.handlers import IntakeHandlers
from services.intake.repository import ensure_indexes


def register(runtime: ServiceRuntime) -> None:
    city = load_city_config(runtime.settings)
    handlers = IntakeHandlers(runtime.settings.topics, city)
    routes = {
        ProposeExchange: handlers.propose,
        ProposePractice: handlers.propose,
        UpdateItem: handlers.update_item,
    }

    @runtime.subscribe(
        runtime.settings.topics.intake_commands,
        title="intake-commands",
        description="Commands from the bot: propose an exchange or a practice, update an item.",
    )
    async def on_command(command: AnyIntakeCommand) -> None:
        handle = routes[type(command)]
        try:
            await runtime.apply(command, lambda transaction: handle(command, transaction))
        except domain.Rejected as rejected:
            # The transaction that tried the change was rolled back; record the rejection in a fresh one.
            reason = rejected.reason
            await runtime.apply(command, lambda transaction: handlers.reject(command, reason, transaction))

    runtime.declare_announcements(
        runtime.settings.topics.item_events,
        "Exchanges and practices proposed or updated, and commands rejected, published through the outbox.",
    )

    async def prepare() -> None:
        await ensure_indexes(runtime.database)

    runtime.on_startup.append(prepare)


def build_app(settings: Settings) -> AsgiFastStream:
    return build_service_app(
        "intake",
        settings,
        register,
        description="Receives proposals and updates of exchanges and practices; announces them as item events.",
    )
