"""ensure_topics returns only once every partition of every topic has a leader that serves it, so that consumers
starting right after it do not ask a partition without a serving leader for offsets (aiokafka logs that as an
error: NotLeaderForPartitionError on a clean first start)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from puente.wiring import messaging
from puente.wiring.settings import Settings

NOT_LEADER = 6


class FakeAdmin:
    """Metadata shows no leader for the first `leaderless_answers` describe calls; then the leader answers
    ListOffsets with NotLeaderForPartition `unserved_answers` times (a leader named before it serves)."""

    def __init__(self, leaderless_answers: int = 0, unserved_answers: int = 0) -> None:
        self.leaderless_answers = leaderless_answers
        self.unserved_answers = unserved_answers
        self.created: list[str] = []
        self.describe_calls = 0
        self.offset_requests = 0
        self.closed = False

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        self.closed = True

    async def list_topics(self) -> list[str]:
        return []

    async def create_topics(self, topics) -> None:
        self.created = [topic.name for topic in topics]

    async def describe_topics(self, topics: list[str]) -> list[dict]:
        self.describe_calls += 1
        leader = -1 if self.describe_calls <= self.leaderless_answers else 1
        return [
            {"topic": topic, "error_code": 0,
             "partitions": [{"partition": p, "error_code": 0, "leader": leader} for p in range(3)]}
            for topic in topics
        ]

    async def _send_request_to_node(self, node_id: int, request) -> SimpleNamespace:
        assert node_id == 1, "asked the partitions' leader"
        self.offset_requests += 1
        error = NOT_LEADER if self.offset_requests <= self.unserved_answers else 0
        return SimpleNamespace(topics=[
            (topic, [(partition, error, -1, 0) for partition, _ in partitions])
            for topic, partitions in request._topics
        ])


@pytest.fixture
def admin(monkeypatch):
    fake = FakeAdmin()
    monkeypatch.setattr(messaging, "AIOKafkaAdminClient", lambda **_: fake)
    return fake


async def test_ensure_topics_waits_until_every_partition_has_a_leader(admin):
    admin.leaderless_answers = 3
    settings = Settings(kafka_topic_prefix="leaders")
    await messaging.ensure_topics(settings, poll_interval=0)
    assert admin.created == settings.topics.all()
    assert admin.describe_calls == 4, "asked again until the metadata showed a leader everywhere"
    assert admin.offset_requests == 1
    assert admin.closed


async def test_ensure_topics_waits_until_each_leader_serves_its_partitions(admin):
    admin.unserved_answers = 2
    await messaging.ensure_topics(Settings(kafka_topic_prefix="leaders"), poll_interval=0)
    assert admin.offset_requests == 3, "asked the leader again until it answered for every partition"


async def test_ensure_topics_gives_up_waiting_after_its_bound(admin, monkeypatch):
    admin.unserved_answers = 10**9
    warnings = []
    monkeypatch.setattr(messaging.log, "warning", lambda event, **fields: warnings.append((event, fields)))
    await messaging.ensure_topics(Settings(kafka_topic_prefix="leaders"), leaders_timeout=0, poll_interval=0)
    assert admin.closed
    assert warnings and "no serving leader" in warnings[0][0]
