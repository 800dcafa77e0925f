"""Helpers for tests: run a service in-process on a free port, wait for conditions, read topics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from puente.contracts.envelope import Message
from puente.local.processes import free_port
from puente.wiring.settings import Settings

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 30.0, interval: float = 0.1,
                     message: str = "condition") -> T:
    """Await until `check()` returns something truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {result!r}")
        await asyncio.sleep(interval)


@asynccontextmanager
async def running_app(app: Any) -> AsyncIterator[int]:
    """Serve an ASGI app (a service) with uvicorn on a free port; yields the port, stops it cleanly."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: _started(server, task), timeout=60, message="the service to start")
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


async def _started(server: uvicorn.Server, task: asyncio.Task) -> bool:
    if task.done():
        task.result()  # raise the startup error
        raise AssertionError("the service stopped while starting")
    return server.started


async def publish(settings: Settings, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def publish_message(settings: Settings, topic: str, message: Message) -> None:
    await publish(settings, topic, message.to_bytes(), key=message.aggregate_id().encode())


async def read_topic(settings: Settings, topic: str, expected: int, timeout: float = 30.0) -> list[ConsumerRecord]:
    """Read a topic from the beginning until `expected` records arrived (or fail). Returns exactly what came."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=settings.kafka_bootstrap_servers, auto_offset_reset="earliest",
        enable_auto_commit=False, group_id=None,
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
        # Read a little longer to catch any record beyond the expected count.
        for partition_records in (await consumer.getmany(timeout_ms=1000)).values():
            records.extend(partition_records)
    finally:
        await consumer.stop()
    return records
