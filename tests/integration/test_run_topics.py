"""Against the real broker: when ensure_topics returns, every partition of the topics it created has a leader."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient

from puente.wiring.messaging import ensure_topics


async def test_topics_have_a_leader_for_every_partition_when_ensure_topics_returns(settings):
    await ensure_topics(settings)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(settings.topics.all())
    finally:
        await admin.close()
    assert sorted(topic["topic"] for topic in described) == sorted(settings.topics.all())
    for topic in described:
        assert topic["error_code"] == 0, topic
        assert len(topic["partitions"]) == settings.kafka_topic_partitions, topic
        assert all(partition["leader"] >= 0 for partition in topic["partitions"]), topic
