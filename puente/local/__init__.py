"""Local infrastructure for development and tests: real Apache Kafka (KRaft) and the SecantusDB server.

Not used by the services themselves; production points them at a Kafka cluster and a MongoDB replica set.
"""
