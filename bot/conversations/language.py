"""/idioma (/language): the person chooses Spanish or English with a button; every later text follows it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, language_of, log, reply
from puente.i18n import translate

LANGUAGE = MenuEntry("idioma", "language", "menu-language", position=40)
MENU = [LANGUAGE]

# Called after a language is chosen, so a form in progress asks its question again in the new language.
AfterChoice = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[object]]


async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Español", callback_data="language:es"),
          InlineKeyboardButton("English", callback_data="language:en")]]
    )
    await update.effective_chat.send_message(translate("language-choose", language_of(update, context)),
                                             reply_markup=keyboard)


class LanguageConversation:
    menu = MENU

    def __init__(self, after_choice: AfterChoice | None = None) -> None:
        self.after_choice = after_choice

    def handlers(self) -> list:
        return [
            CommandHandler(LANGUAGE.names(), choose_language),
            CallbackQueryHandler(self.language_chosen, pattern=r"^language:(es|en)$"),
        ]

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
        if self.after_choice is not None:
            await self.after_choice(update, context)
