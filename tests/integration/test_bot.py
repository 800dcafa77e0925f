"""The bot over real HTTP (the Telegram sandbox), Kafka and MongoDB: a proposal conversation survives a restart
and resumes where it was; the command it sends is well-formed and names the person and their entity. Every text
the bot renders here is checked: a variable the code forgot to pass fails the test (strict i18n)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
from aiokafka.errors import KafkaConnectionError
from pydantic import SecretStr
from pymongo import AsyncMongoClient

import bot.conversations.common
from bot.app import PuenteBot
from bot.pacing import InboundLimiter, Verdict
from puente import i18n
from puente.contracts import SYSTEM_ACTOR, TopicName, messages_on, parse_message
from puente.contracts.people import PersonJoined, PersonJoinedPayload
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, publish_message, read_topic

pytestmark = pytest.mark.integration

INTAKE_COMMANDS = messages_on(TopicName.intake_commands)

TOKEN = "515151:SANDBOXtokenForBotTests_abcdefghijk"
USER = 777
SLOW_DOWN = ("Estás enviando mensajes muy rápido. Espera unos segundos y vuelve a escribirme; los mensajes que lleguen "
             "mientras tanto no los leeré.")


@pytest.fixture(autouse=True)
def strict_texts() -> Iterator[None]:
    previous = i18n.set_strict(True)
    yield
    i18n.set_strict(previous)


@dataclass(frozen=True)
class Member:
    """Someone the directory knows (as if they had joined with an invitation)."""

    user: int = USER
    role: str = "staff"
    entity_id: str | None = "sed"
    name: str = "Ana Gómez"
    language: str = "es"
    sectors: tuple[str, ...] = ()  # an evaluator's
    topics: tuple[str, ...] = ()


def members_person_id(settings, user: int) -> uuid.UUID:
    """The person id `members_joined` gives a member."""
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{settings.kafka_topic_prefix}/{user}")


async def members_joined(settings, *members: Member) -> None:
    """Announce that these people joined, as intake would, and wait until the bot's view of the directory knows
    them (it reads the same topic)."""
    for member in members:
        person_id = members_person_id(settings, member.user)
        await publish_message(settings, settings.topics.people_events, PersonJoined.new(
            payload=PersonJoinedPayload(person_id=person_id, telegram_user_id=member.user, role=member.role,
                                        entity_id=member.entity_id, name=member.name, language=member.language,
                                        sectors=list(member.sectors), topics=list(member.topics)),
            actor=SYSTEM_ACTOR, city="bogota"))


async def notifier_knows(settings, *users: int) -> None:
    """Wait until the notifier's view of the directory has these people. The notifier reads the directory and the
    phases' events on separate consumers: an alert handled before the person's joining was read would not reach
    them (a coordinator who joins a moment later misses it), so tests wait for it before acting."""
    mongo = AsyncMongoClient(settings.mongo_uri.get_secret_value())
    try:
        people = mongo[settings.database_name("notifier")]["people"]
        for user in users:
            await eventually(lambda user=user: people.find_one({"telegram_user_id": user}),
                             message=f"the notifier to know {user}")
    finally:
        await mongo.close()


@asynccontextmanager
async def running_bot(settings, sandbox: SandboxServer, members: tuple[Member, ...] = (Member(),),
                      **options) -> AsyncIterator[PuenteBot]:
    """The real bot, talking to the sandbox over HTTP, started and stopped cleanly; `members` are in the
    directory (by default USER, staff of sed)."""
    bot = PuenteBot(settings.model_copy(update={
        "telegram_bot_token": SecretStr(TOKEN), "telegram_api_url": sandbox.bot_api_base_url,
    }), **options)
    await bot.start()
    try:
        await members_joined(settings, *members)
        for member in members:
            await eventually(lambda member=member: bot.person_speaking(member.user),
                             message=f"the bot to know {member.user}")
        yield bot
    finally:
        await bot.stop()


async def send(control: httpx.AsyncClient, text: str, language: str = "en", user: int = USER) -> int:
    """A person writes to the bot; returns the message's id."""
    sent = await control.post("/sandbox/messages", json={"user_id": user, "text": text, "first_name": "Ana",
                                                         "language_code": language})
    assert sent.status_code == 200, sent.text
    return sent.json()["message"]["message_id"]


async def bot_messages(control: httpx.AsyncClient, after_message_id: int, count: int, user: int = USER,
                       timeout: float = 20) -> list[dict]:
    """The next `count` bot messages in the person's chat after `after_message_id`, waiting for each."""
    messages: list[dict] = []
    while len(messages) < count:
        answer = await control.get(f"/sandbox/chats/{user}/next_bot_message",
                                   params={"after_message_id": after_message_id, "timeout": timeout})
        assert answer.status_code == 200, f"bot message {len(messages) + 1} of {count} did not come: {messages}"
        messages.append(answer.json()["message"])
        after_message_id = messages[-1]["message_id"]
    return messages


async def say_all(control: httpx.AsyncClient, text: str, count: int, language: str = "en") -> list[str]:
    """Send `text` and return the bot's next `count` answers."""
    after = await send(control, text, language)
    return [message["text"] for message in await bot_messages(control, after, count)]


async def say(control: httpx.AsyncClient, text: str, language: str = "en") -> str:
    return (await say_all(control, text, 1, language))[0]


async def test_a_proposal_conversation_resumes_after_a_restart_and_sends_one_command(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            # Staff act for their own entity: the form starts with the title.
            assert (await say(control, "/propose")).startswith("Type a short title")

        async with running_bot(settings, sandbox):
            too_long = await say(control, "x" * 201)
            assert too_long.startswith("The title has 201 characters")
            assert (await say(control, "Open classrooms")).startswith("Describe the institutional challenge")
            assert (await say(control, "Rural school dropout")).startswith(
                'I received your exchange proposal "Open classrooms"')
            assert await say(control, "/cancel") == "There was nothing in progress to cancel."

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
            assert await say(control, "/cancel", language="es") == "There was nothing in progress to cancel."
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
                    raise KafkaConnectionError("Kafka is away")
                return await real_publish(*args, **kwargs)

            bot.broker.publish = publish_failing_once
            assert (await say(control, "/practica", language="es")).startswith(
                "Escribe un título corto para la práctica")
            assert (await say(control, "Ciclovía", language="es")).startswith("Describe la práctica")
            failed = await say(control, "Cierre dominical de vías para bicicletas.", language="es")
            assert failed.startswith("No pude enviar la postulación de tu práctica en este momento")
            sent = await say(control, "Cierre dominical de vías para bicicletas.", language="es")
            assert sent == "Recibí la postulación de tu práctica «Ciclovía». Te aviso cuando quede registrada."

    records = await read_topic(settings, settings.topics.intake_commands, expected=1)
    assert len(records) == 1, "the failed attempt sent nothing; the retry sent one command"
    command = parse_message(records[0].value, INTAKE_COMMANDS)
    assert command.type == "propose_practice"
    assert command.payload.entity_id == "sed" and command.payload.sector == "education"
    assert command.payload.summary == "Cierre dominical de vías para bicicletas."
    assert [attempt.event_id for attempt in attempts] == [command.event_id] * 2, (
        "the retry reuses the command id, so intake would apply a late first attempt only once"
    )


async def test_lost_answers_start_the_questions_over(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox) as bot:
            assert (await say(control, "/propose")).startswith("Type a short title")
            del bot.application.user_data[USER]["proposal"]["entity_id"]  # as after a crash between two saves
            assert (await say(control, "Open classrooms")).startswith("Type a short title"), "asked again"
            assert (await say(control, "Open classrooms")).startswith("Describe the institutional challenge")


async def test_invisible_and_control_characters_never_reach_a_command(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            assert (await say(control, "/propose")).startswith("Type a short title for the exchange")
            for invisible in ("\u200b\u2060\ufeff", "\x00", "\x07\x1b \u200b"):
                assert await say(control, invisible) == (
                    "Your message has no visible text. Please type the answer with letters or numbers.")
            assert (await say(control, "Open\x00 class\x07rooms\x1b")).startswith("Describe the institutional")
            assert await say(control, "\ufeff") == (
                "Your message has no visible text. Please type the answer with letters or numbers.")
            assert (await say(control, "Rural\x00 school\r\ndropout\u200b")) == (
                'I received your exchange proposal "Open classrooms". I will tell you when it is registered.')

    records = await read_topic(settings, settings.topics.intake_commands, expected=1)
    assert len(records) == 1
    command = parse_message(records[0].value, INTAKE_COMMANDS)
    assert command.payload.entity_id == "sed"
    assert command.payload.title == "Open classrooms" and command.payload.need == "Rural school\ndropout"


async def test_a_command_in_a_form_ends_it_saying_what_was_dropped_and_does_what_it_says(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            await say(control, "/propose")
            assert await say_all(control, "/practice", 2) == [
                "I dropped the exchange proposal you were filling in; it was not saved.",
                "Type a short title for the practice (200 characters at most).",
            ]
            assert await say_all(control, "/proponer", 2, language="es") == [
                "Dejé sin terminar la postulación de práctica que estabas llenando; no se guardó.",
                "Escribe un título corto para el intercambio (máximo 200 caracteres).",
            ]
            help_text, question = await say_all(control, "/help", 2)
            assert help_text.startswith("Commands:")
            assert question == "Type a short title for the exchange (200 characters at most)."
            assert (await say(control, "/language")) == "Which language would you like me to use?"
            assert (await say(control, "Open classrooms")).startswith("Describe the institutional challenge")
            dropped, welcome = await say_all(control, "/start", 2)
            assert dropped == "I dropped the exchange proposal you were filling in; it was not saved."
            assert welcome.startswith("Hello, Ana!")
            assert await say(control, "Rural school dropout") == (
                "I did not understand. Type /help to see what I can do.")
            await say(control, "/practica", language="es")
            assert await say(control, "/nada", language="es") == (
                "No entendí eso. Sigo esperando tu respuesta a la pregunta anterior; "
                "con /cancelar dejas el formulario.")
            assert await say(control, "/cancelar", language="es") == (
                "Cancelado: descarté la postulación de práctica que estabas llenando. No se guardó nada.")
            assert await say(control, "/cancelar", language="es") == "No había nada en curso que cancelar."

    records = await read_topic(settings, settings.topics.intake_commands, expected=0)
    assert records == [], "a dropped form sends nothing"


async def test_too_long_answers_say_the_same_thing_with_numbers_in_the_persons_language(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            await say(control, "/proponer", language="es")
            assert await say(control, "x" * 201, language="es") == (
                "El título tiene 201 caracteres y el máximo es 200. Escríbelo más corto, por favor.")
            assert (await say(control, "Aulas abiertas", language="es")).endswith("(máximo 4.000 caracteres).")
            assert await say(control, "x" * 4001, language="es") == (
                "La descripción tiene 4.001 caracteres y el máximo es 4.000. Escríbela más corta, por favor.")
            assert await say(control, "x" * 4001) == (
                "The description has 4,001 characters and the limit is 4,000. Please shorten it.")
            assert (await say(control, "x" * 4000 + "\u200b\x00 ")).startswith("I received your exchange proposal")


async def test_a_used_language_button_is_removed_and_a_second_press_changes_nothing(settings):
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            [keyboard] = await bot_messages(control, await send(control, "/idioma", language="es"), 1)
            english = next(button for button in keyboard["reply_markup"]["inline_keyboard"][0]
                           if button["text"] == "English")
            press = {"user_id": USER, "callback_data": english["callback_data"],
                     "message_id": keyboard["message_id"]}
            # Two presses in a row, as a double tap sends them: the second is refused by Telegram once the keyboard
            # is gone, or reaches the bot, which must ignore it.
            presses = await asyncio.gather(*(control.post("/sandbox/callbacks", json=press) for _ in range(2)))
            assert presses[0].status_code == 200
            later = await send(control, "/help")  # handled after both presses: this chat's updates keep their order
            answers = await bot_messages(control, keyboard["message_id"], 2)
            assert [answer["text"] for answer in answers] == [
                "Done: I will speak English with you.", answers[1]["text"]]
            assert answers[1]["text"].startswith("Commands:") and answers[1]["message_id"] > later
            history = (await control.get(f"/sandbox/chats/{USER}/messages")).json()["messages"]
            [shown] = [message for message in history if message["message_id"] == keyboard["message_id"]]
            assert not (shown.get("reply_markup") or {}).get("inline_keyboard"), "the used keyboard is removed"
            for accepted in (press for press in presses if press.status_code == 200):
                query_id = accepted.json()["callback_query"]["id"]
                query = (await control.get(f"/sandbox/callbacks/{query_id}", params={"timeout": 20})).json()
                assert query["callback_query"]["answered"], "every press is answered, so the app stops waiting"


async def test_a_bug_gets_an_apology_with_a_reference_that_is_in_the_log(settings, monkeypatch):
    logged = []

    class RecordingLog:
        def __getattr__(self, level):
            return lambda event, **fields: logged.append((level, event, fields))

    monkeypatch.setattr(bot.conversations.common, "log", RecordingLog())
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox) as running:
            async def publish_with_a_bug(*args, **kwargs):
                raise KeyError("a bug, not the broker")

            running.broker.publish = publish_with_a_bug
            await say(control, "/propose")
            await say(control, "Open classrooms")
            apology = await say(control, "Rural school dropout")
            match = re.fullmatch(r"Sorry, something went wrong on my side and it has been logged\. If it happens "
                                 r"again, share this reference with whoever runs Puente: ([0-9a-f]{8})", apology)
            assert match, apology

    errors = [(event, fields) for level, event, fields in logged if level in ("error", "exception")]
    assert len(errors) == 1, logged
    event, fields = errors[0]
    assert fields["reference"] == match.group(1)
    assert isinstance(fields["exc_info"], KeyError), "the log line carries the traceback"
    assert "Ana" not in repr(fields) and "Open classrooms" not in repr(fields), "logs carry ids, never names or text"


async def test_one_person_flooding_does_not_delay_another_person(settings):
    flooder, other = 801, 802
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        limits = await control.put("/sandbox/rate_limits", json={"enabled": True})  # Telegram's: ~1/s per chat
        assert limits.json()["enabled"] and limits.json()["per_chat_per_second"] == 1.0
        # A smaller burst than the default keeps the test short: the flooder's answers leave at 1/s.
        async with running_bot(settings, sandbox, (Member(flooder), Member(other)),
                               inbound_limiter=InboundLimiter(burst=5)) as running:
            first = await send(control, "hola 0", language="es", user=flooder)
            for number in range(1, 60):
                await send(control, f"hola {number}", language="es", user=flooder)
            started = time.monotonic()
            asked = await send(control, "/ayuda", language="es", user=other)
            [help_answer] = await bot_messages(control, asked, 1, user=other, timeout=10)
            waited = time.monotonic() - started
            assert help_answer["text"].startswith("Comandos:")
            assert waited < 1.0, f"another person's /ayuda waited {waited:.1f} s behind the flood"

            # The flood itself: the first messages are answered, then one "slow down", the rest dropped.
            counts = running.updates.counts
            assert counts[Verdict.slow_down] == 1 and counts[Verdict.drop] > 0
            assert counts[Verdict.handle] + counts[Verdict.slow_down] + counts[Verdict.drop] == 61
            answered = counts[Verdict.handle] - 1  # one of the handled updates was the other person's /ayuda
            texts = [message["text"] for message in await bot_messages(control, first, answered + 1, user=flooder)]
            assert texts.count(SLOW_DOWN) == 1
            assert texts.count("No entendí. Escribe /ayuda para ver lo que puedo hacer.") == answered
            assert answered < 10, "most of the flood is dropped, not answered"


async def test_an_account_not_in_the_directory_hears_how_to_join_and_nothing_reaches_kafka(settings):
    stranger = 991
    not_a_member = ("Hello. I am Puente, the Best Practices Program's assistant, and I only serve people invited to "
                    "the program.")
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox):
            for text in ("/start", "/propose", "Open classrooms", "/mine", "/invite", "/language"):
                asked = await send(control, text, user=stranger)
                [answer] = await bot_messages(control, asked, 1, user=stranger)
                assert answer["text"].startswith(not_a_member), text
                assert not answer.get("reply_markup"), "no buttons either"
            assert (await say(control, "/propose")).startswith("Type a short title"), "members are served"

    records = await read_topic(settings, settings.topics.intake_commands, expected=0)
    assert records == [], "no command left the bot for the stranger"


async def test_a_coordinator_chooses_the_entity_with_buttons_and_the_command_names_them_as_coordinator(settings):
    coordinator = Member(USER, role="coordinator", entity_id=None, name="Carlos Pérez")
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox, (coordinator,)):
            asked = await send(control, "/propose")
            [question] = await bot_messages(control, asked, 1)
            assert question["text"] == "Which entity is it for? Choose it with the buttons."
            buttons = {button["text"]: button["callback_data"]
                       for row in question["reply_markup"]["inline_keyboard"] for button in row}
            assert {"sed", "sds", "sdm"} <= set(buttons)
            typed = await send(control, "sds")
            [waiting] = await bot_messages(control, typed, 1)
            assert waiting["text"].startswith("I did not understand that."), "a typed code is not a choice"
            pressed = await control.post("/sandbox/callbacks", json={
                "user_id": USER, "message_id": question["message_id"], "callback_data": buttons["sds"]})
            assert pressed.status_code == 200
            [title_question] = await bot_messages(control, waiting["message_id"], 1)
            assert title_question["text"].startswith("Type a short title for the exchange")
            assert (await say(control, "Healthy schools")).startswith("Describe the institutional challenge")
            assert (await say(control, "Child obesity")).startswith('I received your exchange proposal "Healthy')

    [record] = await read_topic(settings, settings.topics.intake_commands, expected=1)
    command = parse_message(record.value, INTAKE_COMMANDS)
    assert command.payload.entity_id == "sds" and command.payload.sector == "health"
    assert command.actor.role == "coordinator" and command.actor.entity_id is None


async def test_commands_in_a_form_show_and_ask_again_and_one_form_at_a_time(settings):
    coordinator = Member(USER, role="coordinator", entity_id=None, name="Carlos Pérez")
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as control:
        async with running_bot(settings, sandbox, (coordinator,)):
            roles_asked = await send(control, "/invite")
            [roles] = await bot_messages(control, roles_asked, 1)
            coordinator_role = next(button for row in roles["reply_markup"]["inline_keyboard"] for button in row
                                    if button["text"] == "coordinator")
            await control.post("/sandbox/callbacks", json={
                "user_id": USER, "message_id": roles["message_id"], "callback_data": coordinator_role["callback_data"]})
            [name_question] = await bot_messages(control, roles["message_id"], 1)
            assert name_question["text"].startswith("Type the person's name")

            # Another form starts: the invitation being written is dropped, one form at a time.
            asked = await send(control, "/propose")
            [question] = await bot_messages(control, asked, 1)
            sds = next(button for row in question["reply_markup"]["inline_keyboard"] for button in row
                       if button["text"] == "sds")
            await control.post("/sandbox/callbacks", json={
                "user_id": USER, "message_id": question["message_id"], "callback_data": sds["callback_data"]})
            [title_question] = await bot_messages(control, question["message_id"], 1)
            assert title_question["text"].startswith("Type a short title")
            shown, again = await say_all(control, "/me", 2)
            assert shown.startswith("Carlos Pérez\nRole: coordinator") and again.startswith("Type a short title")
            shown, again = await say_all(control, "/mine", 2)
            assert shown.startswith("You have no exchanges") and again.startswith("Type a short title")
            assert (await say(control, "Healthy schools")).startswith("Describe the institutional challenge")
            assert (await say(control, "Child obesity")).startswith("I received your exchange proposal")
            assert await say(control, "Sofía Díaz") == "I did not understand. Type /help to see what I can do.", (
                "a later text is not taken as the dropped invitation's name")

    records = await read_topic(settings, settings.topics.intake_commands, expected=1)
    assert [parse_message(record.value, INTAKE_COMMANDS).type for record in records] == ["propose_exchange"]
