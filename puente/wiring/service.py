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
from puente.wiring.clock import Clock, utc_now
from puente.wiring.database import connect_mongo, mongo_is_ready, service_database
from puente.wiring.dispatch import Dispatcher, Routes
from puente.wiring.http_server import GracefulServer, port_is_free
from puente.wiring.logging import configure_logging, get_logger
from puente.wiring.messaging import build_broker, ensure_topics
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.outbox import MongoUnitOfWork, OutboxRelay, ensure_inbox_outbox_indexes
from puente.wiring.scheduler import SCHEDULED_RUNS, Job, Scheduler
from puente.wiring.settings import DEFAULT_HTTP_PORTS, Settings
from puente.wiring.storage import Stored, create_indexes

log = get_logger(__name__)

PUENTE_VERSION = "0.1.0"

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
    unit_of_work: MongoUnitOfWork
    routes: Routes = field(default_factory=dict)
    routed_on: dict[str, tuple[type[Message], ...]] = field(default_factory=dict)  # topic -> types handled
    announced_on: dict[str, tuple[type[Message], ...]] = field(default_factory=dict)  # topic -> types announced
    clock: Clock = utc_now
    stored_kinds: list[Stored] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    scheduler: Scheduler | None = None
    on_database_setup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_startup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background_tasks: list[asyncio.Task] = field(default_factory=list)
    http_routes: list[tuple[str, Any]] = field(default_factory=list)  # (exact path, ASGI app) beside /healthz
    started: bool = False  # every subscription has its partitions, and the relay and scheduler run
    stopping: bool = False

    @property
    def group_id(self) -> str:
        return f"{self.settings.kafka_topic_prefix}-{self.name}"

    def subscribe(self, topic: str, *, title: str, description: str):
        """Decorator: consume `topic` in this service's group for that topic, from the earliest offset when the group
        is new. Each topic has its own group (`<prefix>-<service>.<topic>`): a consumer joining or leaving one topic
        does not pause the service's other topics while the group rebalances, and replicas still share each topic's
        partitions.

        The offset is committed after the handler returns; a transient failure leaves it uncommitted (the
        message comes back), and the dead-letter middleware takes invalid and poison messages aside.
        """
        return self.broker.subscriber(
            topic,
            group_id=f"{self.group_id}.{topic.removeprefix(self.settings.kafka_topic_prefix + '.')}",
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=title,
            description=description,
        )

    def route(self, topic: str, routes: Routes, *, title: str, description: str) -> None:
        """Consume `topic` and hand each message to its handler in `routes`, one transaction each.

        `routes` is the table from message type to handler that a service declares beside its handlers. The
        subscription reads (and the AsyncAPI catalogue lists) only the routed types; the dead-letter middleware
        acknowledges the topic's other messages without handing them over.
        """
        accepted = self.settings.topics.messages_on(topic)
        foreign = [message_type.__name__ for message_type in routes if message_type not in accepted]
        if foreign:
            raise ValueError(f"{topic} never carries {foreign}")
        self.routes.update(routes)
        routed = tuple(message_type for message_type in accepted if message_type in routes)
        self.routed_on[topic] = routed

        async def on_message(message: Message) -> None:
            await self.dispatch(message)

        # FastStream validates the message with this annotation and names it in the AsyncAPI catalogue.
        parameter = inspect.Parameter("message", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=one_of(routed))
        on_message.__signature__ = inspect.Signature([parameter], return_annotation=None)
        on_message.__annotations__ = {"message": one_of(routed), "return": None}
        on_message.__name__ = on_message.__qualname__ = f"on_{title.replace('-', '_')}"
        self.subscribe(topic, title=title, description=description)(on_message)

    async def dispatch(self, message: Message) -> str:
        """Handle one message exactly once (see `Dispatcher`), counted by type and outcome."""
        outcome = await Dispatcher(self.routes, self.unit_of_work).dispatch(message)
        self.metrics.handled.labels(self.name, message.type, outcome).inc()
        return outcome

    def schedule(self, *jobs: Job) -> None:
        """Add timed jobs; the service's scheduler does each run once across replicas (see `scheduler`)."""
        self.jobs.extend(jobs)

    def serves(self, paths: list[str], asgi_app: Any) -> None:
        """Serve these exact paths with `asgi_app` on the service's HTTP port (reporting's dashboard)."""
        self.http_routes.extend((path, asgi_app) for path in paths)

    def keeps(self, *kinds: Stored) -> None:
        """Declare what the service stores, so its indexes are created before it starts."""
        self.stored_kinds.extend(kinds)

    async def set_up_database(self) -> None:
        """Create the indexes the inbox, the outbox and the service's own collections rely on."""
        await ensure_inbox_outbox_indexes(self.database)
        await create_indexes(self.database, [*self.stored_kinds, SCHEDULED_RUNS])
        for setup in self.on_database_setup:
            await setup()

    def declare_announcements(self, topic: str, announces: tuple[type[Message], ...], description: str) -> None:
        """Name, in the AsyncAPI catalogue, the events this service publishes to `topic` through its outbox; the
        catalogue lists only these, not everything the topic could carry."""
        foreign = [event.__name__ for event in announces if event not in self.settings.topics.messages_on(topic)]
        if foreign:
            raise ValueError(f"{topic} never carries {foreign}")
        self.announced_on[topic] = announces
        self.broker.publisher(
            topic,
            title=topic.removeprefix(self.settings.kafka_topic_prefix + "."),
            description=description,
            schema=one_of(announces),
        )


def readiness(kafka_ok: bool, mongo_ok: bool, failing_loops: list[str]) -> tuple[int, bytes]:
    """/readyz's answer: 200 only when Kafka and MongoDB answer and no background loop keeps failing."""
    body = json.dumps({"kafka": kafka_ok, "mongo": mongo_ok, "failing_loops": failing_loops}, separators=(",", ":"))
    return (200 if kafka_ok and mongo_ok and not failing_loops else 503), body.encode()


def build_runtime(name: str, settings: Settings, clock: Clock = utc_now) -> ServiceRuntime:
    metrics = ServiceMetrics(name)
    routed_on: dict[str, tuple[type[Message], ...]] = {}
    broker = build_broker(name, settings, metrics, routed_on)
    mongo = connect_mongo(settings)
    database = service_database(mongo, settings, name)
    relay = OutboxRelay(database, broker, settings, metrics)
    unit_of_work = MongoUnitOfWork(mongo, database, settings, on_announced=relay.wake)
    return ServiceRuntime(name, settings, broker, mongo, database, metrics, relay, unit_of_work, routed_on=routed_on,
                          clock=clock)


def build_service_app(
    name: str,
    settings: Settings,
    register: Callable[[ServiceRuntime], None],
    description: str,
    clock: Clock = utc_now,
) -> AsgiFastStream:
    """Build a service: `register` adds its subscribers, stored kinds, timed jobs and startup work to the runtime.
    Every handler and job reads the time from `clock`, which a test may set."""
    runtime = build_runtime(name, settings, clock)
    register(runtime)
    if runtime.jobs:
        runtime.scheduler = Scheduler(runtime.jobs, runtime.unit_of_work, runtime.clock, runtime.metrics)

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
        if runtime.stopping:  # the server began to stop before its startup finished: start nothing to orphan
            return
        runtime.relay.start()
        if runtime.scheduler is not None:
            runtime.background_tasks.append(asyncio.create_task(runtime.scheduler.run(), name="scheduler"))
        runtime.started = True
        log.info("service started", service=name, city=settings.city)

    async def stop_background() -> None:
        runtime.stopping = True
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
        asgi_routes=[("/healthz", healthz), ("/readyz", readyz), ("/metrics", metrics), *runtime.http_routes],
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
