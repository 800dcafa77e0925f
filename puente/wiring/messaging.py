"""Kafka through FastStream: the broker, topic creation, and the dead-letter route for poison messages."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from faststream import BaseMiddleware
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.message import StreamMessage
from pymongo.errors import ConnectionFailure, NetworkTimeout, PyMongoError, ServerSelectionTimeoutError

from puente.contracts.envelope import Message
from puente.contracts.parsing import InvalidMessage, parse_message
from puente.contracts.topics import DEAD_LETTER_SUFFIX, Topics
from puente.wiring.logging import get_logger, redact
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.settings import Settings
from puente.wiring.transaction import RetryLater

log = get_logger(__name__)

# Failures that pass by themselves: the message is not acknowledged and comes back after a pause.
TRANSIENT_ERRORS = (
    ConnectionFailure, NetworkTimeout, ServerSelectionTimeoutError, KafkaError, TimeoutError, RetryLater,
)
TRANSIENT_RETRY_PAUSE_SECONDS = 1.0
MAX_ERROR_HEADER_CHARS = 1000


def is_transient(error: BaseException) -> bool:
    """A failure that passes by itself. A transaction that kept meeting write conflicts until the driver gave up
    (its TransientTransactionError label) is one: delivered again, it runs again."""
    return isinstance(error, TRANSIENT_ERRORS) or (
        isinstance(error, PyMongoError) and error.has_error_label("TransientTransactionError"))


def dead_letter_headers(error: BaseException, raw: Any, consumer: str) -> dict[str, str]:
    return {
        "x-dead-letter-error": redact(str(error))[:MAX_ERROR_HEADER_CHARS],
        "x-dead-letter-error-class": type(error).__name__,
        "x-dead-letter-consumer": consumer,
        "x-original-topic": raw.topic,
        "x-original-partition": str(raw.partition),
        "x-original-offset": str(raw.offset),
        "x-dead-lettered-at": datetime.now(UTC).isoformat(),
    }


def dead_letter_middleware(
    service: str,
    topics: Topics,
    metrics: ServiceMetrics,
    routed_on: dict[str, tuple[type[Message], ...]] | None = None,
) -> type[BaseMiddleware]:
    """Checks each incoming message against the topic's contract before the handler sees it.

    A valid message of a type the service does not handle on that topic (`routed_on`, filled as the service
    subscribes) is acknowledged and counted as ignored: the topic may carry it, this service has nothing to do.

    An invalid message, or one whose handler fails for a reason that will not pass by itself, is published to
    `<topic>.dead-letter` with the error in its headers and acknowledged, so the consumer goes on. A transient
    failure (database or broker away) is raised again: the message is not acknowledged and is delivered again.
    """

    def accepted_on(topic: str) -> tuple[type[Message], ...]:
        try:
            return topics.messages_on(topic)
        except KeyError as unknown:
            raise InvalidMessage(f"no messages are expected on topic {topic}") from unknown

    class DeadLetterMiddleware(BaseMiddleware):
        async def consume_scope(self, call_next, msg: StreamMessage[Any]) -> Any:
            raw = msg.raw_message
            if raw.topic.endswith(DEAD_LETTER_SUFFIX):
                return await call_next(msg)
            try:
                message = parse_message(msg.body, accepted_on(raw.topic))
            except InvalidMessage as error:
                await self._send_to_dead_letters(msg, error)
                return None
            if routed_on is not None and raw.topic in routed_on and type(message) not in routed_on[raw.topic]:
                metrics.handled.labels(service, message.type, "ignored").inc()
                return None
            try:
                with structlog.contextvars.bound_contextvars(
                    message_type=message.type, event_id=str(message.event_id),
                    correlation_id=str(message.correlation_id),
                ):
                    result = await call_next(msg)
            except Exception as error:
                if is_transient(error):
                    log.warning("transient failure; the message will be delivered again", topic=raw.topic,
                                offset=raw.offset, exc_info=True)
                    await asyncio.sleep(TRANSIENT_RETRY_PAUSE_SECONDS)
                    raise
                # A poison message must not stop the consumer.
                log.exception("handler failed; sending the message to the dead-letter topic",
                              topic=raw.topic, type=message.type, event_id=str(message.event_id))
                await self._send_to_dead_letters(msg, error)
                return None
            return result

        async def _send_to_dead_letters(self, msg: StreamMessage[Any], error: BaseException) -> None:
            raw = msg.raw_message
            broker: KafkaBroker = self.context.get("broker")
            await broker.publish(
                msg.body,
                topic=Topics.dead_letter(raw.topic),
                key=raw.key,
                headers=dead_letter_headers(error, raw, service),
            )
            metrics.dead_letters.labels(service, raw.topic).inc()
            log.warning("message sent to the dead-letter topic", topic=raw.topic, offset=raw.offset,
                        error=redact(str(error))[:MAX_ERROR_HEADER_CHARS])

    return DeadLetterMiddleware


def build_broker(
    service: str, settings: Settings, metrics: ServiceMetrics,
    routed_on: dict[str, tuple[type[Message], ...]] | None = None,
) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=f"puente-{service}",
        acks="all",
        enable_idempotence=True,
        middlewares=[
            KafkaPrometheusMiddleware(registry=metrics.registry, app_name=f"puente-{service}"),
            dead_letter_middleware(service, settings.topics, metrics, routed_on),
        ],
        logger=logging.getLogger(f"puente.{service}.faststream"),
    )


async def ensure_topics(settings: Settings, leaders_timeout: float = 30.0, poll_interval: float = 0.1) -> None:
    """Create every topic the contract names, if missing, and wait until each partition's leader serves it.

    Idempotent; production may pre-create the topics instead. A consumer that asks for offsets before a new
    partition's leader serves it gets NotLeaderForPartitionError, which aiokafka logs as an error although it
    passes by itself; waiting here (at most `leaders_timeout` seconds) keeps a clean start free of them. The
    metadata may name a leader a moment before that leader answers for the partition, so the wait asks each
    leader for the partitions' offsets (ListOffsets, as a consumer does first) until every one answers.
    """
    from aiokafka.protocol.offset import OffsetRequest, OffsetResetStrategy

    async def not_served(topics: list[str]) -> list[str]:
        """The topics not known yet, without partitions yet, or with a partition whose leader does not serve it."""
        described = {topic["topic"]: topic for topic in await admin.describe_topics(topics)}
        leaderless = [
            name for name in topics
            if (topic := described.get(name)) is None or topic["error_code"] != 0 or not topic["partitions"]
            or any(partition["error_code"] != 0 or partition["leader"] < 0 for partition in topic["partitions"])
        ]
        if leaderless:
            return leaderless
        by_leader: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for name in topics:
            for partition in described[name]["partitions"]:
                by_leader.setdefault(partition["leader"], {}).setdefault(name, []).append(
                    (partition["partition"], OffsetResetStrategy.LATEST))
        unserved = set()
        for leader, partitions in by_leader.items():
            try:
                response = await admin._send_request_to_node(leader, OffsetRequest(-1, 0, list(partitions.items())))
            except (KafkaError, TimeoutError):
                unserved.update(partitions)
                continue
            unserved.update(topic for topic, answers in response.topics if any(answer[1] != 0 for answer in answers))
        return sorted(unserved)

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        topics = list(settings.topics.all())
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(topic, settings.kafka_topic_partitions, settings.kafka_replication_factor)
            for topic in topics
            if topic not in existing
        ]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another service created them at the same moment
        loop = asyncio.get_running_loop()
        deadline = loop.time() + leaders_timeout
        while (unserved := await not_served(topics)) and loop.time() < deadline:
            await asyncio.sleep(poll_interval)
        if unserved:
            log.warning("some topics' partitions have no serving leader yet; consumers will retry", topics=unserved,
                        waited_seconds=leaders_timeout)
    finally:
        await admin.close()
