"""Deliverables through the sandbox on the real servers: a document goes up in chat, is kept in the bot's GridFS with
its SHA-256, and comes back byte for byte from the item's card; a renamed program, an archive, an oversized file, a
number out of range and a past date are refused in the person's language, and nothing is kept or announced."""

from __future__ import annotations

import hashlib
import os

import httpx
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, read_topic, running_app, seated
from tests.integration.test_bot import TOKEN, Member, running_bot
from tests.integration.test_course import COORDINATOR, STAFF, deliver, propose, send_document
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

SHEET = b"%PDF-1.7\n" + os.urandom(300_000) + b"\n%%EOF\n"


async def test_a_document_goes_up_and_comes_back_identical_and_bad_input_is_refused(settings):
    await seated(settings, (COORDINATOR, "coordinator", None), (STAFF, "staff", "sed"))
    members = (Member(COORDINATOR, "coordinator", None, "Carlos Pérez"), Member(STAFF, "staff", "sed", "Ana Gómez"))
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    files = mongo[settings.database_name("bot")]["deliverables.files"]
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=60) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_phases(live)), \
                running_app(build_notifier(live)), running_bot(settings, sandbox, members=members):
            staff = Chat(control, STAFF, "en")
            code = await propose(staff, "/propose", "Open classrooms")

            # Refused before anything is kept: a program renamed .pdf, an archive, a file over 20 MB.
            await deliver(staff, code, 1, "Need sheet", None)
            await staff.send("not a file")  # typed text where a file belongs: asked again
            await staff.until("Send the file for “Need sheet”: pdf, docx")
            for name, content, answer in [
                ("sheet.pdf", b"MZ\x90\x00" + os.urandom(2000), "The file's content does not match its extension"),
                ("sheet.zip", b"PK\x03\x04" + os.urandom(2000), "I only accept pdf, docx, xlsx"),
                ("huge.pdf", b"%PDF-1.4\n" + bytes(21 * 1024 * 1024), "The file is over 20 MB"),
            ]:
                await send_document(staff, name, content)
                assert (await staff.until(answer))["text"]
            assert await files.count_documents({}) == 0, "nothing refused is kept"

            await send_document(staff, "need-sheet.pdf", SHEET)
            await staff.until("I received “Need sheet”")
            [kept] = await files.find().to_list()
            assert kept["length"] == len(SHEET) and kept["metadata"]["sha256"] == hashlib.sha256(SHEET).hexdigest()

            await deliver(staff, code, 1, "People in the technical team *", None)
            await staff.send("0")
            assert (await staff.until("That number"))["text"] == (
                "That number is outside the range the program asks for.")
            await staff.send("doce")
            await staff.until("That is not a number.")  # (the notifier's messages may come in between)
            await staff.send("12")
            await staff.until("I received “People in the technical team”")

            async def card_with_the_sheet() -> dict | None:
                await staff.send(f"/view {code}")
                message = await staff.next()
                return message if "☑ People in the technical team *: 12" in message["text"] else None

            card = await eventually(card_with_the_sheet, timeout=20, interval=0.3, message="the card's download")
            assert "☑ Need sheet: need-sheet.pdf" in card["text"] and "☐ The entity's commitment" in card["text"]
            assert "☑ People in the technical team *: 12" in card["text"]
            await staff.press(card, "⬇ need-sheet.pdf")
            returned = await staff.next()
            while not returned.get("document"):  # the notifier's messages may come in between
                returned = await staff.next()
            assert returned["document"]["file_name"] == "need-sheet.pdf"
            back = await control.get(f"/sandbox/files/{returned['document']['file_id']}")
            assert back.content == SHEET, "the document comes back byte for byte"

    await mongo.close()
    records = await read_topic(settings, settings.topics.phase_events, expected=3)
    assert [record.value.count(b'"deliverable.submitted"') for record in records] == [0, 1, 1], \
        "phase 1 started, then the two deliverables kept, and nothing for what was refused"
