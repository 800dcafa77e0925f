"""The notifier's coordinators' alerts under concurrency (`.venv/bin/python -m bench.notifier`), on throw-away
servers: N late phases, each alerting the coordinator (and listed for its proposer), handled by 1, 2 and 4 streams
at once, as the notifier's topics and replicas handle them side by side. Every alert to a coordinator serializes on
the coordinator's chat (`chat_key`, so that a removal or a forgetting is never missed), so the streams conflict;
this prints the alerts per second and how many transactions started again per alert."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import platform
import time
from datetime import UTC, date, datetime

from bench.servers import on_throwaway_servers
from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.items import ProposeExchange, ProposeExchangePayload
from puente.contracts.people import PersonJoined, PersonJoinedPayload
from puente.wiring import outbox
from puente.wiring.city import load_city_config
from puente.wiring.logging import configure_logging
from puente.wiring.service import build_runtime
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.phases.domain import PhasePlan, overdue, start_process

NOW = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
COORDINATOR = 9001


def late_phases(count: int, run: str) -> tuple[list, list]:
    """`count` proposals (by ten staff members) and each one's late first phase."""
    city = load_city_config(Settings())
    plans = [PhasePlan(phase.key, phase.duration_days) for phase in city.phases_of(Line.aprende)]
    proposals, late = [], []
    for number in range(count):
        command = ProposeExchange.new(
            payload=ProposeExchangePayload(entity_id="sed", sector="education", title=f"Intercambio {run}-{number}",
                                           need="Aprender de otras ciudades sobre deserción escolar."),
            actor=Actor(role=ActorRole.staff, id=str(5000 + number % 10), entity_id="sed"), city="bogota")
        _, proposed = proposal_from(command)
        process, _ = start_process(str(proposed.payload.item_id), Line.aprende, proposed, plans, NOW,
                                   date(2026, 10, 1))
        proposals.append(proposed)
        late.append(overdue(process, date(2026, 12, 1), NOW)[1])
    return proposals, late


def coordinator_joined() -> PersonJoined:
    return PersonJoined.new(
        payload=PersonJoinedPayload(person_id=derived_id("bench", "coordinator"), telegram_user_id=COORDINATOR,
                                    role="coordinator", entity_id=None, name="Coordinación", language="es"),
        actor=Actor(role=ActorRole.guest, id=str(COORDINATOR)), city="bogota")


async def measure(settings: Settings, count: int) -> None:
    attempts = 0
    started_transaction = outbox.MongoTransaction.__init__

    def counted(self, *args, **kwargs) -> None:
        nonlocal attempts
        attempts += 1
        started_transaction(self, *args, **kwargs)

    outbox.MongoTransaction.__init__ = counted
    runtime = build_runtime("notifier", settings)
    importlib.import_module("services.notifier.app").register(runtime)
    await runtime.set_up_database()
    try:
        await runtime.dispatch(coordinator_joined())
        for streams in (1, 2, 4):
            proposals, late = late_phases(count, f"{streams}")
            for proposed in proposals:
                await runtime.dispatch(proposed)

            async def stream(events: list) -> None:
                for event in events:
                    await runtime.dispatch(event)

            attempts = 0
            started = time.perf_counter()
            await asyncio.gather(*(stream(late[first::streams]) for first in range(streams)))
            seconds = time.perf_counter() - started
            alerts = await runtime.database.notifications.count_documents(
                {"chat_id": COORDINATOR, "kind": "phase-overdue", "item_id": {"$in": [
                    str(proposed.payload.item_id) for proposed in proposals]}})
            print(f"{streams} stream(s) at once: {count:,} late phases in {seconds:.1f} s, {count / seconds:,.0f}/s; "
                  f"{alerts:,} alerts stored; {(attempts - count) / count:.2f} transactions started again per alert")
    finally:
        outbox.MongoTransaction.__init__ = started_transaction
        await runtime.mongo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=400, help="late phases per run")
    arguments = parser.parse_args()
    configure_logging("bench", "ERROR", "console")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    on_throwaway_servers(lambda settings: measure(settings, arguments.count))


if __name__ == "__main__":
    main()
