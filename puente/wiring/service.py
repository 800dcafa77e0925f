"""One way to build and run every service: a FastStream app with health, readiness, metrics and AsyncAPI."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, AsgiResponse, AsyncAPIRoute, get
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from puente.contracts.envelope import Message
from puente.contracts.parsing import one_of
from puente.wiring.database import connect_mongo, mongo_is_ready, service_database
from puente.wiring.http_server import GracefulServer, port_is_free
from puente.wiring.logging import configure_logging, get_logger
from puente.wiring.messaging import build_broker, ensure_topics
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.outbox import OutboxRelay, Transaction, UnitOfWork, ensure_inbox_outbox_indexes
from puente.wiring.settings import DEFAULT_HTTP_PORTS, Settings

log = get_logger(__name__)

PUENTE_VERSION = "0.1.0"

# A handler: a validated message and the transaction it runs in; it returns its outcome ("applied", "ignored",
# "rejected"). The message is already claimed in the inbox when the handler runs.
Handler = Callable[[Any, Transaction], Awaitable[str]]
Routes = dict[type[Message], Handler]


async def ignore(message: Message, transaction: Transaction) -> str:
    """A message the topic carries that this service does not act on: claimed, so counts stay honest."""
    return "ignored"


@dataclass
class ServiceRuntime:
    """Everything a service's handlers are wired with, built in one place."""

    name: str
    settings: Settings
    broker: KafkaBroker
    mongo: AsyncMongoClient
    database: AsyncDatabase
    metrics: ServiceMetrics
    relay: OutboxRelay
    unit_of_work: UnitOfWork
    routes: Routes = field(default_factory=dict)
    on_database_setup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_startup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background_tasks: list[asyncio.Task] = field(default_factory=list)

    @property
    def group_id(self) -> str:
        return f"{self.settings.kafka_topic_prefix}-{self.name}"

    def subscribe(self, topic: str, *, title: str, description: str):
        """Decorator: consume `topic` in this service's group, from the earliest offset when the group is new.

        The offset is committed after the handler returns; a transient failure leaves it uncommitted (the
        message comes back), and the dead-letter middleware takes invalid and poison messages aside.
        """
        return self.broker.subscriber(
            topic,
            group_id=self.group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=title,
            description=description,
        )

    def route(self, topic: str, routes: Routes, *, title: str, description: str) -> None:
        """Consume `topic` and hand each message to its handler in `routes`, one transaction each.

        `routes` is the table from message type to handler that a service declares beside its handlers. A message
        the topic carries but the table does not name is claimed and counted as ignored.
        """
        accepted = self.settings.topics.messages_on(topic)
        foreign = [message_type.__name__ for message_type in routes if message_type not in accepted]
        if foreign:
            raise ValueError(f"{topic} never carries {foreign}")
        self.routes.update(routes)

        async def on_message(message: Message) -> None:
            await self.dispatch(message)

        # FastStream validates the message with this annotation and names it in the AsyncAPI catalogue.
        parameter = inspect.Parameter("message", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=one_of(accepted))
        on_message.__signature__ = inspect.Signature([parameter], return_annotation=None)
        on_message.__annotations__ = {"message": one_of(accepted), "return": None}
        on_message.__name__ = on_message.__qualname__ = f"on_{title.replace('-', '_')}"
        self.subscribe(topic, title=title, description=description)(on_message)

    async def dispatch(self, message: Message) -> str:
        """Handle one message exactly once: claim it in the inbox and run its handler in the same transaction.

        Returns the handler's outcome, or "duplicate" (changing nothing) when the message was handled before.
        """
        handler = self.routes.get(type(message), ignore)

        async def work(transaction: Transaction) -> str:
            await transaction.claim(message)
            return await handler(message, transaction)

        outcome = await self.unit_of_work.run(work) or "duplicate"
        self.metrics.handled.labels(self.name, message.type, outcome).inc()
        return outcome

    async def set_up_database(self) -> None:
        """Create the indexes the inbox, the outbox and the service's own collections rely on."""
        await ensure_inbox_outbox_indexes(self.database)
        for setup in self.on_database_setup:
            await setup()

    def declare_announcements(self, topic: str, description: str) -> None:
        """Name, in the AsyncAPI catalogue, a topic this service publishes to through its outbox."""
        self.broker.publisher(
            topic,
            title=topic.removeprefix(self.settings.kafka_topic_prefix + "."),
            description=description,
            schema=one_of(self.settings.topics.messages_on(topic)),
        )


def readiness(kafka_ok: bool, mongo_ok: bool, failing_loops: list[str]) -> tuple[int, bytes]:
    """/readyz's answer: 200 only when Kafka and MongoDB answer and no background loop keeps failing."""
    body = json.dumps({"kafka": kafka_ok, "mongo": mongo_ok, "failing_loops": failing_loops}, separators=(",", ":"))
    return (200 if kafka_ok and mongo_ok and not failing_loops else 503), body.encode()


def build_runtime(name: str, settings: Settings) -> ServiceRuntime:
    metrics = ServiceMetrics(name)
    broker = build_broker(name, settings, metrics)
    mongo = connect_mongo(settings)
    database = service_database(mongo, settings, name)
    relay = OutboxRelay(database, broker, settings, metrics)
    unit_of_work = UnitOfWork(mongo, database, settings, on_announced=relay.wake)
    return ServiceRuntime(name, settings, broker, mongo, database, metrics, relay, unit_of_work)


def build_service_app(
    name: str,
    settings: Settings,
    register: Callable[[ServiceRuntime], None],
    description: str,
) -> AsgiFastStream:
    """Build a service: `register` adds its subscribers and startup work to the runtime."""
    runtime = build_runtime(name, settings)
    register(runtime)

    @get(include_in_schema=False)
    async def healthz(scope) -> AsgiResponse:
        """Liveness: the process answers."""
        return AsgiResponse(b'{"status":"ok"}', 200, headers={"content-type": "application/json"})

    @get(include_in_schema=False)
    async def readyz(scope) -> AsgiResponse:
        """Readiness: Kafka and MongoDB both answer, and no background loop keeps failing."""
        kafka_ok = await runtime.broker.ping(timeout=5.0)
        mongo_ok = await mongo_is_ready(runtime.mongo)
        status, body = readiness(kafka_ok, mongo_ok, runtime.metrics.loops.failing())
        return AsgiResponse(body, status, headers={"content-type": "application/json"})

    @get(include_in_schema=False)
    async def metrics(scope) -> AsgiResponse:
        return AsgiResponse(generate_latest(runtime.metrics.registry), 200,
                            headers={"content-type": CONTENT_TYPE_LATEST})

    async def prepare() -> None:
        await ensure_topics(settings)
        await runtime.set_up_database()
        for startup in runtime.on_startup:
            await startup()

    async def start_relay() -> None:
        runtime.relay.start()
        log.info("service started", service=name, city=settings.city)

    async def stop_background() -> None:
        await runtime.relay.stop()
        for task in runtime.background_tasks:
            task.cancel()
        await asyncio.gather(*runtime.background_tasks, return_exceptions=True)
        for shutdown in runtime.on_shutdown:
            await shutdown()

    async def close_database() -> None:
        await runtime.mongo.close()
        log.info("service stopped", service=name)

    app = AsgiFastStream(
        runtime.broker,
        asgi_routes=[("/healthz", healthz), ("/readyz", readyz), ("/metrics", metrics)],
        specification=AsyncAPI(title=f"Puente {name}", version=PUENTE_VERSION, description=description),
        # The catalogue only: FastStream's "try it out" route would let anyone who reaches this port publish.
        asyncapi_path=AsyncAPIRoute("/asyncapi", try_it_out_path=None),
        on_startup=[prepare],
        after_startup=[start_relay],
        on_shutdown=[stop_background],
        after_shutdown=[close_database],
        logger=logging.getLogger(f"puente.{name}.faststream"),
    )
    app.runtime = runtime  # for tests and tools
    return app


def run_service(name: str, build_app: Callable[[Settings], AsgiFastStream]) -> None:
    """Entry point of `python -m services.<name>`: serve until SIGTERM or Ctrl-C, then stop cleanly."""
    settings = Settings()
    configure_logging(name, settings.log_level, settings.log_format)
    port = DEFAULT_HTTP_PORTS[name] if settings.http_port is None else settings.http_port
    if not port_is_free(port, settings.http_host):
        get_logger(name).error("http_port_in_use", port=port, host=settings.http_host,
                               hint="set PUENTE_HTTP_PORT to another port")
        raise SystemExit(1)
    app = build_app(settings)
    config = uvicorn.Config(app, host=settings.http_host, port=port, log_config=None, lifespan="on",
                            access_log=False, timeout_graceful_shutdown=10)
    server = GracefulServer(config)
    server.run()
    if not server.started:
        raise SystemExit(1)
