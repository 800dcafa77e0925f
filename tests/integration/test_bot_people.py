"""/people and /remove on real servers: a coordinator pages through an entity's people with buttons that edit the
same message, and /remove offers only removal; the confirmed removal sends one command naming the person, and
retired or forged buttons change nothing."""

from __future__ import annotations

import uuid

import httpx
import pytest

from puente.contracts import TopicName, messages_on, parse_message
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, read_topic
from tests.integration.test_bot import TOKEN, Member, running_bot
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

COORDINATOR = 7301
SED_STAFF = [Member(7310 + number, "staff", "sed", f"Persona {number:02d}") for number in range(1, 13)]
ELSEWHERE = Member(7399, "staff", "sdm", "Alguien de Movilidad")


def buttons_of(message: dict) -> list[list[str]]:
    return [[button["text"] for button in row] for row in (message.get("reply_markup") or {}).get(
        "inline_keyboard", [])]


async def edited(control: httpx.AsyncClient, chat: int, message_id: int, containing: str) -> dict | None:
    history = (await control.get(f"/sandbox/chats/{chat}/messages")).json()["messages"]
    message = next(message for message in history if message["message_id"] == message_id)
    return message if containing in message["text"] else None


async def test_a_coordinator_pages_through_an_entitys_people_and_removes_one_with_remove(settings):
    members = (Member(COORDINATOR, "coordinator", None, "Carlos Pérez"), *SED_STAFF, ELSEWHERE)
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox, members=members):
            coordinator = Chat(control, COORDINATOR, "en")
            await coordinator.send("/people")
            await coordinator.press(await coordinator.next(), "sed")
            first = await coordinator.next()
            lines = first["text"].split("\n")
            assert lines[0] == "Secretaría Distrital de Educación: 12 people · page 1 of 2"
            assert lines[1:] == [f"• Persona {number:02d} · entity staff" for number in range(1, 11)]
            assert buttons_of(first)[0] == ["✎ Persona 01", "✖ Persona 01"]
            assert buttons_of(first)[-1] == ["Next ›"] and len(buttons_of(first)) == 11

            await coordinator.press(first, "Next ›")
            second = await eventually(lambda: edited(control, COORDINATOR, first["message_id"], "page 2 of 2"),
                                      message="page 2 in the same message")
            assert second["text"].split("\n")[1:] == ["• Persona 11 · entity staff", "• Persona 12 · entity staff"]
            assert buttons_of(second) == [["✎ Persona 11", "✖ Persona 11"], ["✎ Persona 12", "✖ Persona 12"],
                                          ["‹ Previous"]]

            await coordinator.send("/remove")
            question = await coordinator.next()
            assert question["text"] == "Which entity does the person you want to remove belong to?"
            await coordinator.press(question, "sed")
            only_removal = await coordinator.next()
            assert buttons_of(only_removal)[:2] == [["✖ Persona 01"], ["✖ Persona 02"]]
            await coordinator.press(only_removal, "✖ Persona 02")
            confirmation = await coordinator.next()
            assert confirmation["text"].startswith("Remove Persona 02 (entity staff) from the program?")
            await coordinator.press(confirmation, "Yes, remove")
            assert (await coordinator.next())["text"] == (
                "I asked to remove Persona 02 from the program; they will be told in their language.")

            # Retired buttons (before pages) and forged data: refused, nothing sent.
            for forged in ("people:entity:sed", "people:page:a:0:nasa", "people:page:x:0:sed",
                           f"people:confirm:{uuid.uuid4()}"):
                pressed = await control.post("/sandbox/callbacks", json={
                    "user_id": COORDINATOR, "message_id": coordinator.last_seen, "callback_data": forged,
                    "forged": True})
                assert pressed.status_code == 200
                assert (await coordinator.next())["text"] == "That button no longer works. Start again with /people."

    [record] = await read_topic(settings, settings.topics.intake_commands, expected=1)
    command = parse_message(record.value, messages_on(TopicName.intake_commands))
    assert command.type == "remove_person" and command.actor.id == str(COORDINATOR)
    assert command.payload.person_id == uuid.uuid5(uuid.NAMESPACE_OID, f"{settings.kafka_topic_prefix}/7312")
