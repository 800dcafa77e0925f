"""The bot over real HTTP (the Telegram sandbox), Kafka and MongoDB: a proposal conversation survives a restart
and resumes where it was; the command it sends is well-formed and names the person and their entity."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from pydantic import SecretStr

from bot.app import PuenteBot
from puente.contracts import INTAKE_COMMANDS, parse_message
from telegram_sandbox.app import SandboxServer
from tests.helpers import read_topic

TOKEN = "515151:SANDBOXtokenForBotTests_abcdefghijk"
USER = 777


@asynccontextmanager
async def running_bot(settings, sandbox: SandboxServer) -> AsyncIterator[PuenteBot]:
    """The real bot, talking to the sandbox over HTTP, started and stopped cleanly."""
    bot = PuenteBot(settings.model_copy(update={
        "telegram_bot_token": SecretStr(TOKEN), "telegram_api_url": sandbox.bot_api_base_url,
    }))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def say(control: httpx.AsyncClient, text: str, language: str = "en") -> str:
    sent = (await control.post("/sandbox/messages", json={"user_id": USER, "text": text, "first_name": "Ana",
                                                          "language_code": language})).json()
    answer = await control.get(f"/sandbox/chats/{USER}/next_bot_message",
                               params={"after_message_id": sent["message"]["message_id"], "timeout": 20})
    assert answer.status_code == 200, f"no answer to {text!r}"
    return answer.json()["message"]["text"]


async def test_a_proposal_conversation_resumes_after_a_restart_and_sends_one_command(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            assert (await say(control, "/propose")).startswith("Which is your entity?")
            assert (await say(control, "SED")).startswith("Type a short title")

        async with running_bot(settings, sandbox):
            too_long = await say(control, "x" * 201)
            assert too_long.startswith("The title has 201 characters")
            assert (await say(control, "Open classrooms")).startswith("Describe the institutional challenge")
            assert (await say(control, "Rural school dropout")).startswith('I received your proposal "Open classrooms"')

    records = await read_topic(settings, settings.topics.intake_commands, expected=1)
    assert len(records) == 1
    command = parse_message(records[0].value, INTAKE_COMMANDS)
    assert command.type == "propose_exchange"
    assert command.payload.entity_id == "sed" and command.payload.sector == "education"
    assert command.payload.title == "Open classrooms" and command.payload.need == "Rural school dropout"
    assert command.actor.id == str(USER) and command.actor.entity_id == "sed" and command.actor.language == "en"
    assert records[0].key == str(command.event_id).encode()


async def test_language_can_be_chosen_with_a_button_and_unknown_input_gets_help(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            assert (
                await say(control, "hola", language="es") == "No entendí. Escribe /ayuda para ver lo que puedo hacer."
            )
            question = (await control.post("/sandbox/messages", json={"user_id": USER, "text": "/idioma"})).json()
            keyboard = await control.get(
                f"/sandbox/chats/{USER}/next_bot_message",
                params={"after_message_id": question["message"]["message_id"], "timeout": 20},
            )
            buttons = keyboard.json()["message"]["reply_markup"]["inline_keyboard"][0]
            english = next(button for button in buttons if button["text"] == "English")
            await control.post(
                "/sandbox/callbacks",
                json={
                    "user_id": USER,
                    "callback_data": english["callback_data"],
                    "message_id": keyboard.json()["message"]["message_id"],
                },
            )
            chosen = await control.get(
                f"/sandbox/chats/{USER}/next_bot_message",
                params={"after_message_id": keyboard.json()["message"]["message_id"], "timeout": 20},
            )
            assert chosen.json()["message"]["text"] == "Done: I will speak English with you."
            assert await say(control, "/cancel", language="es") == "Cancelled. Nothing was saved."
            menu = (await control.get("/sandbox/bot")).json()["commands"]
            assert {"command": "proponer", "description": "Proponer un intercambio (Aprende)"} in menu


async def test_a_practice_is_put_forward_and_a_failed_send_keeps_what_was_typed(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox) as bot:
            real_publish = bot.broker.publish
            attempts = []

            async def publish_failing_once(*args, **kwargs):
                attempts.append(parse_message(args[0], INTAKE_COMMANDS))
                if len(attempts) == 1:
                    raise ConnectionError("Kafka is away")
                return await real_publish(*args, **kwargs)

            bot.broker.publish = publish_failing_once
            assert (await say(control, "/practica", language="es")).startswith("¿Cuál es tu entidad?")
            assert (await say(control, "sdm", language="es")).startswith("Escribe un título corto")
            assert (await say(control, "Ciclovía", language="es")).startswith("Describe la práctica")
            failed = await say(control, "Cierre dominical de vías para bicicletas.", language="es")
            assert failed.startswith("No pude enviar tu propuesta en este momento")
            sent = await say(control, "Cierre dominical de vías para bicicletas.", language="es")
            assert sent == "Recibí tu propuesta «Ciclovía». Te aviso cuando quede registrada."

    records = await read_topic(settings, settings.topics.intake_commands, expected=1)
    assert len(records) == 1, "the failed attempt sent nothing; the retry sent one command"
    command = parse_message(records[0].value, INTAKE_COMMANDS)
    assert command.type == "propose_practice"
    assert command.payload.entity_id == "sdm" and command.payload.sector == "mobility"
    assert command.payload.summary == "Cierre dominical de vías para bicicletas."
    assert [attempt.event_id for attempt in attempts] == [command.event_id] * 2, (
        "the retry reuses the command id, so intake would apply a late first attempt only once"
    )


async def test_lost_answers_start_the_questions_over(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox) as bot:
            await say(control, "/propose")
            assert (await say(control, "sed")).startswith("Type a short title")
            del bot.application.user_data[USER]["proposal"]["entity_id"]  # as after a crash between two saves
            assert (await say(control, "Open classrooms")).startswith("Which is your entity?")
            assert (await say(control, "sed")).startswith("Type a short title")
