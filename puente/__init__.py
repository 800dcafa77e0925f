"""Puente's shared package: the event contracts every service agrees on, and the wiring
(settings, Kafka and MongoDB connections, logging, health, outbox) every service is built with.

Nothing else is shared between services; a service never reads another service's collections.
"""
