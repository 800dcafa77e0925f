"""Helpers for tests: run a service in-process on a free port, wait for conditions, read topics."""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from puente.contracts.envelope import Message
from puente.local.processes import free_port
from puente.wiring.clock import Clock, utc_now
from puente.wiring.in_memory import InMemoryUnitOfWork
from puente.wiring.outbox import INBOX, OUTBOX
from puente.wiring.scheduler import Scheduler
from puente.wiring.service import ServiceRuntime, build_runtime
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR, Settings
from services.notifier.delivery import NOTIFICATIONS

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
    """Serve an ASGI app (a service) with uvicorn on a free port; yields the port, stops it cleanly.

    A service's server answers before its consumers have joined their groups (FastStream starts the broker after
    the ASGI startup); this waits for them too, so no test stops a service whose consumers are still joining (which
    would leave them unclosed)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: _started(server, task, app), timeout=60, message="the service to start")
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


async def _started(server: uvicorn.Server, task: asyncio.Task, app: Any) -> bool:
    if task.done():
        task.result()  # raise the startup error
        raise AssertionError("the service stopped while starting")
    runtime = getattr(app, "runtime", None)
    return server.started and (runtime is None or runtime.started)


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


@asynccontextmanager
async def service_runtime(name: str, settings: Settings) -> AsyncIterator[ServiceRuntime]:
    """A service's runtime with its routes and database indexes, but no broker, relay or background loop: for
    calling its handlers directly through `runtime.dispatch`."""
    runtime = build_runtime(name, settings)
    importlib.import_module(f"services.{name}.app").register(runtime)
    await runtime.set_up_database()
    try:
        yield runtime
    finally:
        await runtime.mongo.close()


def in_memory_service(name: str, settings: Settings, clock: Clock = utc_now) -> ServiceRuntime:
    """A service's runtime, registered as `python -m services.<name>` registers it, but with an in-memory unit of
    work: its handlers (`runtime.dispatch`) and timed jobs (`in_memory_scheduler`) run in milliseconds, with no
    Kafka or MongoDB. Nothing connects: the broker and the database client are built but never used."""
    runtime = build_runtime(name, settings, clock)
    runtime.unit_of_work = InMemoryUnitOfWork()
    importlib.import_module(f"services.{name}.app").register(runtime)
    return runtime


def in_memory_scheduler(runtime: ServiceRuntime) -> Scheduler:
    return Scheduler(runtime.jobs, runtime.unit_of_work, runtime.clock)


async def stored_documents(runtime: ServiceRuntime) -> dict[str, list[dict[str, Any]]]:
    """Every document the service keeps, by collection, except its inbox (which records deliveries, not effects).
    The outbox is listed under "outbox" as documents with the announced event's type."""
    if isinstance(runtime.unit_of_work, InMemoryUnitOfWork):
        state = runtime.unit_of_work.state
        documents = {name: [document for _, document in sorted(kept.items())]
                     for name, kept in sorted(state.collections.items()) if kept}
        if state.outbox:
            documents[OUTBOX] = [{"topic": topic, "type": event.type, "value": event.to_bytes()}
                                 for topic, event in state.outbox]
        return documents
    documents = {}
    for collection in sorted(await runtime.database.list_collection_names()):
        if collection != INBOX:
            documents[collection] = await runtime.database[collection].find().sort("_id", 1).to_list()
    return documents


async def assert_handled_once(runtime: ServiceRuntime, message: Message, outcome: str = "applied") -> None:
    """Deliver `message` twice, as Kafka may: the first delivery has its effect, the second changes nothing —
    no second effect, no second announcement, and no rejection announced for the repeat."""
    assert await runtime.dispatch(message) == outcome
    after_first = await stored_documents(runtime)
    assert await runtime.dispatch(message) == "duplicate"
    assert await stored_documents(runtime) == after_first, "the repeated delivery changed stored documents"
    announced = [entry["type"] for entry in after_first.get(OUTBOX, [])]
    if outcome != "rejected":
        assert "command.rejected" not in announced


def city_config_with_coordinators(folder: Path, *chat_ids: int) -> Path:
    """A copy of Bogotá's configuration in `folder` with these coordinators; returns the folder, for
    `Settings.city_config_dir`."""
    text = (DEFAULT_CITY_CONFIG_DIR / "bogota.toml").read_text(encoding="utf-8")
    coordinators = ", ".join(str(chat_id) for chat_id in chat_ids)
    (folder / "bogota.toml").write_text(text.replace("chat_ids = []", f"chat_ids = [{coordinators}]"),
                                        encoding="utf-8")
    return folder


async def seat(runtime: ServiceRuntime, user_id: int, role: str = "staff", entity_id: str | None = "sed",
               language: str = "es", name: str | None = None) -> None:
    """Put a person in intake's directory the way the program does: the operator invites them (the command-line
    path) and their Telegram account joins with the code. `runtime` is intake's, in memory or on the servers."""
    from puente.contracts.people import InvitePerson, new_invitation_code
    from puente.wiring.city import load_city_config
    from puente.wiring.dispatch import Dispatcher
    from services.intake.handlers import IntakeHandlers
    from tests.factories import invite_person, redeem_invitation

    handlers = IntakeHandlers(runtime.settings.topics, load_city_config(runtime.settings), runtime.clock)
    code = new_invitation_code()
    as_operator = Dispatcher({InvitePerson: handlers.invite_as_operator}, runtime.unit_of_work)
    invitation = invite_person(role, name or f"Persona {user_id}", entity_id, code=code)
    assert await as_operator.dispatch(invitation) == "applied"
    assert await runtime.dispatch(redeem_invitation(code, user_id=user_id, language=language)) == "applied"


async def seated(settings: Settings, *people: tuple[int, str, str | None]) -> None:
    """`seat` each (Telegram user id, role, entity) in intake's database on the servers, before intake runs. Only
    the directory is set up: the joining events stay unannounced, so no welcome reaches a test's chats."""
    async with service_runtime("intake", settings) as runtime:
        for user_id, role, entity_id in people:
            await seat(runtime, user_id, role, entity_id)
        await runtime.database[OUTBOX].delete_many({"type": {"$in": ["person.invited", "person.joined"]}})


def mentions(documents: Any, name: str, telegram_user_id: int) -> list[str]:
    """Where stored documents still name a person or their Telegram account: each place as a path (an empty list
    when nowhere). Texts are searched for both; numbers are compared with the account; bytes are read as text."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, bytes):
            walk(value.decode("utf-8", errors="replace"), path)
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            if value == telegram_user_id:
                found.append(path)
        elif isinstance(value, str) and (name.casefold() in value.casefold() or str(telegram_user_id) in value):
            found.append(path)

    walk(documents, "")
    return found


class PhasesAndNotifier:
    """Phases and the notifier in memory, joined by what phases announces (as Kafka would hand it over)."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.phases = in_memory_service("phases", settings, clock)
        self.notifier = in_memory_service("notifier", settings, clock)
        self.handed = 0

    async def tell(self, *messages: Message) -> None:
        for message in messages:
            if message.type in ("person.joined", "practice.proposed", "exchange.proposed"):
                await self.notifier.dispatch(message)
            await self.phases.dispatch(message)
            await self.hand_over()

    async def hand_over(self) -> None:
        announced = self.phases.unit_of_work.announced()
        for event in announced[self.handed:]:
            await self.notifier.dispatch(event)
        self.handed = len(announced)

    def heard(self, chat_id: int, kind: str | None = None) -> list[str]:
        return [notification.text for notification in self.notifier.unit_of_work.stored(NOTIFICATIONS)
                if notification.chat_id == chat_id and (kind is None or notification.kind == kind)]
