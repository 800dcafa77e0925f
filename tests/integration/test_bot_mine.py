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
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

PERSON = 778
COORDINATOR = 779
PLAN = [PhasePlan("demand", 30), PhasePlan("matching", 45)]


async def test_a_person_sees_their_items_in_pages_with_phase_due_date_and_lateness(settings):
    start = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    proposals = [proposal_from(propose_exchange(actor=staff(user_id=str(PERSON), language="en"),
                                                title=f"Exchange {number:02d}"))[1] for number in range(10)]
    someone_elses = proposal_from(propose_exchange(entity_id="sds", actor=staff("sds", user_id="999"),
                                                   title="Another entity's"))[1]
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    views = mongo[settings.database_name("bot")]["item_views"]
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        async with running_bot(settings, sandbox, (Member(PERSON), Member(COORDINATOR, "coordinator", None))):
            empty = await send(control, "/mine", language="en", user=PERSON)
            [answer] = await bot_messages(control, empty, 1, user=PERSON)
            assert answer["text"].startswith("You have no exchanges or practices registered yet.")
            assert not answer.get("reply_markup"), "staff have no filters"

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
            assert lines[0] == "Exchanges and practices of Secretaría Distrital de Educación (10), page 1 of 2:"
            assert lines[1] == "“Exchange 09” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01"
            assert [line.split("”")[0] for line in lines[1:]] == [f"“Exchange {n:02d}" for n in range(9, 1, -1)]
            *opens, [next_button] = first_page["reply_markup"]["inline_keyboard"]
            assert next_button["text"] == "Next ›" and [len(row) for row in opens] == [4, 4]
            assert all(button["callback_data"].startswith("card:") for row in opens for button in row)

            pressed = await control.post("/sandbox/callbacks", json={
                "user_id": PERSON, "callback_data": next_button["callback_data"],
                "message_id": first_page["message_id"]})
            query_id = pressed.json()["callback_query"]["id"]
            await control.get(f"/sandbox/callbacks/{query_id}", params={"timeout": 20})
            turned = await eventually(lambda: _edited(control, first_page["message_id"]), message="page 2")

            # A coordinator sees every entity's items and narrows them with buttons.
            coordinator = Chat(control, COORDINATOR, "en")
            await coordinator.send("/mine")
            every = await coordinator.next()
            assert every["text"].startswith("Exchanges and practices of every entity (11), page 1 of 2:")
            filters = every["reply_markup"]["inline_keyboard"][-1]
            assert [button["text"] for button in filters] == ["Entity", "Bogotá Learns", "Bogotá Shares", "⏰"]
            await coordinator.press(every, "⏰")
            late = await eventually(lambda: _edited(control, every["message_id"], COORDINATOR, "(1)"),
                                    message="only the late one")
            assert "“Exchange 00”" in late["text"] and "● ⏰" in str(late["reply_markup"])
            await coordinator.press(late, "Entity")
            entities = await eventually(lambda: _edited(control, every["message_id"], COORDINATOR, "Which entity?"),
                                        message="the entities")
            await coordinator.press(entities, "sds")
            sds = await eventually(lambda: _edited(control, every["message_id"], COORDINATOR, "No exchange"),
                                   message="sds has nothing late")
            assert sds["text"] == "No exchange or practice matches the filter. Change it with the buttons."
            await coordinator.press(sds, "● ⏰")
            only_sds = await eventually(lambda: _edited(control, every["message_id"], COORDINATOR, "(1)"),
                                        message="sds's item")
            assert only_sds["text"].startswith("Exchanges and practices of Secretaría Distrital de Salud (1)")
            await coordinator.press(only_sds, "🔎 Another entity's")
            card = await coordinator.until("“Another entity's”")
            assert card["text"].startswith("“Another entity's”\nBogotá Learns · Secretaría Distrital de Salud\n")
    await mongo.close()
    lines = turned["text"].split("\n\n")
    assert lines[0] == "Exchanges and practices of Secretaría Distrital de Educación (10), page 2 of 2:"
    assert lines[1:] == [
        "“Exchange 01” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01",
        "“Exchange 00” · Bogotá Learns\nPhase 1 of 6: Demand and anchoring · due on 2026-12-01 ⏰ late",
    ]
    assert [button["text"] for button in turned["reply_markup"]["inline_keyboard"][-1]] == ["‹ Previous"]


async def _all_seen(views, count: int) -> bool:
    return await views.count_documents({"proposed_at": {"$ne": None}, "phase_number": 1}) == count


async def _edited(control: httpx.AsyncClient, message_id: int, chat: int = PERSON,
                  showing: str = "page 2") -> dict | None:
    history = (await control.get(f"/sandbox/chats/{chat}/messages")).json()["messages"]
    message = next(message for message in history if message["message_id"] == message_id)
    return message if showing in message["text"] else None
