"""Nothing lost, nothing twice: intake is killed between the database write and the Kafka publish, and after
the publish but before the outbox is cleared. After a restart the consumer applies the event exactly once."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from puente.contracts.envelope import derived_id
from puente.wiring.settings import CrashPoint
from services.phases.app import build_app as build_phases
from tests.conftest import service_environment
from tests.factories import propose_exchange
from tests.helpers import eventually, publish_message, read_topic, running_app, seated

pytestmark = pytest.mark.integration


async def start_intake(settings, log: Path, crash_at: CrashPoint) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.intake",
        env=service_environment(settings, PUENTE_CRASH_AT=crash_at.value, PUENTE_HTTP_PORT="0"),
        stdout=log.open("ab"), stderr=asyncio.subprocess.STDOUT,
    )


async def stop(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=30)


@pytest.mark.parametrize(
    ("crash_at", "copies_on_topic"),
    [(CrashPoint.after_outbox_write, 1), (CrashPoint.after_publish, 2)],
)
async def test_killed_intake_still_delivers_the_event_exactly_once(settings, tmp_path, crash_at, copies_on_topic):
    await seated(settings, (5001, "staff", "sed"))
    command = propose_exchange(title=f"Prueba de caída {crash_at.value}")
    item_id = str(derived_id(command.event_id, "item"))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    intake_db = mongo[settings.database_name("intake")]
    phases_db = mongo[settings.database_name("phases")]
    log = tmp_path / "intake.log"
    try:
        intake = await start_intake(settings, log, crash_at)
        await publish_message(settings, settings.topics.intake_commands, command)
        exit_code = await asyncio.wait_for(intake.wait(), timeout=60)
        assert exit_code == -signal.SIGKILL, f"intake should have been killed at {crash_at}; log:\n{log.read_text()}"

        # The change and its event are both in the database; the event has not been taken off the outbox.
        assert await intake_db.items.count_documents({"_id": item_id}) == 1
        assert await intake_db.outbox.count_documents({}) == 1

        intake = await start_intake(settings, log, CrashPoint.none)
        try:
            async with running_app(build_phases(settings)):
                await eventually(lambda: phases_db.processes.find_one({"_id": item_id}),
                                 message="phases to receive the event after intake's restart")
                await eventually(lambda: _outbox_empty(intake_db), message="the relay to clear the outbox")
                on_topic = await read_topic(settings, settings.topics.item_events, expected=copies_on_topic)
                phase_events = await read_topic(settings, settings.topics.phase_events, expected=1)
        finally:
            assert await stop(intake) == 0, f"intake should stop cleanly on SIGTERM; log:\n{log.read_text()}"

        assert len(on_topic) == copies_on_topic, "a crash after the publish sends the event again, with the same id"
        assert len({record.value for record in on_topic}) == 1
        assert await intake_db.items.count_documents({}) == 1, "the redelivered command changed nothing"
        assert await phases_db.processes.count_documents({}) == 1
        assert await phases_db.inbox.count_documents({}) == 1, "phases applied the event exactly once"
        assert len(phase_events) == 1, "and announced its first phase once"
    finally:
        await mongo.close()


async def _outbox_empty(database) -> bool:
    return await database.outbox.count_documents({}) == 0
