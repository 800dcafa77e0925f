"""End-to-end throughput and latency of the walking skeleton on real servers:
N propose_exchange commands → Kafka → intake (transaction + outbox) → Kafka → phases (transaction + outbox).

Prints commands/s through the whole path, latency percentiles (command's occurred_at → phases' process created),
and the peak memory of this process (which runs both services).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import time
import uuid

import uvicorn
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from puente.contracts.commands import ProposeExchange, ProposeExchangePayload
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.local.infra import LocalInfrastructure
from puente.local.processes import free_port
from puente.wiring.logging import configure_logging
from puente.wiring.settings import Settings
from services.intake.app import build_app as build_intake
from services.phases.app import build_app as build_phases


def command(number: int) -> ProposeExchange:
    return ProposeExchange.new(
        payload=ProposeExchangePayload(entity_id="sed", sector="education", title=f"Intercambio {number}",
                                       need="Aprender de otras ciudades sobre deserción escolar."),
        actor=Actor(role=ActorRole.staff, id=str(10_000 + number % 50), entity_id="sed"),
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


async def run(settings: Settings, count: int) -> None:
    servers = [await serve(build_intake(settings)), await serve(build_phases(settings))]
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value(), tz_aware=True)
    processes = mongo[settings.database_name("phases")].processes
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all", linger_ms=5)
    await producer.start()
    commands = [command(number) for number in range(count)]
    started = time.perf_counter()
    sends = [await producer.send(settings.topics.intake_commands, c.to_bytes(), key=c.aggregate_id().encode())
             for c in commands]
    await asyncio.gather(*sends)
    published = time.perf_counter()
    while (done := await processes.count_documents({})) < count:
        await asyncio.sleep(0.2)
    finished = time.perf_counter()
    created = {doc["_id"]: doc["created_at"] async for doc in processes.find({}, {"created_at": 1})}
    latencies = sorted(
        (created[str(derived_id(c.event_id, "item"))] - c.occurred_at).total_seconds() * 1000 for c in commands
    )
    await producer.stop()
    for server, task in servers:
        server.should_exit = True
        await task
    for name in await mongo.list_database_names():
        if name.startswith(settings.mongo_database_prefix + "_"):
            await mongo.drop_database(name)
    await mongo.close()

    quantiles = statistics.quantiles(latencies, n=100)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"commands: {count}, all published in {published - started:.2f} s")
    print(f"end to end (command → intake → item event → phases): {count / (finished - started):.0f} commands/s "
          f"({finished - started:.2f} s for {done})")
    print(f"latency ms: p50 {quantiles[49]:.0f}, p95 {quantiles[94]:.0f}, p99 {quantiles[98]:.0f}, "
          f"max {latencies[-1]:.0f}")
    print(f"peak memory of this process (intake + phases + bench): {peak_mib:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    arguments = parser.parse_args()
    configure_logging("bench", "WARNING", "console")
    infrastructure = LocalInfrastructure(f"bench-{os.getpid()}")
    try:
        infrastructure.up()
        environment = infrastructure.environment()
        run_id = uuid.uuid4().hex[:8]
        settings = Settings(
            kafka_bootstrap_servers=environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"],
            mongo_uri=environment["PUENTE_MONGO_URI"],
            kafka_topic_prefix=f"bench-{run_id}", mongo_database_prefix=f"bench_{run_id}",
            outbox_poll_seconds=0.1, log_level="WARNING",
        )
        asyncio.run(run(settings, arguments.count))
    finally:
        infrastructure.destroy()


if __name__ == "__main__":
    main()
