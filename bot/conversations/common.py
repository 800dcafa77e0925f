"""What every conversation shares: the person's language, replies from puente/locales, menu entries, and the
answers to a flood and to a bug. Every text comes from puente/locales in the person's language (Spanish default)."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import KafkaError
from telegram import InlineKeyboardButton, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.projection import PersonView
from puente.contracts.envelope import Message, derived_id
from puente.contracts.text import TextRefused, person_text
from puente.i18n import language_or_default, translate
from puente.wiring.city import CityConfig
from puente.wiring.logging import get_logger

log = get_logger(__name__)

SEND_TIMEOUT_SECONDS = 10
SETTLED_LIMIT = 4000  # an answered question's text, short of Telegram's 4096 (which counts some emoji twice)
# What "the system is away, try again" is for: the broker's errors and a send that timed out. Anything else is a
# bug, answered with an apology and a reference (see on_error).
BROKER_ERRORS = (KafkaError, TimeoutError, ConnectionError)

# What a person is choosing with buttons, outside a form, by the key it is kept under in their data: /cancelar drops
# it (the buttons are refused afterwards).
CHOICES_IN_PROGRESS = ("withdrawal", "evaluation", "scorecard", "decision", "companions", "matches", "record_pick",
                       "record_budget", "record_logistics", "record_plan", "record_line", "record_count")

# Sends a command to the service that carries it out (the topic comes from the command's contract).
SendCommand = Callable[[Message], Awaitable[None]]
# The active person of the directory behind a Telegram account, as the bot's view knows them.
WhoIs = Callable[[int], Awaitable[PersonView | None]]


@dataclass(frozen=True)
class MenuEntry:
    """A command in Telegram's menu: its name in each language, the text describing it, and where it goes."""

    es: str
    en: str
    description: str  # a message id in puente/locales
    position: int  # the menu lists entries by position

    def names(self) -> list[str]:
        return list(dict.fromkeys([self.es, self.en]))


def chosen_language(user_data: Mapping[str, Any] | None, user: User | None) -> str:
    """The language the person chose with /idioma, else their Telegram language, else Spanish."""
    chosen = user_data.get("language") if user_data is not None else None
    if chosen:
        return chosen
    return language_or_default(user.language_code if user else None)


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return chosen_language(context.user_data, update.effective_user)


def page_turns(language: str, page: int, pages: int, callback: Callable[[int], str]) -> list[InlineKeyboardButton]:
    """The buttons that turn a paged list (none for a single page); `callback(n)` is the data that shows page n."""
    turns = []
    if page > 0:
        turns.append(InlineKeyboardButton(translate("page-previous", language), callback_data=callback(page - 1)))
    if page < pages - 1:
        turns.append(InlineKeyboardButton(translate("page-next", language), callback_data=callback(page + 1)))
    return turns


def described(person: PersonView, city: CityConfig, language: str) -> dict[str, str]:
    """A person's name, role, entity and language, as the texts about them show these."""
    entity = city.entities.get(person.entity_id) if person.entity_id else None
    return {"name": person.name, "role": translate(f"role-{person.role.value}", language),
            "entity": entity.name if entity else "—", "speaks": translate(f"language-name-{person.language}", language),
            "expertise": expertise(person, city, language)}


def expertise(person: PersonView, city: CityConfig, language: str) -> str:
    """An evaluator's sectors and topics as a line of its own (nothing for other roles)."""
    if person.role.value != "evaluator":
        return ""
    sectors = [city.sectors[sector].in_language(language) for sector in person.sectors if sector in city.sectors]
    return "\n" + translate("me-expertise", language, sectors=", ".join(sectors) or "—",
                            topics=", ".join(person.topics) or "—")


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, message_id: str, **arguments: Any) -> None:
    await update.effective_chat.send_message(translate(message_id, language_of(update, context), **arguments))


async def refuse_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from an earlier question, or data no button of this person carried: nothing is sent."""
    log.info("button refused", update_id=update.update_id)
    await reply(update, context, "course-button-refused")


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The handler for a conversation's buttons that match none of its patterns."""
    await update.callback_query.answer()
    await refuse_button(update, context)


async def settle(update: Update, chosen: str | None = None) -> None:
    """A question answered with a button: its buttons go, and what was chosen shows under it (the pressed button's
    text, or `chosen`), so the chat keeps the answer."""
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None)  # an old message Telegram no longer shows has none
    pressed = next((button.text for row in (markup.inline_keyboard if markup else ()) for button in row
                    if button.callback_data == query.data), None)
    shown = getattr(query.message, "text", None)
    try:
        if shown is None:  # not a text message: only the buttons go
            await query.edit_message_reply_markup(reply_markup=None)
            return
        await query.edit_message_text(fit(f"{shown}\n→ {chosen or pressed or '✔'}"))
    except BadRequest as error:  # pressed twice: already settled
        log.info("question already settled", update_id=update.update_id, error=error.message)


def fit(text: str, limit: int = SETTLED_LIMIT) -> str:
    """A text cut to fit one Telegram message (whose limit counts UTF-16 units: some emoji count twice), ending
    in "…" when cut."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    units = 0
    for index, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit - 1:
            return text[:index] + "…"
    return text


async def typed_text(update: Update, context: ContextTypes.DEFAULT_TYPE, limit: int) -> str | None:
    """The person's typed answer as a text of at most `limit` characters; None after telling them what is wrong."""
    try:
        return person_text(update.message.text, limit)
    except TextRefused as refused:
        if refused.reason == "too_long":
            await reply(update, context, "course-text-too-long", length=refused.length, limit=limit)
        else:
            await reply(update, context, "propose-empty")
        return None


def button_command_id(update: Update) -> uuid.UUID:
    """A command sent by a button press gets an id derived from the chat, the message and the button: a double tap
    or a redelivered update sends the same command, which its service handles once."""
    query = update.callback_query
    return derived_id("button", update.effective_chat.id, query.message.message_id, query.data)


def on_this_message(update: Update, state: Mapping[str, Any] | None) -> bool:
    """A press on the message a kept choice belongs to (a press on an older one must not act on the newer)."""
    return state is not None and state.get("message_id") == update.callback_query.message.message_id


def ending_form(kept: str, message_id: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[int]]:
    """A form's handler for /cancelar or another command: it drops what the form kept under `kept`, tells the person
    `message_id`, and ends the conversation."""
    async def end(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(kept, None)
        await reply(update, context, message_id)
        return ConversationHandler.END

    return end


TYPED = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND  # a typed answer, not a command


def form(name: str, kept: str, entry_points: list[BaseHandler], states: dict[int, list[BaseHandler]],
         fallbacks: tuple[BaseHandler, ...] = ()) -> ConversationHandler:
    """A form whose state is kept in MongoDB across restarts: `/cancelar` ends it (`<name>-cancelled`), another
    command drops it and asks for that command again (`<name>-dropped`); what it keeps is under `kept` in the
    person's data. PTB warns that callback handlers in a form are not tracked per message, which is meant."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points, states=states,
            fallbacks=[CommandHandler(["cancelar", "cancel"], ending_form(kept, f"{name}-cancelled")),
                       MessageHandler(filters.COMMAND, ending_form(kept, f"{name}-dropped")), *fallbacks],
            name=name, persistent=True)


async def sent(update: Update, context: ContextTypes.DEFAULT_TYPE, send_command: SendCommand, command: Message,
               failure_text: str = "directory-send-failed") -> bool:
    """Send a command; when the broker is away (or the send times out), tell the person with `failure_text` and
    return False, so the conversation can keep what they typed."""
    try:
        await asyncio.wait_for(send_command(command), SEND_TIMEOUT_SECONDS)
    except BROKER_ERRORS as error:
        log.warning("could not send a command: the broker is away", command_id=str(command.event_id),
                    command_type=command.type, error=type(error).__name__)
        await reply(update, context, failure_text)
        return False
    log.info("command sent", command_id=str(command.event_id), command_type=command.type)
    return True


async def slow_down(update: Update, application: Application) -> None:
    """Told once to a person who sends too fast (bot.pacing decides when)."""
    user = update.effective_user
    if update.effective_chat is None or user is None:
        return
    language = chosen_language(application.user_data.get(user.id), user)
    try:
        await application.bot.send_message(update.effective_chat.id, translate("slow-down", language))
    except TelegramError as error:
        log.warning("could not ask a person to slow down", user_id=user.id, error=type(error).__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A bug (the broker's errors are handled where they happen): log it with a short reference, and give the
    person an apology with the same reference, so support can find the log line."""
    reference = uuid.uuid4().hex[:8]
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("unexpected error while handling an update", reference=reference, update_id=update_id,
              exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await reply(update, context, "unexpected-error", reference=reference)
    except Exception as error:  # noqa: BLE001 (the apology is best effort; the error is logged above)
        log.warning("could not send the apology", reference=reference, error=type(error).__name__)
