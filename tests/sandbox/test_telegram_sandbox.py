"""End-to-end tests: a real uvicorn sandbox, a real python-telegram-bot client, httpx for control."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging

import httpx
import pytest
import telegram
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from telegram_sandbox.__main__ import parse_args
from telegram_sandbox.app import JsonLogFormatter
from telegram_sandbox.bot_api import parse_html, parse_markdown, parse_markdown_v2
from tests.sandbox.conftest import TOKEN, WAIT

USER_ID = 5001


async def user_says(control: httpx.AsyncClient, text: str, user_id: int = USER_ID) -> dict:
    response = await control.post(
        "/sandbox/messages",
        json={"user_id": user_id, "text": text, "first_name": "Ana", "language_code": "es"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def open_chat(control: httpx.AsyncClient, user_id: int = USER_ID) -> None:
    response = await control.post("/sandbox/users", json={"id": user_id, "first_name": "Ana", "open_chat": True})
    assert response.status_code == 200, response.text


async def wait_for_message_text(control: httpx.AsyncClient, message_id: int, text: str, after_version: int) -> dict:
    """Long-poll the chat history until message ``message_id`` reads ``text``."""
    async with asyncio.timeout(WAIT):
        while True:
            chat = (
                await control.get(
                    f"/sandbox/chats/{USER_ID}/messages", params={"after_version": after_version, "timeout": WAIT}
                )
            ).json()
            message = next(m for m in chat["messages"] if m["message_id"] == message_id)
            if message["text"] == text:
                return message
            after_version = chat["version"]


@pytest.mark.asyncio
async def test_get_me_returns_the_configured_bot(bot):
    me = await bot.get_me()
    assert me.id == 123456789
    assert me.is_bot is True
    assert me.username == "puente_bot"


@pytest.mark.asyncio
async def test_user_message_reaches_bot_and_offset_acknowledges(sandbox, control, bot):
    sent = await user_says(control, "/start hola")

    updates = await bot.get_updates(timeout=5)
    assert len(updates) == 1
    message = updates[0].message
    assert message.text == "/start hola"
    assert message.from_user.id == USER_ID and message.from_user.language_code == "es"
    assert message.chat.id == USER_ID and message.chat.type == "private"
    assert message.message_id == sent["message"]["message_id"]
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]

    # Without an offset the update is delivered again; with offset it is acknowledged.
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [updates[0].update_id]
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert (await control.get("/sandbox/updates")).json() == {"updates": []}


@pytest.mark.asyncio
async def test_long_poll_returns_as_soon_as_an_update_arrives(sandbox, control, bot):
    state = sandbox.state
    poll = asyncio.create_task(bot.get_updates(timeout=40, read_timeout=45))
    # Wait until the sandbox has registered the long poll, then produce an update.
    assert await state.updates_changed.wait_for(lambda: state.poller_generation == 1, WAIT)
    await user_says(control, "ping")
    updates = await asyncio.wait_for(poll, WAIT)
    assert [u.message.text for u in updates] == ["ping"]


@pytest.mark.asyncio
async def test_send_message_with_inline_keyboard_appears_in_chat_history(control, bot):
    sent = await user_says(control, "hola")
    keyboard = telegram.InlineKeyboardMarkup(
        [
            [
                telegram.InlineKeyboardButton("Sí", callback_data="yes"),
                telegram.InlineKeyboardButton("Web", url="https://example.org"),
            ]
        ]
    )
    reply = await bot.send_message(
        USER_ID,
        "<b>¿Seguro?</b> 1 &lt; 2",
        parse_mode="HTML",
        reply_markup=keyboard,
        reply_parameters=telegram.ReplyParameters(sent["message"]["message_id"]),
    )
    assert reply.text == "¿Seguro? 1 < 2"
    assert reply.reply_markup == keyboard
    assert reply.reply_to_message.message_id == sent["message"]["message_id"]

    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()
    assert [(m["direction"], m["text"]) for m in history["messages"]] == [
        ("user_to_bot", "hola"),
        ("bot_to_user", "¿Seguro? 1 < 2"),
    ]
    bot_message = history["messages"][1]
    assert bot_message["source_text"] == "<b>¿Seguro?</b> 1 &lt; 2"
    assert bot_message["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    assert bot_message["reply_markup"]["inline_keyboard"][0][0] == {"text": "Sí", "callback_data": "yes"}
    assert bot_message["reply_to_message_id"] == sent["message"]["message_id"]


@pytest.mark.asyncio
async def test_reply_keyboard_is_shown_until_removed(control, bot):
    await user_says(control, "hola")
    await bot.send_message(USER_ID, "Elige", reply_markup=telegram.ReplyKeyboardMarkup([["Uno", "Dos"]]))
    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()
    assert history["reply_keyboard"]["keyboard"] == [[{"text": "Uno"}, {"text": "Dos"}]]

    await bot.send_message(USER_ID, "Listo", reply_markup=telegram.ReplyKeyboardRemove())
    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()
    assert history["reply_keyboard"] is None


@pytest.mark.asyncio
async def test_button_press_yields_callback_query_and_answer_is_visible(control, bot):
    await user_says(control, "hola")
    offset = (await bot.get_updates(timeout=0))[-1].update_id + 1
    menu = await bot.send_message(
        USER_ID,
        "Menú",
        reply_markup=telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("Ver", callback_data="show:1")]]),
    )

    pressed = await control.post(
        "/sandbox/callbacks", json={"user_id": USER_ID, "message_id": menu.message_id, "callback_data": "show:1"}
    )
    assert pressed.status_code == 200, pressed.text
    updates = await bot.get_updates(offset=offset, timeout=5)
    assert len(updates) == 1
    query = updates[0].callback_query
    assert query.data == "show:1"
    assert query.from_user.id == USER_ID
    assert query.message.message_id == menu.message_id

    await query.answer("Hecho")
    answer = (await control.get(f"/sandbox/callbacks/{query.id}", params={"timeout": 5})).json()
    assert answer["callback_query"]["answered"] is True
    assert answer["callback_query"]["text"] == "Hecho"

    with pytest.raises(telegram.error.BadRequest, match=r"[Qq]uery is too old"):
        await query.answer("again")
    missing = await control.post(
        "/sandbox/callbacks", json={"user_id": USER_ID, "message_id": menu.message_id, "callback_data": "nope"}
    )
    assert missing.status_code == 400
    # A modified Telegram client can send any data: the control API can too, when asked to forge it.
    forged = await control.post("/sandbox/callbacks", json={
        "user_id": USER_ID, "message_id": menu.message_id, "callback_data": "show:999", "forged": True})
    assert forged.status_code == 200 and forged.json()["callback_query"]["data"] == "show:999"


@pytest.mark.asyncio
async def test_application_polling_answers_start_end_to_end(sandbox, control):
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("OK", callback_data="ok")]])
        await update.message.reply_text(f"¡Hola, {update.effective_user.first_name}!", reply_markup=buttons)

    async def on_button(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("Recibido")
        await update.callback_query.edit_message_text("Confirmado")

    application = Application.builder().token(TOKEN).base_url(sandbox.bot_api_base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(on_button))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=dt.timedelta(seconds=5))
        try:
            sent = await user_says(control, "/start")
            response = await control.get(
                f"/sandbox/chats/{USER_ID}/next_bot_message",
                params={"after_message_id": sent["message"]["message_id"], "timeout": WAIT},
            )
            assert response.status_code == 200, response.text
            reply = response.json()["message"]
            assert reply["text"] == "¡Hola, Ana!"

            version = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()["version"]
            pressed = await control.post(
                "/sandbox/callbacks",
                json={"user_id": USER_ID, "message_id": reply["message_id"], "callback_data": "ok"},
            )
            query_id = pressed.json()["callback_query"]["id"]
            answer = await control.get(f"/sandbox/callbacks/{query_id}", params={"timeout": WAIT})
            assert answer.json()["callback_query"]["text"] == "Recibido"
            edited = await wait_for_message_text(control, reply["message_id"], "Confirmado", after_version=version)
            assert edited["edit_date"] is not None
            assert edited["reply_markup"] is None  # editing without reply_markup drops the inline keyboard
        finally:
            await application.updater.stop()
            await application.stop()
    assert [c["text"] for c in (await control.get("/sandbox/send_log")).json()["calls"]] == ["¡Hola, Ana!"]


@pytest.mark.asyncio
async def test_injected_429_surfaces_as_retry_after_and_is_never_sent(control, bot, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await open_chat(control)
    fault = await control.post(
        "/sandbox/faults", json={"method": "sendMessage", "count": 2, "error_code": 429, "retry_after": 7}
    )
    assert fault.status_code == 200

    for _ in range(2):
        with pytest.raises(telegram.error.RetryAfter) as raised:
            await bot.send_message(USER_ID, "aviso")
        assert raised.value.retry_after == dt.timedelta(seconds=7)
    delivered = await bot.send_message(USER_ID, "aviso")

    calls = (await control.get("/sandbox/send_log", params={"method": "sendMessage"})).json()["calls"]
    assert [(c["status_code"], c["retry_after"]) for c in calls] == [(429, 7), (429, 7), (200, None)]
    assert calls[0]["at"] <= calls[1]["at"] <= calls[2]["at"]
    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()["messages"]
    assert [m["message_id"] for m in history] == [delivered.message_id]


@pytest.mark.asyncio
@pytest.mark.parametrize("error_code", [500, 502])
async def test_injected_server_errors_surface_as_network_errors(control, bot, error_code):
    await open_chat(control)
    await control.post("/sandbox/faults", json={"count": 1, "error_code": error_code})
    with pytest.raises(telegram.error.NetworkError) as raised:
        await bot.send_message(USER_ID, "x")
    assert not isinstance(raised.value, telegram.error.RetryAfter)
    assert (await bot.send_message(USER_ID, "x")).text == "x"


@pytest.mark.asyncio
async def test_rate_limit_answers_429_when_enabled(control, bot, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await open_chat(control)
    await bot.send_message(USER_ID, "sin límite 1")
    await bot.send_message(USER_ID, "sin límite 2")  # limits are off by default

    limits = await control.put(
        "/sandbox/rate_limits", json={"enabled": True, "per_chat_per_second": 0.01, "per_chat_burst": 1}
    )
    assert limits.json()["enabled"] is True
    await bot.send_message(USER_ID, "primero")
    with pytest.raises(telegram.error.RetryAfter) as raised:
        await bot.send_message(USER_ID, "segundo")
    assert raised.value.retry_after == dt.timedelta(seconds=100)


@pytest.mark.asyncio
async def test_wrong_token_is_unauthorized(sandbox, control):
    with pytest.raises(telegram.error.InvalidToken):
        async with telegram.Bot("123456789:WrongToken", base_url=sandbox.bot_api_base_url):
            pass  # initialize() calls getMe, which must fail (and the bot shuts down again)
    raw = await control.post("/bot123456789:WrongToken/getMe")
    assert raw.status_code == 401
    assert raw.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


@pytest.mark.asyncio
async def test_unknown_method_is_not_found(control):
    raw = await control.get(f"/bot{TOKEN}/getUnicorns")
    assert raw.status_code == 404
    assert raw.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


@pytest.mark.asyncio
async def test_unknown_chat_is_bad_request(control, bot):
    with pytest.raises(telegram.error.BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hola")
    raw = await control.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 424242, "text": "hola"})
    assert raw.status_code == 400
    assert raw.json() == {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}


@pytest.mark.asyncio
async def test_text_longer_than_4096_is_rejected(control, bot):
    await open_chat(control)
    with pytest.raises(telegram.error.BadRequest, match="Message is too long"):
        await bot.send_message(USER_ID, "a" * 4097)
    assert len((await bot.send_message(USER_ID, "a" * 4096)).text) == 4096


@pytest.mark.asyncio
async def test_malformed_html_is_rejected_like_telegram(control, bot):
    await open_chat(control)
    with pytest.raises(telegram.error.BadRequest, match="Can't parse entities"):
        await bot.send_message(USER_ID, "<b>sin cerrar", parse_mode="HTML")
    with pytest.raises(telegram.error.BadRequest, match="reserved"):
        await bot.send_message(USER_ID, "Fin.", parse_mode="MarkdownV2")


@pytest.mark.parametrize(
    ("parser", "source", "text", "entities"),
    [
        (
            parse_html,
            "😀 <b>x</b> &amp; <a href='https://e.org'>y</a>",
            "😀 x & y",
            [
                {"type": "bold", "offset": 3, "length": 1},
                {"type": "text_link", "offset": 7, "length": 1, "url": "https://e.org"},
            ],
        ),
        (
            parse_markdown_v2,
            "*a _b_* 1\\.5 `c\\`d`",
            "a b 1.5 c`d",
            [
                {"type": "bold", "offset": 0, "length": 3},
                {"type": "italic", "offset": 2, "length": 1},
                {"type": "code", "offset": 8, "length": 3},
            ],
        ),
        (
            parse_markdown,
            "*a* _b_ [c](https://e.org)",
            "a b c",
            [
                {"type": "bold", "offset": 0, "length": 1},
                {"type": "italic", "offset": 2, "length": 1},
                {"type": "text_link", "offset": 4, "length": 1, "url": "https://e.org"},
            ],
        ),
    ],
)
def test_parse_modes_produce_plain_text_and_utf16_entities(parser, source, text, entities):
    assert parser(source) == (text, entities)


@pytest.mark.asyncio
async def test_users_who_blocked_or_never_started_the_bot_are_forbidden(control, bot):
    await control.post("/sandbox/users", json={"id": 6001, "first_name": "Nunca"})
    with pytest.raises(telegram.error.Forbidden, match="can't initiate conversation"):
        await bot.send_message(6001, "hola")
    await control.post(
        "/sandbox/users", json={"id": 6002, "first_name": "Bloq", "open_chat": True, "blocked_bot": True}
    )
    with pytest.raises(telegram.error.Forbidden, match="blocked by the user"):
        await bot.send_message(6002, "hola")


@pytest.mark.asyncio
async def test_waiting_for_a_bot_message_times_out_with_408(control):
    await open_chat(control)
    response = await control.get(f"/sandbox/chats/{USER_ID}/next_bot_message", params={"timeout": 0})
    assert response.status_code == 408
    assert response.json() == {"error": "timeout", "message": None}


@pytest.mark.asyncio
async def test_send_document_stores_name_and_size(control, bot):
    await open_chat(control)
    message = await bot.send_document(USER_ID, document=b"col1,col2\n1,2\n", filename="informe.csv", caption="Informe")
    assert message.document.file_name == "informe.csv"
    assert message.document.file_size == 14
    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()["messages"]
    assert history[-1]["document"]["file_name"] == "informe.csv"
    assert history[-1]["caption"] == "Informe"


@pytest.mark.asyncio
async def test_a_person_sends_a_file_the_bot_downloads_it_with_get_file_and_sends_it_back_identical(control, bot):
    content = bytes(range(256)) * 100
    sent = await control.post("/sandbox/documents", json={
        "user_id": USER_ID, "file_name": "ficha.pdf", "mime_type": "application/pdf",
        "content_base64": base64.b64encode(content).decode(), "caption": "La ficha"})
    assert sent.status_code == 200, sent.text
    [update] = await bot.get_updates(timeout=1)
    document = update.message.document
    assert (document.file_name, document.file_size, update.message.caption) == ("ficha.pdf", 25600, "La ficha")
    telegram_file = await bot.get_file(document.file_id)
    assert telegram_file.file_path.endswith(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content
    echoed = await bot.send_document(USER_ID, document=content, filename="copia.pdf")
    assert (await control.get(f"/sandbox/files/{echoed.document.file_id}")).content == content
    with pytest.raises(telegram.error.BadRequest, match="(?i)wrong file_id"):
        await bot.get_file("BQACAgNoSuchFile")
    bad = await control.post("/sandbox/documents", json={"user_id": USER_ID, "file_name": "x.pdf",
                                                           "content_base64": "%%%"})
    assert bad.status_code == 400


@pytest.mark.asyncio
async def test_commands_and_chat_action(control, bot):
    await open_chat(control)
    assert await bot.set_my_commands([("start", "Empezar"), ("ayuda", "Ayuda")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "ayuda"]
    assert (await control.get("/sandbox/bot")).json()["commands"][1] == {"command": "ayuda", "description": "Ayuda"}
    assert await bot.send_chat_action(USER_ID, "typing")
    history = (await control.get(f"/sandbox/chats/{USER_ID}/messages")).json()
    assert history["chat_action"] == "typing"


@pytest.mark.asyncio
async def test_web_chat_page_is_served(control):
    page = await control.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/sandbox/messages" in page.text and "/sandbox/callbacks" in page.text
    assert (await control.get("/healthz")).json() == {"status": "ok"}


@pytest.mark.asyncio
async def test_reset_forgets_the_world(control, bot):
    await user_says(control, "hola")
    assert (await control.post("/sandbox/reset")).json() == {"ok": True}
    assert (await control.get(f"/sandbox/chats/{USER_ID}/messages")).status_code == 404
    assert await bot.get_updates(timeout=0) == ()


def test_json_logs_never_contain_the_token():
    formatter = JsonLogFormatter(secrets=[TOKEN])
    record = logging.makeLogRecord({"msg": "calling /bot%s/getMe", "args": (TOKEN,), "name": "x", "levelname": "INFO"})
    line = formatter.format(record)
    assert TOKEN not in line
    assert json.loads(line)["event"] == "calling /bot[REDACTED]/getMe"


def test_command_line_reads_token_and_port_from_environment(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SANDBOX_PORT", "9123")
    args = parse_args([])
    assert (args.token, args.port, args.host) == (TOKEN, 9123, "127.0.0.1")
