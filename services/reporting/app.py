"""Reporting's entry point: keeps the program's indicators from the item events."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from puente.wiring.clock import Clock, utc_now
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.reporting.handlers import INDICATORS, ROUTES


def register(runtime: ServiceRuntime) -> None:
    runtime.route(
        runtime.settings.topics.item_events, ROUTES,
        title="reporting-item-events",
        description="Item events from intake, counted into the program's indicators.",
    )
    runtime.keeps(INDICATORS)


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "reporting", settings, register,
        description="The program's indicators, the weekly digest, exports and the history import.",
        clock=clock,
    )
