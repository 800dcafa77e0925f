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
        self.service = service
