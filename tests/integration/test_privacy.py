"""Habeas data through the sandbox over HTTP, on the real servers, with every service running: a staff member joins,
proposes an exchange, sees what Puente keeps about her (/mydata), leaves a form half written and asks to be
forgotten. Then no collection of any service names her or her Telegram account, her entity's exchange is intact,
the bot no longer knows her, and a form she left open does not resume when she comes back with a new
invitation."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from puente.contracts.people import Role
from services.intake.admin import invite_from_command_line
from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from services.reporting.app import build_app as build_reporting
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, mentions, running_app
from tests.integration.test_bot import TOKEN, running_bot
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

VALENTINA = 731950264
NAME = "Valentina Ospina Restrepo"
DRAFT = "Borrador a medio escribir"


async def everything_stored(settings) -> dict:
    """Every document of every collection of every service's database (inboxes and outboxes included)."""
    client = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    try:
        documents = {}
        for database in await client.list_database_names():
            if database.startswith(settings.mongo_database_prefix + "_"):
                for collection in await client[database].list_collection_names():
                    documents[f"{database}.{collection}"] = await client[database][collection].find().to_list()
        return documents
    finally:
        await client.close()


async def test_a_person_who_asks_to_be_forgotten_leaves_no_trace_and_her_entitys_exchange_stays(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_notifier(live)), \
                running_app(build_phases(live)), running_app(build_reporting(live)), \
                running_bot(settings, sandbox, members=()):
            issued = await invite_from_command_line(live, Role.staff, NAME, "sed")
            valentina = Chat(control, VALENTINA, "en")
            await valentina.send(f"/start {issued.code}")
            await valentina.until("👋 Welcome, Valentina")
            await valentina.me(NAME)

            await valentina.send("/propose")
            await valentina.until("Type a short title")
            await valentina.send("Open classrooms for rural schools")
            await valentina.until("Describe the institutional challenge")
            await valentina.send("Rural school dropout")
            await valentina.until('I received your exchange proposal "Open classrooms for rural schools"')
            await valentina.until("✅ Your proposal")  # registered: the notifier told her

            async def card_with_the_exchange() -> str | None:
                await valentina.send("/mydata")
                text = (await valentina.next())["text"]
                return text if "Exchanges and practices you proposed: 1" in text else None

            card = await eventually(card_with_the_exchange, timeout=20, interval=0.3, message="her data")
            assert card.startswith("What Puente keeps about you (Colombia's Law 1581 of 2012, habeas data)\n"
                                   f"Name: {NAME}\nTelegram account: {VALENTINA}\nRole: entity staff\n"
                                   "Entity: Secretaría Distrital de Educación\n")
            assert "• Open classrooms for rural schools" in card and card.endswith("/forgetme")
            assert mentions(await everything_stored(settings), NAME, VALENTINA), "her data is stored first"

            await valentina.send("/forgetme")
            confirmation = await valentina.next()
            assert confirmation["text"].startswith("Erase your personal data from Puente?")
            # A form left half written while the question waits: it is chat state, erased too.
            await valentina.send("/propose")
            await valentina.until("Type a short title")
            await valentina.send(DRAFT)
            await valentina.until("Describe the institutional challenge")
            await valentina.press(confirmation, "Yes, erase my data")
            assert (await valentina.next())["text"].startswith("Done: Puente is erasing your personal data")

            async def nothing_names_her() -> bool:
                stored = await everything_stored(settings)
                return not mentions(stored, NAME, VALENTINA) and not mentions(stored, DRAFT, VALENTINA)

            await eventually(nothing_names_her, timeout=30, interval=0.3,
                             message="every service to erase her data")
            stored = await everything_stored(settings)
            prefix = settings.mongo_database_prefix
            [item] = stored[f"{prefix}_intake.items"]
            assert (item["entity_id"], item["title"]) == ("sed", "Open classrooms for rural schools")
            assert stored[f"{prefix}_intake.people"] == []
            [view] = stored[f"{prefix}_bot.item_views"]
            assert (view["entity_id"], view["proposer_id"]) == ("sed", None)
            [process] = stored[f"{prefix}_phases.processes"]
            assert process["_id"] == item["_id"]

            await valentina.send("/mydata")
            assert (await valentina.next())["text"].startswith("Hello. I am Puente"), "the bot forgot her"

            # She comes back with a new invitation: the form she left open is gone, not resumed.
            again = await invite_from_command_line(live, Role.staff, NAME, "sed")
            await valentina.send(f"/start {again.code}")
            assert (await valentina.next())["text"] == "I am checking your invitation code…", "no form was open"
            await valentina.until("👋 Welcome, Valentina")
