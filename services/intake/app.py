"""Intake's entry point: subscribes to the bot's commands and runs each in one transaction."""

from __future__ import annotations

from typing import Annotated, Union

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream
from pydantic import Field

from puente.contracts.commands import INTAKE_COMMANDS, ProposeExchange, ProposePractice, UpdateItem
from puente.wiring.city import load_city_config
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.intake import domain
from services.intake.handlers import IntakeHandlers
from services.intake.repository import ensure_indexes

IntakeCommand = Annotated[Union[INTAKE_COMMANDS], Field(discriminator="type")]  # noqa: UP007


def register(runtime: ServiceRuntime) -> None:
    city = load_city_config(runtime.settings)
    handlers = IntakeHandlers(runtime.settings.topics, city)
    routes = {
        ProposeExchange: handlers.propose_exchange,
        ProposePractice: handlers.propose_practice,
        UpdateItem: handlers.update_item,
    }

    @runtime.broker.subscriber(
        runtime.settings.topics.intake_commands,
        group_id=runtime.group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="intake-commands",
        description="Commands from the bot: propose an exchange or a practice, update an item.",
    )
    async def on_command(command: IntakeCommand) -> None:
        handle = routes[type(command)]
        try:
            outcome = await runtime.unit_of_work.run(lambda transaction: handle(command, transaction))
        except domain.Rejected as rejected:
            # The transaction that tried the change was rolled back; record the rejection in a fresh one.
            outcome = await runtime.unit_of_work.run(
                lambda transaction: handlers.reject(command, rejected.reason, transaction)
            )
        runtime.metrics.handled.labels(runtime.name, command.type, outcome or "duplicate").inc()

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
