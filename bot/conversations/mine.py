"""/mis (/mine): the person's exchanges and practices, with their current phase and due date, in pages.

Read from the bot's own projection of the events (bot/projection.py); the pages turn with buttons that edit the
same message, so a long list never floods the chat or goes over Telegram's limits.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, language_of, log, page_turns
from bot.projection import ItemView
from puente.i18n import translate
from puente.wiring.city import CityConfig

MINE = MenuEntry("mis", "mine", "menu-mine", position=30)
MENU = [MINE]
PAGE_SIZE = 8  # 8 items of at most ~400 characters each stay well below Telegram's 4096

ReadItems = Callable[[str], Awaitable[list[ItemView]]]


class MineConversation:
    menu = MENU

    def __init__(self, city: CityConfig, read_items: ReadItems) -> None:
        self.city = city
        self.read_items = read_items

    def handlers(self) -> list:
        return [CommandHandler(MINE.names(), self.first_page),
                CallbackQueryHandler(self.turn_page, pattern=r"^mine:\d{1,4}$")]

    async def first_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text, keyboard = await self.page(update, context, 0)
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    async def turn_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        text, keyboard = await self.page(update, context, int(query.data.split(":", 1)[1]))
        await query.answer()
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:  # the same page pressed twice: nothing changed
            log.info("page not changed", update_id=update.update_id, error=error.message)

    async def page(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                   number: int) -> tuple[str, InlineKeyboardMarkup | None]:
        language = language_of(update, context)
        items = await self.read_items(str(update.effective_user.id))
        if not items:
            return translate("mine-empty", language), None
        pages = math.ceil(len(items) / PAGE_SIZE)
        number = min(number, pages - 1)
        shown = items[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        lines = [translate("mine-header", language, count=len(items), page=number + 1, pages=pages)]
        lines += [self.describe(item, language) for item in shown]
        buttons = page_turns(language, number, pages, lambda to: f"mine:{to}")
        return "\n\n".join(lines), InlineKeyboardMarkup([buttons]) if buttons else None

    def describe(self, item: ItemView, language: str) -> str:
        phases = self.city.phases_of(item.line) if item.line else []
        phase = next((phase for phase in phases if phase.key == item.phase_key), None)
        return translate(
            "mine-item", language,
            ref=f"{item.reference} " if item.reference else "", title=item.title,
            line=self.city.lines[item.line].name.in_language(language),
            phase=phase.name.in_language(language) if phase else "—",
            number=item.phase_number or 0, phases=len(phases),
            due=item.due_on.isoformat() if item.due_on else "—",
            late="yes" if item.overdue else "no",
        )
