"""A background loop that keeps failing is counted in /metrics, logged, and makes readiness say so."""

from __future__ import annotations

import asyncio

from pymongo.errors import ServerSelectionTimeoutError

from puente.wiring.metrics import LoopHealth, ServiceMetrics
from puente.wiring.outbox import RELAY_LOOP, OutboxRelay
from puente.wiring.settings import Settings
from tests.helpers import eventually


class UnreachableCollection:
    async def find_one_and_update(self, *arguments, **options):
        raise ServerSelectionTimeoutError("no servers found")

    async def delete_one(self, *arguments, **options):
        raise ServerSelectionTimeoutError("no servers found")


class UnreachableDatabase:
    def __getitem__(self, name: str) -> UnreachableCollection:
        return UnreachableCollection()


async def test_a_relay_whose_database_is_away_is_counted_and_reported_failing():
    metrics = ServiceMetrics("intake")
    settings = Settings(outbox_poll_seconds=0.01, outbox_lease_seconds=0.05)
    relay = OutboxRelay(UnreachableDatabase(), broker=None, settings=settings, metrics=metrics)
    relay.start()
    try:
        await eventually(lambda: asyncio.sleep(0, metrics.loops.failing()), timeout=5,
                         message="the relay to be reported failing")
    finally:
        await relay.stop()
    failures = metrics.registry.get_sample_value("puente_loop_failures_total",
                                                 {"service": "intake", "loop": RELAY_LOOP})
    assert failures >= LoopHealth.FAILING_AFTER
    assert metrics.loops.failing() == [RELAY_LOOP]


def test_one_successful_pass_clears_the_failing_state():
    health = ServiceMetrics("notifier").loops
    for _ in range(LoopHealth.FAILING_AFTER):
        health.failed("telegram-delivery")
    assert health.failing() == ["telegram-delivery"]
    health.succeeded("telegram-delivery")
    assert health.failing() == []


def test_readiness_fails_while_a_loop_keeps_failing():
    from puente.wiring.service import readiness

    assert readiness(True, True, []) == (200, b'{"kafka":true,"mongo":true,"failing_loops":[]}')
    assert readiness(True, True, ["outbox-relay"]) == (
        503, b'{"kafka":true,"mongo":true,"failing_loops":["outbox-relay"]}')
    assert readiness(True, False, [])[0] == 503
