"""Prometheus metrics of one service, in its own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.handled = Counter(
            "puente_messages_handled",
            "Messages handled, by type and outcome (applied, duplicate).",
            ["service", "type", "outcome"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "puente_dead_letters",
            "Messages sent to a dead-letter topic, by source topic.",
            ["service", "topic"],
            registry=self.registry,
        )
        self.outbox_published = Counter(
            "puente_outbox_published",
            "Events published from the outbox.",
            ["service"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "puente_outbox_pending",
            "Events waiting in the outbox at the last relay pass.",
            ["service"],
            registry=self.registry,
        )
        self.outbox_lease_held = Gauge(
            "puente_outbox_lease_held",
            "1 if this replica's relay held the outbox lease at its last pass, else 0.",
            ["service"],
            registry=self.registry,
        )
        self.loop_failures = Counter(
            "puente_loop_failures",
            "Failed passes of a background loop (outbox relay, Telegram delivery), by loop.",
            ["service", "loop"],
            registry=self.registry,
        )
        self.notification_outcomes = Counter(
            "puente_notification_outcomes",
            "Telegram sends by outcome: delivered, retried, failed (for good), migrated (followed to a new chat).",
            ["service", "outcome"],
            registry=self.registry,
        )
        self.service = service
        self.loops = LoopHealth(self)


class LoopHealth:
    """Whether each background loop's recent passes succeeded: one that keeps failing makes /readyz say so."""

    FAILING_AFTER = 3  # consecutive failed passes

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics
        self.consecutive_failures: dict[str, int] = {}

    def succeeded(self, loop: str) -> None:
        self.consecutive_failures[loop] = 0

    def failed(self, loop: str) -> None:
        self.consecutive_failures[loop] = self.consecutive_failures.get(loop, 0) + 1
        self.metrics.loop_failures.labels(self.metrics.service, loop).inc()

    def failures(self, loop: str) -> int:
        return self.consecutive_failures.get(loop, 0)

    def failing(self) -> list[str]:
        """The loops whose last FAILING_AFTER passes or more all failed."""
        return sorted(loop for loop, count in self.consecutive_failures.items() if count >= self.FAILING_AFTER)
