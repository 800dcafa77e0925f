"""Throw-away Kafka and SecantusDB servers for a benchmark, deleted afterwards."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable

from puente.local.infra import LocalInfrastructure
from puente.wiring.settings import Settings


def on_throwaway_servers(run: Callable[[Settings], Awaitable[None]]) -> None:
    """Start the servers, run `run(settings)` against them (its own topic and database prefixes), delete them."""
    infrastructure = LocalInfrastructure(f"bench-{os.getpid()}")
    try:
        infrastructure.up()
        environment = infrastructure.environment()
        run_id = uuid.uuid4().hex[:8]
        settings = Settings(kafka_bootstrap_servers=environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"],
                            mongo_uri=environment["PUENTE_MONGO_URI"], kafka_topic_prefix=f"bench-{run_id}",
                            mongo_database_prefix=f"bench_{run_id}")
        asyncio.run(run(settings))
    finally:
        infrastructure.destroy()
