"""Against the real broker: when ensure_topics returns, a consumer can ask every new partition for its offsets at
once, without the NotLeaderForPartitionError that aiokafka logs as an error."""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from puente.wiring.messaging import ensure_topics


async def test_new_topics_are_served_by_their_leaders_when_ensure_topics_returns(settings, caplog):
    await ensure_topics(settings)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await consumer.start()
    await admin.start()
    try:
        described = await admin.describe_topics(settings.topics.all())
        partitions = [TopicPartition(topic["topic"], partition["partition"])
                      for topic in described for partition in topic["partitions"]]
        with caplog.at_level(logging.ERROR, logger="aiokafka"):
            offsets = await consumer.end_offsets(partitions)
    finally:
        await admin.close()
        await consumer.stop()
    assert sorted(topic["topic"] for topic in described) == sorted(settings.topics.all())
    assert len(partitions) == settings.kafka_topic_partitions * len(settings.topics.all())
    assert all(offsets[partition] == 0 for partition in partitions)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR], caplog.text
