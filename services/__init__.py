"""Puente's event-driven services. Each talks to the others only through Kafka and keeps its own database."""
