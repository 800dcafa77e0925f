"""Reporting's entry point: keeps the program's facts from the other services' events, makes the weekly digest and
serves the coordinators' dashboard."""

from __future__ import annotations

from datetime import time

from faststream.asgi import AsgiFastStream

from puente.contracts.rejections import CommandRejected
from puente.contracts.reporting import DigestGenerated, ReportGenerated
from puente.dashboard_links import refuses_development_key
from puente.wiring.city import load_city_config
from puente.wiring.clock import Clock, utc_now
from puente.wiring.scheduler import Job, daily_at
from puente.wiring.service import ServiceRuntime, build_service_app
from puente.wiring.settings import Settings
from services.reporting.digests import DIGEST_SCHEDULES, READERS, REPORTS, ReportingHandlers
from services.reporting.handlers import KEPT, routes_on
from services.reporting.web import DASHBOARD_PATHS, SESSIONS, USED_SIGN_INS, Dashboard, clear_expired


def register(runtime: ServiceRuntime) -> None:
    topics = runtime.settings.topics
    runtime.route(
        topics.item_events, routes_on(topics.messages_on(topics.item_events)),
        title="reporting-item-events",
        description="Proposals, their changes and the catalogue's entries, kept as each item's facts.",
    )
    runtime.route(
        topics.phase_events, routes_on(topics.messages_on(topics.phase_events)),
        title="reporting-phase-events",
        description="Each item's course, record, results, commitments, collaboration requests and surveys, kept as "
                    "its facts for the indicators.",
    )
    city = load_city_config(runtime.settings)
    reports = ReportingHandlers(topics, city, runtime.clock)
    runtime.route(
        topics.people_events, reports.people_routes(),
        title="reporting-people-events",
        description="The directory, kept to know who coordinates: only they get reports and the dashboard.",
    )
    runtime.route(
        topics.reporting_commands, reports.command_routes(),
        title="reporting-commands",
        description="A coordinator asks for the program's report as of now (/informe).",
    )
    runtime.declare_announcements(
        topics.reporting_events, (DigestGenerated, ReportGenerated, CommandRejected),
        "The weekly digest (on the city file's schedule, once per week and city) and the reports coordinators ask "
        "for, each with its summary and where its PDF is fetched; requests refused. Published through the outbox.",
    )
    runtime.keeps(*KEPT, READERS, REPORTS, DIGEST_SCHEDULES, SESSIONS, USED_SIGN_INS)
    runtime.schedule(*reports.jobs(), Job("reporting.dashboard-cleanup", daily_at(time(3, 0), city.city.timezone),
                                          clear_expired))
    settings = runtime.settings
    if refuses_development_key(settings.dashboard_key.get_secret_value(), settings.dashboard_url):
        raise ValueError("PUENTE_DASHBOARD_KEY is the public development value and the dashboard is reachable at "
                         f"{settings.dashboard_url}: set a long random key (the bot's)")
    dashboard = Dashboard(settings, city, runtime.unit_of_work, runtime.clock)
    runtime.serves(DASHBOARD_PATHS, dashboard.app())


def build_app(settings: Settings, clock: Clock = utc_now) -> AsgiFastStream:
    return build_service_app(
        "reporting", settings, register,
        description="The program's indicators, the weekly digest, the dashboard, exports and the history import.",
        clock=clock,
    )
