"""End-to-end throughput and latency of the walking skeleton on real servers:
propose_exchange commands → Kafka → intake (transaction + outbox) → Kafka → phases (transaction + outbox).

Two runs: a burst of N commands published at once (throughput: commands/s through the whole path; its latencies
are mostly queueing), then commands paced at a steady rate below capacity (the latency of one command's path).
Latency is the command's occurred_at → the moment phases stored the item's process. Also prints the peak memory
of this process, which runs both services.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import time

import uvicorn
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from bench.servers import on_throwaway_servers
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.items import ProposeExchange, ProposeExchangePayload
from puente.contracts.people import RedeemInvitation, RedeemInvitationPayload, Role
from puente.local.processes import free_port
from puente.wiring.logging import configure_logging
from puente.wiring.service import build_runtime
from puente.wiring.settings import Settings
from services.intake.admin import invite_from_command_line
from services.intake.app import build_app as build_intake
from services.intake.app import register as register_intake
from services.phases.app import build_app as build_phases

PROPOSERS = [10_000 + number for number in range(50)]


async def seat_proposers(settings: Settings) -> None:
    """The benchmark's proposers join the directory as staff of sed, as `puente admin invite` and /start do."""
    runtime = build_runtime("intake", settings)
    register_intake(runtime)
    try:
        for user_id in PROPOSERS:
            issued = await invite_from_command_line(settings, Role.staff, f"Bench {user_id}", "sed")
            joining = RedeemInvitation.new(payload=RedeemInvitationPayload(code=issued.code),
                                           actor=Actor(role=ActorRole.guest, id=str(user_id)), city=settings.city)
            assert await runtime.dispatch(joining) == "applied"
    finally:
        await runtime.mongo.close()


def new_command(number: int) -> ProposeExchange:
    return ProposeExchange.new(
        payload=ProposeExchangePayload(entity_id="sed", sector="education", title=f"Intercambio {number}",
                                       need="Aprender de otras ciudades sobre deserción escolar."),
        actor=Actor(role=ActorRole.staff, id=str(PROPOSERS[number % len(PROPOSERS)]), entity_id="sed"),
        city="bogota",
    )


async def serve(app) -> tuple[uvicorn.Server, asyncio.Task]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_config=None))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    return server, task


async def send_and_wait(settings: Settings, producer: AIOKafkaProducer, processes, count: int,
                        rate: float | None) -> tuple[float, list[float]]:
    """Publish `count` commands (all at once, or `rate` per second); wait until phases stored each one."""
    already = await processes.count_documents({})
    commands = []
    started = time.perf_counter()
    acknowledgements = []
    for number in range(count):
        if rate:
            await asyncio.sleep(1 / rate)
        command = new_command(number)
        commands.append(command)
        acknowledgements.append(await producer.send(
            settings.topics.intake_commands, command.to_bytes(), key=command.aggregate_id().encode()))
    await asyncio.gather(*acknowledgements)
    while await processes.count_documents({}) < already + count:
        await asyncio.sleep(0.05 if rate else 0.5)
    elapsed = time.perf_counter() - started
    ids = [str(derived_id(command.event_id, "item")) for command in commands]
    stored = {doc["_id"]: doc["created_at"] async for doc in processes.find({"_id": {"$in": ids}}, {"created_at": 1})}
    latencies = sorted((stored[item_id] - command.occurred_at).total_seconds() * 1000
                       for item_id, command in zip(ids, commands, strict=True))
    return elapsed, latencies


def percentiles(latencies: list[float]) -> str:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return f"p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, p99 {cuts[98]:.0f} ms, max {latencies[-1]:.0f} ms"


async def run(settings: Settings, burst: int, paced: int, rate: float) -> None:
    await seat_proposers(settings)
    servers = [await serve(build_intake(settings)), await serve(build_phases(settings))]
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value(), tz_aware=True)
    processes = mongo[settings.database_name("phases")].processes
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all", linger_ms=5)
    await producer.start()
    try:
        await send_and_wait(settings, producer, processes, 20, None)  # warm-up: topics, group joins, indexes
        burst_seconds, burst_latencies = await send_and_wait(settings, producer, processes, burst, None)
        _, paced_latencies = await send_and_wait(settings, producer, processes, paced, rate)
    finally:
        await producer.stop()
        for server, task in servers:
            server.should_exit = True
            await task
        for name in await mongo.list_database_names():
            if name.startswith(settings.mongo_database_prefix + "_"):
                await mongo.drop_database(name)
        await mongo.close()

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Kafka and SecantusDB on the same machine")
    print(f"burst of {burst} commands: {burst / burst_seconds:.0f} commands/s end to end "
          f"({burst_seconds:.1f} s); latency under the burst: {percentiles(burst_latencies)}")
    print(f"{paced} commands at {rate:g}/s: latency {percentiles(paced_latencies)}")
    print(f"peak memory of this process (intake + phases + bench): {peak_mib:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--burst", type=int, default=1000, help="commands published at once")
    parser.add_argument("--paced", type=int, default=100, help="commands published at a steady rate")
    parser.add_argument("--rate", type=float, default=10.0, help="commands per second for the paced run")
    arguments = parser.parse_args()
    configure_logging("bench", "ERROR", "console")
    on_throwaway_servers(lambda settings: run(settings, arguments.burst, arguments.paced, arguments.rate))


if __name__ == "__main__":
    main()
