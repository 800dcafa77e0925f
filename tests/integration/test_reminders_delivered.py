"""Reminders on the real servers and the Telegram sandbox, with the notifier on a clock the test moves: a person with
three late items gets one reminder (with a button per item) at the start of the next working day, not at night;
the coordinators' alerts are not deferred; after three reminders with no progress the coordinators are told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from puente.contracts.common import Line
from puente.wiring.clock import SettableClock
from services.intake.domain import proposal_from
from services.notifier.app import build_app as build_notifier
from services.phases.domain import overdue, start_process
from telegram_sandbox.app import SandboxServer
from tests.factories import propose_exchange, staff
from tests.handler_cases import APRENDE
from tests.helpers import city_config_with_coordinators, eventually, publish_message, running_app

pytestmark = pytest.mark.integration

TOKEN = "434343:SANDBOXtokenForReminderTests_abcdef"
PROPOSER, COORDINATOR = 5001, 9001
THURSDAY_NIGHT = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 21:00 on Thursday 3 December in Bogotá


async def bot_messages(control: httpx.AsyncClient, chat: int) -> list[dict]:
    history = (await control.get(f"/sandbox/chats/{chat}/messages")).json()["messages"]
    return [message for message in history if message["direction"] == "bot_to_user"]


async def test_three_late_items_make_one_reminder_in_working_hours_and_escalate(settings, tmp_path):
    clock = SettableClock(THURSDAY_NIGHT)
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        for user_id in (PROPOSER, COORDINATOR):
            await control.post("/sandbox/users", json={"id": user_id, "first_name": "Persona", "open_chat": True})
        live = settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_url": sandbox.bot_api_base_url,
            "city_config_dir": city_config_with_coordinators(tmp_path, COORDINATOR)})
        notifier = build_notifier(live, clock)
        async with running_app(notifier):
            for number in range(3):
                _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(PROPOSER), language="en"),
                                                             title=f"Item {number}"))
                proposed = proposed.model_copy(update={"payload": proposed.payload.model_copy(
                    update={"reference": f"AP-2026-{number + 1:04d}"})})
                started_on = date(2026, 11, 1)
                process, _ = start_process(str(proposed.payload.item_id), Line.aprende, proposed, APRENDE,
                                           datetime(2026, 11, 1, 15, tzinfo=UTC), started_on)
                _, late = overdue(process, date(2026, 12, 3), THURSDAY_NIGHT)
                await publish_message(settings, settings.topics.item_events, proposed)
                await publish_message(settings, settings.topics.phase_events, late)

            async def alerts() -> list[dict] | None:
                found = [m for m in await bot_messages(control, COORDINATOR) if m["text"].startswith("⏰")]
                return found if len(found) == 3 else None

            await eventually(alerts, timeout=60, message="the coordinator's three alerts, at once")
            assert [m["text"] for m in await bot_messages(control, PROPOSER)
                    if m["text"].startswith("✅")] and not [
                m for m in await bot_messages(control, PROPOSER) if m["text"].startswith("⏰ Reminder")], \
                "at night the proposer gets no reminder"

            async def reminders(count: int) -> list[dict] | None:
                found = [m for m in await bot_messages(control, PROPOSER) if m["text"].startswith("⏰ Reminder")]
                return found if len(found) == count else None

            for day, count in ((4, 1), (7, 2), (9, 3)):  # Friday, Monday, Wednesday (8 December is a holiday)
                clock.set(datetime(2026, 12, day, 13, 0, tzinfo=UTC))  # 08:00 in Bogotá
                notifier.runtime.scheduler.wake()
                found = await eventually(lambda count=count: reminders(count), timeout=60,
                                         message=f"reminder {count}")
            first = found[0]
            assert first["text"].startswith("⏰ Reminder: you have 3 items to attend to:\n• AP-2026-0001 “Item 0”")
            buttons = [button for row in first["reply_markup"]["inline_keyboard"] for button in row]
            assert [button["text"] for button in buttons] == ["🔎 AP-2026-0001", "🔎 AP-2026-0002", "🔎 AP-2026-0003"]

            async def escalations() -> list[dict] | None:
                found = [m for m in await bot_messages(control, COORDINATOR) if m["text"].startswith("🚨")]
                return found if len(found) == 3 else None

            told = await eventually(escalations, timeout=60, message="the escalations")
            assert told[0]["text"].startswith("🚨 AP-2026-000") and "3 recordatorios sin avance" in told[0]["text"]
            clock.advance(timedelta(days=1))
            notifier.runtime.scheduler.wake()
            await eventually(lambda: reminders(4), timeout=60, message="Thursday's reminder")
            assert len(await escalations() or []) == 3, "the coordinators are told once"
