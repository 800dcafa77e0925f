"""/start (with an invitation's code: joining), /ayuda (/help), and what the bot says to anything it does not
understand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, ConversationHandler, MessageHandler, filters

from bot.conversations.common import MenuEntry, WhoIs, language_of, reply
from puente.contracts.people import Role
from puente.i18n import translate
from puente.wiring.city import CityConfig

START = MenuEntry("start", "start", "menu-start", position=0)
HELP = MenuEntry("ayuda", "help", "menu-help", position=50)
MENU = [START, HELP]
Redeem = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE, who_is: WhoIs) -> None:
    """The commands everyone has, then those of the person's role."""
    person = await who_is(update.effective_user.id) if update.effective_user else None
    role = person.role if person is not None else None
    language = language_of(update, context)
    sections = [translate("help-text", language)]
    if role in (Role.staff, Role.coordinator, Role.administrator):
        sections.append(translate("help-text-practices", language))
        sections.append(translate("help-text-exchanges", language))
    if role is Role.evaluator:
        sections.append(translate("help-text-evaluators", language))
    if role in (Role.coordinator, Role.administrator):
        sections.append(translate("help-text-coordinators", language))
    sections.append(translate("help-text-end", language))
    await update.effective_chat.send_message("\n".join(sections))


class HelpConversation:
    menu = MENU

    def __init__(self, city: CityConfig, redeem: Redeem, who_is: WhoIs) -> None:
        self.city = city
        self.redeem = redeem
        self.who_is = who_is

    def handlers(self) -> list:
        return [CommandHandler(START.names(), self.start), CommandHandler(HELP.names(), self.help)]

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await show_help(update, context, self.who_is)

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
