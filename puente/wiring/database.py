"""MongoDB through PyMongo's native async client (Motor is end-of-life)."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from puente.wiring.settings import Settings


def connect_mongo(settings: Settings) -> AsyncMongoClient:
    """One client per process; it pools connections. Timeouts are short so readiness reports trouble quickly."""
    return AsyncMongoClient(
        settings.mongo_uri.get_secret_value(),
        serverSelectionTimeoutMS=5000,
        connectTimeoutMS=5000,
        tz_aware=True,
        uuidRepresentation="standard",
    )


def service_database(client: AsyncMongoClient, settings: Settings, service: str) -> AsyncDatabase:
    return client[settings.database_name(service)]


async def mongo_is_ready(client: AsyncMongoClient) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True
