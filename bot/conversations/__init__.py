"""The bot's conversations, one module each (`propose`, `mine`, `language`, `help`; `common` is what they share). Each
declares its commands and menu entries and builds its handlers; this module puts them in order and publishes the
command menu. A new conversation is a new module here, added to `conversations()`."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.conversations import help, mine, propose
from bot.conversations import language as language_module
from bot.conversations.common import SendCommand
from bot.conversations.help import HelpConversation
from bot.conversations.language import LanguageConversation
from bot.conversations.mine import MineConversation, ReadItems
from bot.conversations.propose import ProposeConversation
from puente.i18n import translate
from puente.wiring.city import CityConfig


def conversations(city: CityConfig, send_command: SendCommand, read_items: ReadItems) -> list:
    """Every conversation, in the order their handlers are tried: a form in progress first, so that it sees every
    message while it waits for an answer."""
    help_ = HelpConversation(city)
    proposing = ProposeConversation(city, send_command, start=help_.start)
    return [proposing, MineConversation(city, read_items),
            LanguageConversation(after_choice=proposing.ask_again_if_in_form), help_]


def handlers(city: CityConfig, send_command: SendCommand, read_items: ReadItems) -> list:
    every = conversations(city, send_command, read_items)
    ordered = [handler for conversation in every for handler in conversation.handlers()]
    return ordered + [handler for conversation in every for handler in getattr(conversation, "last_handlers", list)()]


def menu(language: str) -> list[BotCommand]:
    """The command menu in one language, from every conversation's entries."""
    entries = sorted([*help.MENU, *propose.MENU, *mine.MENU, *language_module.MENU], key=lambda entry: entry.position)
    return [BotCommand(entry.en if language == "en" else entry.es, translate(entry.description, language))
            for entry in entries]


async def publish_command_menu(bot: Bot) -> None:
    """Telegram shows the menu matching the person's app language, and the Spanish one otherwise."""
    for language in ("es", "en"):
        await bot.set_my_commands(menu(language), language_code=None if language == "es" else language)
