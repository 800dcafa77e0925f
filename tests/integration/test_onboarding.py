"""Onboarding through the sandbox over HTTP, on the real servers: the first administrator is invited from the
command line and joins with the link's code; they invite a coordinator from chat, who invites a staff member of
`sed` with buttons; used and wrong codes are refused, and the sixth wrong code in an hour locks the account out.
Every answer is in the person's language."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from puente.contracts.people import Role, code_hash
from puente.local.processes import free_port
from puente.wiring.clock import SettableClock
from services.intake.admin import invite_from_command_line
from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from telegram_sandbox.app import SandboxServer
from tests.conftest import service_environment
from tests.helpers import eventually, running_app, seated
from tests.integration.test_bot import TOKEN, Member, running_bot

pytestmark = pytest.mark.integration

ADMIN, COORDINATOR, STAFF, STRANGER, LATECOMER, EVALUATOR = 9201, 9202, 9203, 9204, 9205, 9206


class Chat:
    """One person in the sandbox: sends, presses, and reads the bot's messages in order."""

    def __init__(self, control: httpx.AsyncClient, user: int, language: str) -> None:
        self.control, self.user, self.language = control, user, language
        self.last_seen = 0

    async def send(self, text: str) -> None:
        sent = await self.control.post("/sandbox/messages", json={
            "user_id": self.user, "text": text, "first_name": "Persona", "language_code": self.language})
        assert sent.status_code == 200, sent.text
        self.last_seen = max(self.last_seen, sent.json()["message"]["message_id"])

    async def next(self) -> dict:
        answer = await self.control.get(f"/sandbox/chats/{self.user}/next_bot_message",
                                        params={"after_message_id": self.last_seen, "timeout": 30})
        assert answer.status_code == 200, f"no answer in chat {self.user}"
        message = answer.json()["message"]
        self.last_seen = message["message_id"]
        return message

    async def until(self, starts_with: str, most: int = 5) -> dict:
        """The next bot message that starts with this text (the bot and the notifier both write here), passing
        fewer than `most` others."""
        seen = []
        while not ((message := await self.next())["text"] or "").startswith(starts_with):
            seen.append(message["text"])
            assert len(seen) < most, f"expected {starts_with!r}, got {seen}"
        return message

    async def press(self, message: dict, text: str) -> None:
        buttons = [button for row in message["reply_markup"]["inline_keyboard"] for button in row]
        [button] = [button for button in buttons if button["text"] == text]
        pressed = await self.control.post("/sandbox/callbacks", json={
            "user_id": self.user, "message_id": message["message_id"], "callback_data": button["callback_data"]})
        assert pressed.status_code == 200, pressed.text

    async def me(self, starts_with: str) -> str:
        """/yo until the bot's view of the directory knows the person (it follows the events)."""
        async def card() -> str | None:
            await self.send("/yo" if self.language == "es" else "/me")
            text = (await self.next())["text"]
            return text if text.startswith(starts_with) else None

        return await eventually(card, timeout=20, interval=0.3, message=f"{self.user}'s card")


def code_in(text: str) -> str:
    return re.search(r"\?start=([A-Z0-9]{12})", text).group(1)


async def test_from_the_first_administrator_to_a_staff_member_of_sed(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_notifier(live)), \
                running_bot(settings, sandbox, members=()):
            issued = await invite_from_command_line(live, Role.administrator, "Laura Ruiz", None)
            assert issued.outcome == "applied" and re.fullmatch(r"[A-Z0-9]{12}", issued.code)
            bot_username = (await control.get("/sandbox/bot")).json()["bot"]["username"]
            assert issued.bot_username == bot_username

            admin = Chat(control, ADMIN, "es")
            await admin.send(f"/start {issued.code}")
            assert (await admin.next())["text"] == "Estoy revisando tu código de invitación…"
            welcome = (await admin.until("👋"))["text"]
            assert welcome.startswith("👋 ¡Te damos la bienvenida, Laura Ruiz! Ya haces parte del Programa de Buenas "
                                      "Prácticas con el rol de administrador(a).")
            assert await admin.me("Laura Ruiz") == "Laura Ruiz\nRol: administrador(a)\nEntidad: —\nIdioma: español"

            await admin.send("/invitar")
            roles = await admin.next()
            assert [button["text"] for row in roles["reply_markup"]["inline_keyboard"] for button in row] == [
                "personal de entidad", "evaluador(a)", "coordinador(a)", "administrador(a)"]
            await admin.press(roles, "coordinador(a)")
            assert (await admin.next())["text"].startswith("Escribe el nombre de la persona")
            await admin.send("Carlos Pérez")
            created = (await admin.next())["text"]
            assert created.startswith("Invitación creada para Carlos Pérez (coordinador(a)).")
            assert f"https://t.me/{bot_username}?start=" in created and "72 horas" in created

            coordinator = Chat(control, COORDINATOR, "en")
            coordinators_code = code_in(created)
            await coordinator.send(f"/start {coordinators_code}")
            assert (await coordinator.until("👋"))["text"].startswith(
                "👋 Welcome, Carlos Pérez! You are now in the Best Practices Program as coordinator.")
            await coordinator.me("Carlos Pérez")

            await coordinator.send("/invite")
            roles = await coordinator.next()
            assert "administrator" not in str(roles["reply_markup"]), "only administrators invite administrators"
            await coordinator.press(roles, "entity staff")
            entities = await coordinator.next()
            assert entities["text"] == "Which entity are they from?"
            await coordinator.press(entities, "sed")
            await coordinator.until("Type the person's name")
            await coordinator.send("Sofía Díaz")
            staff_code = code_in((await coordinator.until("Invitation created for Sofía Díaz (entity staff)."))["text"])

            staff = Chat(control, STAFF, "es")
            await staff.send(f"/start {staff_code.lower()[:6]}-{staff_code.lower()[6:]}")  # typed loosely
            assert (await staff.until("👋"))["text"].startswith(
                "👋 ¡Te damos la bienvenida, Sofía Díaz! Ya haces parte del Programa de Buenas Prácticas con el rol "
                "de personal de entidad de Secretaría Distrital de Educación.")
            await staff.me("Sofía Díaz")
            await staff.send("/invitar")
            assert (await staff.next())["text"] == (
                "Solo la coordinación y la administración del programa pueden invitar personas.")
            # A modified client presses a role button it was never shown, on a message of the bot's.
            forged = await control.post("/sandbox/callbacks", json={
                "user_id": STAFF, "message_id": staff.last_seen, "callback_data": "invite:role:administrator",
                "forged": True})
            assert forged.status_code == 200
            assert (await staff.next())["text"] == "Ese botón ya no sirve. Empieza de nuevo con /invitar."

            # The coordinator makes her an evaluator of sds, then removes her after a confirmation.
            await coordinator.send("/people")
            entities = await coordinator.next()
            assert "Coordinators and administrators" in str(entities["reply_markup"])
            await coordinator.press(entities, "sed")
            listed = await coordinator.next()
            assert listed["text"] == "Secretaría Distrital de Educación: 1 person\n• Sofía Díaz · entity staff"
            await coordinator.press(listed, "✎ Sofía Díaz")
            roles = await coordinator.next()
            assert roles["text"] == "Which role will Sofía Díaz have?"
            await coordinator.press(roles, "evaluator")
            await coordinator.press(await coordinator.until("Which entity will Sofía Díaz belong to?"), "sds")
            assert (await coordinator.next())["text"] == (
                "I asked to change Sofía Díaz to evaluator; they will be told in their language.")
            assert (await staff.until("Tu rol"))["text"] == (
                "Tu rol en el Programa de Buenas Prácticas cambió: ahora eres evaluador(a) de Secretaría Distrital "
                "de Salud.")
            await staff.me("Sofía Díaz\nRol: evaluador(a)")

            await coordinator.send("/people")
            await coordinator.press(await coordinator.next(), "sds")
            listed = await coordinator.next()
            assert listed["text"] == "Secretaría Distrital de Salud: 1 person\n• Sofía Díaz · evaluator"
            await coordinator.press(listed, "✖ Sofía Díaz")
            confirmation = await coordinator.next()
            assert confirmation["text"].startswith("Remove Sofía Díaz (evaluator) from the program?")
            await coordinator.press(confirmation, "Yes, remove")
            assert (await coordinator.next())["text"] == (
                "I asked to remove Sofía Díaz from the program; they will be told in their language.")
            assert (await staff.until("Ya no haces parte"))["text"].startswith(
                "Ya no haces parte del Programa de Buenas Prácticas en Puente.")

            async def turned_away() -> bool:
                await staff.send("/yo")
                return (await staff.next())["text"].startswith("Hola. Soy Puente")

            await eventually(turned_away, timeout=20, interval=0.3, message="the removed person to be turned away")

            latecomer = Chat(control, LATECOMER, "es")
            await latecomer.send(f"/start {coordinators_code}")
            assert (await latecomer.until("⚠️"))["text"].endswith("ese código de invitación ya se usó. Pide uno nuevo "
                                                                   "a quien te invitó.")
            await latecomer.send("/start hola")
            assert (await latecomer.next())["text"].startswith("Eso no parece un código de invitación")

            stranger = Chat(control, STRANGER, "en")
            for attempt in range(5):
                await stranger.send(f"/start ZZZZZZZZZZZ{'ABCDE'[attempt]}")
                assert (await stranger.until("⚠️"))["text"].endswith(
                    "that invitation code does not exist. Check that it is complete (12 characters).")
            await stranger.send("/start ZZZZZZZZZZZF")
            assert (await stranger.until("⚠️"))["text"].endswith(
                "too many wrong codes came from your account. Wait an hour and try again.")
            await stranger.send("/me")
            assert (await stranger.next())["text"].startswith("Hello. I am Puente, the Best Practices Program's "
                                                             "assistant, and I only serve people invited")


async def test_an_expired_code_is_refused_and_the_same_code_works_before_it_expires(settings):
    """Intake runs on a clock the test moves: 72 hours after the invitation, its code no longer opens anything."""
    clock = SettableClock(datetime.now(UTC))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live, clock)), running_app(build_notifier(live)), \
                running_bot(settings, sandbox, members=()):
            issued = await invite_from_command_line(live, Role.staff, "Marta León", "sed")
            clock.set(datetime.now(UTC) + timedelta(hours=72, seconds=1))  # the CLI invited on the real clock
            late = Chat(control, LATECOMER, "en")
            await late.send(f"/start {issued.code}")
            assert (await late.until("⚠️"))["text"].endswith(
                "that invitation code has expired. Ask whoever invited you for a new one.")
            clock.advance(timedelta(hours=-1))  # the same code, an hour before it expires
            await late.send(f"/start {issued.code}")
            assert (await late.until("👋"))["text"].startswith("👋 Welcome, Marta León!")


async def test_the_command_line_invites_against_the_configured_database_and_refuses_bad_input(settings):
    environment = service_environment(settings, PUENTE_TELEGRAM_SANDBOX_PORT=str(free_port()))

    async def admin_invite(*arguments: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "puente.cli", "admin", "invite", *arguments, env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    code, out, _ = await admin_invite("--role", "staff", "--entity", "sed", "--name", "Sofía Díaz")
    assert code == 0, out
    issued = re.search(r"^code\s+([A-Z0-9]{12})$", out, re.MULTILINE).group(1)
    assert f"/start {issued}" in out and "link" not in out, "no bot answers here, so no t.me link; the code works"
    assert f"?start={issued}" in out, "the sandbox's web chat link"
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    try:
        [invitation] = await mongo[settings.database_name("intake")]["invitations"].find().to_list()
    finally:
        await mongo.close()
    assert invitation["code_hash"] == code_hash(issued) and issued not in str(invitation)
    assert (invitation["role"], invitation["entity_id"], invitation["name"]) == ("staff", "sed", "Sofía Díaz")

    for arguments, complaint in [(("--role", "staff", "--name", "X"), "staff belong to an entity"),
                                 (("--role", "staff", "--entity", "nasa", "--name", "X"), "no entity 'nasa'"),
                                 (("--role", "coordinator", "--name", "\u200b"), "the name cannot be used"),
                                 (("--role", "staff", "--entity", "sed", "--name", "X", "--topic", "aulas"),
                                  "only evaluators"),
                                 (("--role", "evaluator", "--name", "X", "--sector", "space"), "no sector 'space'"),
                                 (("--role", "evaluator", "--name", "X", "--topic", "a"), "a topic cannot be used")]:
        code, _, err = await admin_invite(*arguments)
        assert code == 2 and complaint in err, err


async def test_a_coordinator_invites_an_evaluator_with_sectors_and_topics_chosen_in_chat(settings):
    await seated(settings, (COORDINATOR, "coordinator", None))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_notifier(live)), \
                running_bot(settings, sandbox, members=(Member(COORDINATOR, "coordinator", None, "Carlos"),)):
            coordinator = Chat(control, COORDINATOR, "en")
            await coordinator.send("/invite")
            # (the notifier's welcome, from the join announced above, may come between the bot's answers)
            await coordinator.press(await coordinator.until("With which role"), "evaluator")
            await coordinator.press(await coordinator.until("Which entity are they from?"), "sds")
            sectors = await coordinator.until("Which sectors do they evaluate?")
            for sector in ("Health", "Education", "Health", "Mobility"):  # Health is marked, then unmarked
                await coordinator.press(sectors, sector)
            await eventually(lambda: _marked(control, sectors["message_id"], ["✓ Education", "✓ Mobility"]),
                             message="the marked sectors")
            await coordinator.press(sectors, "Done")
            assert (await coordinator.next())["text"].startswith("Type the topics they know about")
            await coordinator.send("x" * 61)
            assert (await coordinator.next())["text"].startswith("Type the topics they know about"), "asked again"
            await coordinator.send("school meals, vaccination;  school meals")
            await coordinator.until("Type the person's name")
            await coordinator.send("Marta León")
            created = (await coordinator.until("Invitation created for Marta León (evaluator)."))["text"]

            evaluator = Chat(control, EVALUATOR, "en")
            await evaluator.send(f"/start {code_in(created)}")
            await evaluator.until("👋 Welcome, Marta León!")
            assert await evaluator.me("Marta León") == (
                "Marta León\nRole: evaluator\nEntity: Secretaría Distrital de Salud\nLanguage: English\n"
                "Sectors: Education, Mobility · Topics: school meals, vaccination")


async def _marked(control: httpx.AsyncClient, message_id: int, expected: list[str]) -> bool:
    history = (await control.get(f"/sandbox/chats/{COORDINATOR}/messages")).json()["messages"]
    [message] = [message for message in history if message["message_id"] == message_id]
    texts = [button["text"] for row in (message["reply_markup"] or {}).get("inline_keyboard", []) for button in row]
    return [text for text in texts if text.startswith("✓")] == expected
