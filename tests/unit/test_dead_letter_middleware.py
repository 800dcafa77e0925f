"""The dead-letter middleware in memory (FastStream's TestKafkaBroker): poison goes aside with its error,
a transient failure is raised again so the message is not acknowledged. The real-broker path is covered by
tests/integration/test_dead_letters.py."""

from __future__ import annotations

import pytest
from faststream.kafka import TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pymongo.errors import AutoReconnect, OperationFailure

import puente.wiring.messaging as messaging
from puente.contracts import TopicName, messages_on, one_of
from puente.wiring.messaging import build_broker
from puente.wiring.metrics import ServiceMetrics
from puente.wiring.settings import Settings
from tests.factories import propose_exchange

AnyIntakeCommand = one_of(messages_on(TopicName.intake_commands))


async def test_a_failing_handler_sends_the_message_aside_and_a_transient_failure_is_retried(monkeypatch):
    monkeypatch.setattr(messaging, "TRANSIENT_RETRY_PAUSE_SECONDS", 0)
    settings = Settings()
    metrics = ServiceMetrics("test")
    broker = build_broker("test", settings, metrics)
    gave_up = OperationFailure("Write conflict", code=112,
                               details={"errorLabels": ["TransientTransactionError"], "code": 112})
    failures = [ValueError("the practice has no sector"), AutoReconnect("primary stepped down"), gave_up]
    dead_letters = []

    @broker.subscriber(settings.topics.intake_commands, group_id="test")
    async def handle(command: AnyIntakeCommand) -> None:
        raise failures.pop(0)

    @broker.subscriber(settings.topics.dead_letter(settings.topics.intake_commands), group_id="test-dlq")
    async def collect(message: KafkaMessage) -> None:
        dead_letters.append((message.body, message.headers))

    async with TestKafkaBroker(broker) as test_broker:
        poison = propose_exchange()
        await test_broker.publish(poison.to_bytes(), settings.topics.intake_commands)
        with pytest.raises(AutoReconnect):
            await test_broker.publish(propose_exchange().to_bytes(), settings.topics.intake_commands)
        # The driver gave up a transaction that kept meeting write conflicts: delivered again, it runs again.
        with pytest.raises(OperationFailure):
            await test_broker.publish(propose_exchange().to_bytes(), settings.topics.intake_commands)
        handled = handle.mock.call_count

    assert [body for body, _ in dead_letters] == [poison.to_bytes()]
    headers = dead_letters[0][1]
    assert headers["x-dead-letter-error"] == "the practice has no sector"
    assert headers["x-dead-letter-error-class"] == "ValueError"
    assert headers["x-original-topic"] == settings.topics.intake_commands
    assert handled == 3, "every command reached the handler; only the poison one went aside"
    assert metrics.dead_letters.labels("test", settings.topics.intake_commands)._value.get() == 1


async def test_a_message_on_a_topic_with_no_message_list_goes_to_the_dead_letters():
    settings = Settings()
    metrics = ServiceMetrics("test")
    broker = build_broker("test", settings, metrics)
    stray_topic = f"{settings.kafka_topic_prefix}.nobody.listens"
    dead_letters = []

    @broker.subscriber(stray_topic, group_id="test")
    async def handle(command: AnyIntakeCommand) -> None:
        raise AssertionError("the handler must not see a message from a topic without a contract")

    @broker.subscriber(settings.topics.dead_letter(stray_topic), group_id="test-dlq")
    async def collect(message: KafkaMessage) -> None:
        dead_letters.append(message.headers)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(propose_exchange().to_bytes(), stray_topic)

    assert len(dead_letters) == 1
    assert dead_letters[0]["x-dead-letter-error"] == f"no messages are expected on topic {stray_topic}"
    assert metrics.dead_letters.labels("test", stray_topic)._value.get() == 1


async def test_a_valid_message_the_service_does_not_route_is_acknowledged_without_a_handler():
    """The topic carries it and the service has nothing to do with it: not a dead letter, counted as ignored."""
    from puente.contracts.items import ItemUpdated, ItemUpdatedPayload
    from services.intake.domain import proposal_from

    settings = Settings()
    metrics = ServiceMetrics("test")
    routed_on = {settings.topics.item_events: (messages_on(TopicName.item_events)[0],)}  # exchange.proposed only
    broker = build_broker("test", settings, metrics, routed_on)
    dead_letters = []
    _, proposed = proposal_from(propose_exchange())
    updated = ItemUpdated.new(
        payload=ItemUpdatedPayload(item_id=proposed.payload.item_id, line="aprende", revision=2,
                                   changes={"title": "Otro"}),
        actor=proposed.actor, city="bogota",
    )

    @broker.subscriber(settings.topics.item_events, group_id="test")
    async def handle(event: one_of(routed_on[settings.topics.item_events])) -> None:
        pass

    @broker.subscriber(settings.topics.dead_letter(settings.topics.item_events), group_id="test-dlq")
    async def collect(message: KafkaMessage) -> None:
        dead_letters.append(message.headers)

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(updated.to_bytes(), settings.topics.item_events)
        await test_broker.publish(proposed.to_bytes(), settings.topics.item_events)
        handled = [call.args[0]["type"] for call in handle.mock.call_args_list]

    assert handled == ["exchange.proposed"] and dead_letters == []
    assert metrics.handled.labels("test", "item.updated", "ignored")._value.get() == 1
