"""What the bot says and asks. Every text comes from puente/locales in the person's language (Spanish default)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
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
from puente.i18n import language_or_default, translate
from puente.wiring.city import CityConfig
from puente.wiring.logging import get_logger

log = get_logger(__name__)

ASK_ENTITY, ASK_TITLE, ASK_DESCRIPTION = range(3)
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
SEND_TIMEOUT_SECONDS = 10

SendCommand = Callable[[Message], Awaitable[None]]


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language the person chose with /idioma, else their Telegram language, else Spanish."""
    chosen = context.user_data.get("language") if context.user_data is not None else None
    if chosen:
        return chosen
    user = update.effective_user
    return language_or_default(user.language_code if user else None)


# The command menu per language: Telegram shows the one matching the person's app language, Spanish otherwise.
MENU = {
    "es": [("start", "menu-start"), ("proponer", "menu-propose"), ("practica", "menu-practice"),
           ("idioma", "menu-language"), ("ayuda", "menu-help"), ("cancelar", "menu-cancel")],
    "en": [("start", "menu-start"), ("propose", "menu-propose"), ("practice", "menu-practice"),
           ("language", "menu-language"), ("help", "menu-help"), ("cancel", "menu-cancel")],
}


async def publish_command_menu(bot: Bot) -> None:
    for language, commands in MENU.items():
        menu = [BotCommand(command, translate(message_id, language)) for command, message_id in commands]
        await bot.set_my_commands(menu, language_code=None if language == "es" else language)


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, message_id: str, **arguments) -> None:
    await update.effective_chat.send_message(translate(message_id, language_of(update, context), **arguments))


async def bounded_text(update: Update, context: ContextTypes.DEFAULT_TYPE, limit: int, too_long: str) -> str | None:
    """The message's text, or None after telling the person it is empty or longer than `limit`."""
    text = update.message.text.strip()
    if not text:
        await reply(update, context, "propose-empty")
        return None
    if len(text) > limit:
        await reply(update, context, too_long, length=len(text))
        return None
    return text


class BotConversations:
    def __init__(self, city: CityConfig, send_command: SendCommand) -> None:
        self.city = city
        self.send_command = send_command

    def handlers(self) -> list:
        propose = ConversationHandler(
            entry_points=[
                CommandHandler(["proponer", "propose"], self.propose_exchange_start),
                CommandHandler(["practica", "practice"], self.propose_practice_start),
            ],
            states={
                ASK_ENTITY: [MessageHandler(filters.TEXT & ~filters.COMMAND, self.propose_entity)],
                ASK_TITLE: [MessageHandler(filters.TEXT & ~filters.COMMAND, self.propose_title)],
                ASK_DESCRIPTION: [MessageHandler(filters.TEXT & ~filters.COMMAND, self.propose_description)],
            },
            fallbacks=[CommandHandler(["cancelar", "cancel"], self.cancel)],
            name="propose",
            persistent=True,
        )
        return [
            CommandHandler("start", self.start),
            CommandHandler(["ayuda", "help"], self.help),
            CommandHandler(["idioma", "language"], self.choose_language),
            CallbackQueryHandler(self.language_chosen, pattern=r"^language:(es|en)$"),
            propose,
            CommandHandler(["cancelar", "cancel"], self.cancel),
            MessageHandler(filters.ALL, self.unknown),
        ]

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply(update, context, "start-welcome", name=update.effective_user.first_name, city=self.city.city.name)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await reply(update, context, "help-text")

    async def choose_language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Español", callback_data="language:es"),
              InlineKeyboardButton("English", callback_data="language:en")]]
        )
        await update.effective_chat.send_message(translate("language-choose", language_of(update, context)),
                                                 reply_markup=keyboard)

    async def language_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.user_data["language"] = update.callback_query.data.split(":", 1)[1]
        await update.callback_query.answer()
        await reply(update, context, "language-chosen")

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
        entity = update.message.text.strip().lower()
        if entity not in self.city.entities:
            await reply(update, context, "propose-unknown-entity", entity=entity[:40],
                        entities=", ".join(sorted(self.city.entities)))
            return ASK_ENTITY
        context.user_data.setdefault("proposal", {})["entity_id"] = entity
        await reply(update, context, "propose-ask-title")
        return ASK_TITLE

    async def propose_title(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        title = await bounded_text(update, context, MAX_TITLE, "propose-title-too-long")
        if title is None:
            return ASK_TITLE
        proposal = context.user_data.get("proposal", {})
        if not {"line", "entity_id"} <= proposal.keys():
            return await self.restart_proposal(update, context)
        proposal["title"] = title
        is_practice = proposal.get("line") == Line.ensena.value
        await reply(update, context, "propose-ask-summary" if is_practice else "propose-ask-need")
        return ASK_DESCRIPTION

    async def propose_description(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The exchange's need or the practice's summary; then the command goes to intake."""
        description = await bounded_text(update, context, MAX_DESCRIPTION, "propose-need-too-long")
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
        try:
            await asyncio.wait_for(self.send_command(command), SEND_TIMEOUT_SECONDS)
        except Exception:  # Kafka is away: keep what they typed, ask them to send it again later
            log.exception("could not send the proposal", command_id=str(command.event_id))
            await reply(update, context, "propose-failed")
            return ASK_DESCRIPTION
        context.user_data.pop("proposal", None)
        log.info("proposal sent", command_id=str(command.event_id), entity_id=proposal["entity_id"])
        await reply(update, context, "propose-sent", title=proposal["title"])
        return ConversationHandler.END

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

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop("proposal", None)
        await reply(update, context, "cancelled")
        return ConversationHandler.END

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await reply(update, context, "unknown-command")
