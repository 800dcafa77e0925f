"""/start (with an invitation's code: joining), /ayuda (/help), and what the bot says to anything it does not
understand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, ConversationHandler, MessageHandler, filters

from bot.conversations.common import MenuEntry, reply
from puente.wiring.city import CityConfig

START = MenuEntry("start", "start", "menu-start", position=0)
HELP = MenuEntry("ayuda", "help", "menu-help", position=50)
MENU = [START, HELP]
Redeem = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, "help-text")


class HelpConversation:
    menu = MENU

    def __init__(self, city: CityConfig, redeem: Redeem) -> None:
        self.city = city
        self.redeem = redeem

    def handlers(self) -> list:
        return [CommandHandler(START.names(), self.start), CommandHandler(HELP.names(), show_help)]

    def last_handlers(self) -> list:
        """After every other conversation's: a message nobody else took."""
        return [MessageHandler(filters.UpdateType.MESSAGE, self.unknown)]

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """/start; with a code after it (an invitation's link was opened), joining with that invitation."""
        if context.args:
            await self.redeem(update, context)
            return ConversationHandler.END
        await reply(update, context, "start-welcome", name=update.effective_user.first_name, city=self.city.city.name)
        return ConversationHandler.END

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await reply(update, context, "unknown-command")
