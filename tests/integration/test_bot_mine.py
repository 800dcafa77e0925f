"""/mine on real servers: the bot keeps its own view of the item and phase events it reads from Kafka, and shows a
person their exchanges and practices in pages whose buttons turn the same message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pymongo import AsyncMongoClient

from puente.contracts.common import Line
from services.intake.domain import proposal_from
from services.phases.domain import PhasePlan, overdue, start_process
from telegram_sandbox.app import SandboxServer
from tests.factories import propose_exchange, staff
from tests.helpers import eventually, publish_message
from tests.integration.test_bot import TOKEN, Member, bot_messages, running_bot, send

pytestmark = pytest.mark.integration

PERSON = 778
PLAN = [PhasePlan("demand", 30), PhasePlan("matching", 45)]


async def test_a_person_sees_their_items_in_pages_with_phase_due_date_and_lateness(settings):
    start = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    proposals = [proposal_from(propose_exchange(actor=staff(user_id=str(PERSON), language="en"),
                                                title=f"Exchange {number:02d}"))[1] for number in range(10)]
    someone_elses = proposal_from(propose_exchange(actor=staff(user_id="999"), title="Not theirs"))[1]
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    views = mongo[settings.database_name("bot")]["item_views"]
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox, (Member(PERSON),)):
            empty = await send(control, "/mine", language="en", user=PERSON)
            [answer] = await bot_messages(control, empty, 1, user=PERSON)
            assert answer["text"].startswith("You have no exchanges or practices registered yet.")

            for number, proposal in enumerate([*proposals, someone_elses]):
                proposal = proposal.model_copy(update={"occurred_at": start + timedelta(minutes=number)})
                process, started = start_process(str(proposal.payload.item_id), Line.aprende, proposal, PLAN,
                                                 proposal.occurred_at, date(2026, 11, 1))
                await publish_message(settings, settings.topics.phase_events, started)  # may overtake its item
                await publish_message(settings, settings.topics.item_events, proposal)
                if number == 0:
                    await publish_message(settings, settings.topics.phase_events,
                                          overdue(process, date(2026, 12, 4), start)[1])
            await eventually(lambda: _all_seen(views, 11), message="the bot's view of every item")

            asked = await send(control, "/mine", language="en", user=PERSON)
            [first_page] = await bot_messages(control, asked, 1, user=PERSON)
            lines = first_page["text"].split("\n\n")
            assert lines[0] == "Your exchanges and practices (10), page 1 of 2:"
            assert lines[1] == "“Exchange 09” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01"
            assert [line.split("”")[0] for line in lines[1:]] == [f"“Exchange {n:02d}" for n in range(9, 1, -1)]
            [[next_button]] = first_page["reply_markup"]["inline_keyboard"]
            assert next_button["text"] == "Next ›"

            pressed = await control.post("/sandbox/callbacks", json={
                "user_id": PERSON, "callback_data": next_button["callback_data"],
                "message_id": first_page["message_id"]})
            query_id = pressed.json()["callback_query"]["id"]
            await control.get(f"/sandbox/callbacks/{query_id}", params={"timeout": 20})
            turned = await eventually(lambda: _edited(control, first_page["message_id"]), message="page 2")
    await mongo.close()
    lines = turned["text"].split("\n\n")
    assert lines[0] == "Your exchanges and practices (10), page 2 of 2:"
    assert lines[1:] == [
        "“Exchange 01” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01",
        "“Exchange 00” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01 ⏰ late",
    ]
    assert [button["text"] for button in turned["reply_markup"]["inline_keyboard"][0]] == ["‹ Previous"]


async def _all_seen(views, count: int) -> bool:
    return await views.count_documents({"proposed_at": {"$ne": None}, "phase_number": 1}) == count


async def _edited(control: httpx.AsyncClient, message_id: int) -> dict | None:
    history = (await control.get(f"/sandbox/chats/{PERSON}/messages")).json()["messages"]
    message = next(message for message in history if message["message_id"] == message_id)
    return message if "page 2" in message["text"] else None
