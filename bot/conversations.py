"""What the bot says and asks. Every text comes from puente/locales in the person's language (Spanish default)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiokafka.errors import KafkaError
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from puente.contracts.commands import (
    ProposeExchange,
    ProposeExchangePayload,
    ProposePractice,
    ProposePracticePayload,
)
from puente.contracts.envelope import Actor, ActorRole, Message
from puente.contracts.events import Line
from puente.contracts.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, TextRefused, clean_text, person_text
from puente.i18n import language_or_default, translate
from puente.wiring.city import CityConfig
from puente.wiring.logging import get_logger

log = get_logger(__name__)

ASK_ENTITY, ASK_TITLE, ASK_DESCRIPTION = range(3)
SEND_TIMEOUT_SECONDS = 10
# What "the system is away, try again" is for: the broker's errors and a send that timed out. Anything else is a
# bug, answered with an apology and a reference (see BotConversations.on_error).
BROKER_ERRORS = (KafkaError, TimeoutError, ConnectionError)

SendCommand = Callable[[Message], Awaitable[None]]


def chosen_language(user_data: Mapping[str, Any] | None, user: User | None) -> str:
    """The language the person chose with /idioma, else their Telegram language, else Spanish."""
    chosen = user_data.get("language") if user_data is not None else None
    if chosen:
        return chosen
    return language_or_default(user.language_code if user else None)


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return chosen_language(context.user_data, update.effective_user)


# The command menu per language: Telegram shows the one matching the person's app language, Spanish otherwise.
MENU = {
    "es": [("start", "menu-start"), ("proponer", "menu-propose"), ("practica", "menu-practice"),
           ("idioma", "menu-language"), ("ayuda", "menu-help"), ("cancelar", "menu-cancel")],
    "en": [("start", "menu-start"), ("propose", "menu-propose"), ("practice", "menu-practice"),
           ("language", "menu-language"), ("help", "menu-help"), ("cancel", "menu-cancel")],
}
EXCHANGE_COMMANDS = ["proponer", "propose"]
PRACTICE_COMMANDS = ["practica", "practice"]
CANCEL_COMMANDS = ["cancelar", "cancel"]
HELP_COMMANDS = ["ayuda", "help"]
LANGUAGE_COMMANDS = ["idioma", "language"]


async def publish_command_menu(bot: Bot) -> None:
    for language, commands in MENU.items():
        menu = [BotCommand(command, translate(message_id, language)) for command, message_id in commands]
        await bot.set_my_commands(menu, language_code=None if language == "es" else language)


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, message_id: str, **arguments: Any) -> None:
    await update.effective_chat.send_message(translate(message_id, language_of(update, context), **arguments))


async def checked_text(update: Update, context: ContextTypes.DEFAULT_TYPE, limit: int) -> str | None:
    """The person's text as the commands will carry it, or None after telling them why it cannot be used."""
    try:
        return person_text(update.message.text, limit)
    except TextRefused as refused:
        if refused.reason != "too_long":
            await reply(update, context, "propose-empty")
            return None
        await reply(update, context,
                    "propose-title-too-long" if limit == SHORT_TEXT_MAX else "propose-description-too-long",
                    length=refused.length, limit=refused.max_length)
        return None


def is_practice(context: ContextTypes.DEFAULT_TYPE) -> bool:
    return (context.user_data or {}).get("proposal", {}).get("line") == Line.ensena.value


def form_of(context: ContextTypes.DEFAULT_TYPE) -> str:
    """Which form is in progress, as the texts name it: 'exchange' (Aprende) or 'practice' (Enseña)."""
    return "practice" if is_practice(context) else "exchange"


class BotConversations:
    def __init__(self, city: CityConfig, send_command: SendCommand) -> None:
        self.city = city
        self.send_command = send_command

    def handlers(self) -> list:
        message = filters.UpdateType.MESSAGE  # not an edit of an earlier message
        answer = message & filters.TEXT & ~filters.COMMAND
        propose = ConversationHandler(
            entry_points=[
                CommandHandler(EXCHANGE_COMMANDS, self.propose_exchange_start),
                CommandHandler(PRACTICE_COMMANDS, self.propose_practice_start),
            ],
            states={
                ASK_ENTITY: [MessageHandler(answer, self.propose_entity)],
                ASK_TITLE: [MessageHandler(answer, self.propose_title)],
                ASK_DESCRIPTION: [MessageHandler(answer, self.propose_description)],
            },
            # In a form, every command still does what it says.
            fallbacks=[
                CommandHandler(CANCEL_COMMANDS, self.cancel),
                CommandHandler(EXCHANGE_COMMANDS, self.drop_form_then(self.propose_exchange_start)),
                CommandHandler(PRACTICE_COMMANDS, self.drop_form_then(self.propose_practice_start)),
                CommandHandler("start", self.drop_form_then(self.start)),
                CommandHandler(HELP_COMMANDS, self.help_in_form),
                CommandHandler(LANGUAGE_COMMANDS, self.choose_language),
                MessageHandler(message, self.form_waiting),
            ],
            name="propose",
            persistent=True,
        )
        return [
            propose,  # first: while a form is in progress, it sees every message
            CommandHandler("start", self.start),
            CommandHandler(HELP_COMMANDS, self.help),
            CommandHandler(LANGUAGE_COMMANDS, self.choose_language),
            CallbackQueryHandler(self.language_chosen, pattern=r"^language:(es|en)$"),
            CommandHandler(CANCEL_COMMANDS, self.nothing_to_cancel),
            MessageHandler(filters.UpdateType.MESSAGE, self.unknown),
        ]

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await reply(update, context, "start-welcome", name=update.effective_user.first_name, city=self.city.city.name)
        return ConversationHandler.END

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply(update, context, "help-text")

    async def help_in_form(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The help, then the form's pending question again."""
        await reply(update, context, "help-text")
        return await self.ask_next(update, context)

    async def choose_language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Español", callback_data="language:es"),
              InlineKeyboardButton("English", callback_data="language:en")]]
        )
        await update.effective_chat.send_message(translate("language-choose", language_of(update, context)),
                                                 reply_markup=keyboard)

    async def language_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button works once: its keyboard is removed, and a press of a keyboard already removed is ignored."""
        query = update.callback_query
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as error:
            if "not modified" in error.message.lower():  # the keyboard was removed by an earlier press
                log.info("language button pressed again", update_id=update.update_id)
                await query.answer()
                return
            log.warning("could not remove the language keyboard", update_id=update.update_id, error=error.message)
        context.user_data["language"] = query.data.split(":", 1)[1]
        await query.answer()
        await reply(update, context, "language-chosen")
        if "proposal" in context.user_data:  # a form is in progress: its question again, in the new language
            await self.ask_next(update, context)

    async def propose_exchange_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Aprende: the entity wants to learn from an international practice."""
        context.user_data["proposal"] = {"line": Line.aprende.value}
        await reply(update, context, "propose-ask-entity")
        return ASK_ENTITY

    async def propose_practice_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Enseña: the entity puts forward one of its own practices."""
        context.user_data["proposal"] = {"line": Line.ensena.value}
        await reply(update, context, "propose-ask-entity")
        return ASK_ENTITY

    async def propose_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        entity = clean_text(update.message.text).lower()
        if not entity:
            await reply(update, context, "propose-empty")
            return ASK_ENTITY
        if entity not in self.city.entities:
            await reply(update, context, "propose-unknown-entity", entity=entity[:40],
                        entities=", ".join(sorted(self.city.entities)))
            return ASK_ENTITY
        context.user_data.setdefault("proposal", {})["entity_id"] = entity
        return await self.ask_next(update, context)

    async def propose_title(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        title = await checked_text(update, context, SHORT_TEXT_MAX)
        if title is None:
            return ASK_TITLE
        proposal = context.user_data.get("proposal", {})
        if not {"line", "entity_id"} <= proposal.keys():
            return await self.restart_proposal(update, context)
        proposal["title"] = title
        return await self.ask_next(update, context)

    async def propose_description(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The exchange's need or the practice's summary; then the command goes to intake."""
        description = await checked_text(update, context, LONG_TEXT_MAX)
        if description is None:
            return ASK_DESCRIPTION
        proposal = context.user_data.get("proposal", {})
        if not {"line", "entity_id", "title"} <= proposal.keys():
            return await self.restart_proposal(update, context)
        if proposal.get("attempted_description") != description:
            # A retry of the same text reuses the command id, so intake applies it once even if the first try
            # reached Kafka after all; a different text is a new command.
            proposal["attempted_description"] = description
            proposal["command_id"] = str(uuid.uuid4())
        command = self._proposal_command(update, context, proposal, description)
        practice = is_practice(context)
        try:
            await asyncio.wait_for(self.send_command(command), SEND_TIMEOUT_SECONDS)
        except BROKER_ERRORS as error:  # Kafka is away: keep what they typed, ask them to send it again later
            log.warning("could not send the proposal: the broker is away", command_id=str(command.event_id),
                        error=type(error).__name__)
            await reply(update, context, "practice-failed" if practice else "propose-failed")
            return ASK_DESCRIPTION
        context.user_data.pop("proposal", None)
        log.info("proposal sent", command_id=str(command.event_id), entity_id=proposal["entity_id"])
        await reply(update, context, "practice-sent" if practice else "propose-sent", title=proposal["title"])
        return ConversationHandler.END

    async def ask_next(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Ask the form's next question from what is already answered; return that question's state."""
        proposal = context.user_data.get("proposal", {})
        practice = is_practice(context)
        if "entity_id" not in proposal:
            await reply(update, context, "propose-ask-entity")
            return ASK_ENTITY
        if "title" not in proposal:
            await reply(update, context, "practice-ask-title" if practice else "propose-ask-title",
                        limit=SHORT_TEXT_MAX)
            return ASK_TITLE
        await reply(update, context, "propose-ask-summary" if practice else "propose-ask-need", limit=LONG_TEXT_MAX)
        return ASK_DESCRIPTION

    async def restart_proposal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """What was typed before was lost (saved data and conversation state can part on a crash): start over."""
        line = context.user_data.get("proposal", {}).get("line", Line.aprende.value)
        context.user_data["proposal"] = {"line": line}
        await reply(update, context, "propose-ask-entity")
        return ASK_ENTITY

    def _proposal_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE, proposal: dict,
                          description: str) -> Message:
        entity_id = proposal["entity_id"]
        fields = {"entity_id": entity_id, "sector": self.city.entities[entity_id].sector, "title": proposal["title"]}
        actor = Actor(role=ActorRole.staff, id=str(update.effective_user.id), entity_id=entity_id,
                      language=language_of(update, context))
        command_id = uuid.UUID(proposal["command_id"])
        if proposal.get("line") == Line.ensena.value:
            payload = ProposePracticePayload(**fields, summary=description)
            return ProposePractice.new(payload=payload, actor=actor, city=self.city.city.slug, event_id=command_id)
        payload = ProposeExchangePayload(**fields, need=description)
        return ProposeExchange.new(payload=payload, actor=actor, city=self.city.city.slug, event_id=command_id)

    def drop_form_then(self, handler: Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]):
        """A command typed in a form: say which form is dropped, then do what the command says."""
        async def dropping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            form = form_of(context)
            context.user_data.pop("proposal", None)
            await reply(update, context, "form-dropped", form=form)
            state = await handler(update, context)
            return ConversationHandler.END if state is None else state

        return dropping

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        form = form_of(context)
        context.user_data.pop("proposal", None)
        await reply(update, context, "cancelled", form=form)
        return ConversationHandler.END

    async def nothing_to_cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.user_data.pop("proposal", None)  # nothing should be there; if something is, it is not in use
        await reply(update, context, "nothing-to-cancel")

    async def form_waiting(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything but a text answer in a form (a photo, an unknown command): the form still waits; say so."""
        await reply(update, context, "form-waiting")

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await reply(update, context, "unknown-command")

    async def slow_down(self, update: Update, application: Application) -> None:
        """Told once to a person who sends too fast (bot.pacing decides when)."""
        user = update.effective_user
        if update.effective_chat is None or user is None:
            return
        language = chosen_language(application.user_data.get(user.id), user)
        try:
            await application.bot.send_message(update.effective_chat.id, translate("slow-down", language))
        except TelegramError as error:
            log.warning("could not ask a person to slow down", user_id=user.id, error=type(error).__name__)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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
