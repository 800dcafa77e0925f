"""Against the real broker: when ensure_topics returns, the leader of every new partition answers for it (a
consumer's first request, ListOffsets, would otherwise get NotLeaderForPartitionError, which aiokafka logs as an
error on a clean first start)."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.offset import OffsetRequest, OffsetResetStrategy

from puente.wiring.messaging import ensure_topics

pytestmark = pytest.mark.integration


async def test_new_topics_are_served_by_their_leaders_when_ensure_topics_returns(settings):
    await ensure_topics(settings)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(settings.topics.all())
        answers = []
        for topic in described:
            for partition in topic["partitions"]:
                assert partition["leader"] >= 0, topic
                request = OffsetRequest(-1, 0, [(topic["topic"], [(partition["partition"],
                                                                   OffsetResetStrategy.LATEST)])])
                response = await admin._send_request_to_node(partition["leader"], request)
                answers += [(name, number, error) for name, parts in response.topics for number, error, *_ in parts]
    finally:
        await admin.close()
    assert sorted(topic["topic"] for topic in described) == sorted(settings.topics.all())
    assert len(answers) == settings.kafka_topic_partitions * len(settings.topics.all())
    assert [answer for answer in answers if answer[2] != 0] == [], "(topic, partition, error code) not served"
