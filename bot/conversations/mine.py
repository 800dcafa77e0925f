"""/mis (/mine): the exchanges and practices a person follows, with their code, current phase and due date, in pages,
each with a button that opens its card. Staff see their entity's items; coordinators and administrators see every
entity's, and narrow the list with buttons: by entity, by line, by phase of that line, or only the late ones.

Read from the bot's own projection of the events (bot/projection.py); the pages and filters are buttons that edit
the same message, so a long list never floods the chat or goes over Telegram's limits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, WhoIs, language_of, log, page_turns, reply
from bot.projection import ItemView, PersonView
from puente.contracts.common import Line
from puente.contracts.people import Role
from puente.i18n import translate
from puente.wiring.city import CityConfig

MINE = MenuEntry("mis", "mine", "menu-mine", position=30)
MENU = [MINE]
PAGE_SIZE = 8  # 8 items of at most ~400 characters each stay well below Telegram's 4096
EVERY_ENTITY = frozenset({Role.coordinator, Role.administrator})
ANY = "-"
LISTING = re.compile(r"^mine:(?P<page>\d{1,4}):(?P<entity>[a-z0-9_-]{1,32}):(?P<line>aprende|ensena|-):"
                     r"(?P<phase>\d{1,2}|-):(?P<late>[01])$")
ENTITIES = re.compile(r"^mine:entities:(?P<line>aprende|ensena|-):(?P<late>[01])$")

ListItems = Callable[[str | None], Awaitable[list[ItemView]]]  # an entity's items, or (None) every item
ReadItems = Callable[[str], Awaitable[list[ItemView]]]  # the items a Telegram account proposed


@dataclass(frozen=True)
class Filter:
    entity: str = ANY
    line: str = ANY
    phase: str = ANY
    late: str = "0"

    def data(self, page: int = 0) -> str:
        return f"mine:{page}:{self.entity}:{self.line}:{self.phase}:{self.late}"

    def keeps(self, item: ItemView) -> bool:
        return ((self.entity == ANY or item.entity_id == self.entity)
                and (self.line == ANY or (item.line is not None and item.line.value == self.line))
                and (self.phase == ANY or str(item.phase_number) == self.phase)
                and (self.late == "0" or (item.overdue and item.status == "active")))


class MineConversation:
    menu = MENU

    def __init__(self, city: CityConfig, who_is: WhoIs, list_items: ListItems) -> None:
        self.city = city
        self.who_is = who_is
        self.list_items = list_items

    def handlers(self) -> list:
        return [CommandHandler(MINE.names(), self.first_page),
                CallbackQueryHandler(self.turn_page, pattern=LISTING),
                CallbackQueryHandler(self.choose_entity, pattern=ENTITIES)]

    async def first_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return
        text, keyboard = await self.page(person, language_of(update, context), 0, Filter())
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    async def turn_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        person = await self.who_is(update.effective_user.id)
        listing = LISTING.match(query.data)
        if person is None:
            return
        chosen = Filter(listing["entity"], listing["line"], listing["phase"], listing["late"])
        if person.role not in EVERY_ENTITY and chosen != Filter():
            await reply(update, context, "course-button-refused")  # staff have no filters: forged data
            return
        text, keyboard = await self.page(person, language_of(update, context), int(listing["page"]), chosen)
        await self._show(update, text, keyboard)

    async def choose_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        person = await self.who_is(update.effective_user.id)
        if person is None or person.role not in EVERY_ENTITY:
            await reply(update, context, "course-button-refused")
            return
        match = ENTITIES.match(query.data)
        base = Filter(line=match["line"], late=match["late"])
        codes = sorted(self.city.entities)
        rows = [[InlineKeyboardButton(code, callback_data=replace(base, entity=code).data())
                 for code in codes[start:start + 4]] for start in range(0, len(codes), 4)]
        rows.append([InlineKeyboardButton(translate("mine-all-entities", language_of(update, context)),
                                          callback_data=base.data())])
        await self._show(update, translate("mine-choose-entity", language_of(update, context)),
                         InlineKeyboardMarkup(rows))

    @staticmethod
    async def _show(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:  # the same page pressed twice: nothing changed
            log.info("page not changed", update_id=update.update_id, error=error.message)

    async def page(self, person: PersonView, language: str, number: int,
                   chosen: Filter) -> tuple[str, InlineKeyboardMarkup | None]:
        every_entity = person.role in EVERY_ENTITY
        if not every_entity and person.entity_id is None:
            items = []  # someone of no entity follows no entity's items
        else:
            items = await self.list_items(None if every_entity else person.entity_id)
        if person.role is Role.evaluator:  # and the practices they evaluate
            known = {item.id for item in items}
            items += [item for item in await self.list_items(None) if item.id not in known
                      and item.practice is not None and person.id in item.practice.evaluators]
        items = sorted((item for item in items if item.proposed_at is not None and chosen.keeps(item)),
                       key=lambda item: (item.proposed_at, item.id), reverse=True)
        filters = self.filter_rows(chosen, language) if every_entity else []
        if not items:
            empty = "mine-empty-filtered" if chosen != Filter() else "mine-empty"
            return translate(empty, language), InlineKeyboardMarkup(filters) if filters else None
        pages = math.ceil(len(items) / PAGE_SIZE)
        number = min(number, pages - 1)
        shown = items[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        whose = self.whose(person, chosen, language)
        lines = [translate("mine-header", language, whose=whose, count=len(items), page=number + 1, pages=pages)]
        lines += [self.describe(item, language) for item in shown]
        opens = [InlineKeyboardButton(f"🔎 {item.reference or (item.title or '')[:20]}",
                                      callback_data=f"card:{item.id}") for item in shown]
        rows = [opens[start:start + 4] for start in range(0, len(opens), 4)]
        turns = page_turns(language, number, pages, lambda to: chosen.data(to))
        rows += ([turns] if turns else []) + filters
        return "\n\n".join(lines), InlineKeyboardMarkup(rows)

    def whose(self, person: PersonView, chosen: Filter, language: str) -> str:
        if person.role not in EVERY_ENTITY:
            entity = self.city.entities.get(person.entity_id or "")
            return entity.name if entity else "—"
        entity = self.city.entities.get(chosen.entity)
        return entity.name if entity else translate("mine-all-entities", language)

    def filter_rows(self, chosen: Filter, language: str) -> list[list[InlineKeyboardButton]]:
        """Coordinators' filters: entity, line (then that line's phases) and late only; a chosen one is marked."""
        def mark(on: bool, text: str) -> str:
            return f"● {text}" if on else text

        rows = [[
            InlineKeyboardButton(mark(chosen.entity != ANY, translate("mine-filter-entity", language)),
                                 callback_data=f"mine:entities:{chosen.line}:{chosen.late}"),
            *(InlineKeyboardButton(mark(chosen.line == line.value, self.city.lines[line].name.in_language(language)),
                                   callback_data=replace(chosen, line=ANY if chosen.line == line.value
                                                         else line.value, phase=ANY).data())
              for line in Line),
            InlineKeyboardButton(mark(chosen.late == "1", "⏰"),
                                 callback_data=replace(chosen, late="0" if chosen.late == "1" else "1").data()),
        ]]
        if chosen.line != ANY:
            phases = self.city.phases_of(Line(chosen.line))
            rows.append([InlineKeyboardButton(mark(chosen.phase == str(number), str(number)),
                                              callback_data=replace(chosen, phase=ANY if chosen.phase == str(number)
                                                                    else str(number)).data())
                         for number in range(1, len(phases) + 1)])
        return rows

    def describe(self, item: ItemView, language: str) -> str:
        phases = self.city.phases_of(item.line) if item.line else []
        phase = next((phase for phase in phases if phase.key == item.phase_key), None)
        return translate(
            "mine-item", language,
            ref=f"{item.reference} " if item.reference else "", title=item.title,
            line=self.city.lines[item.line].name.in_language(language) if item.line else "—",
            phase=phase.name.in_language(language) if phase else "—",
            number=item.phase_number or 0, phases=len(phases),
            due=item.due_on.isoformat() if item.due_on else "—",
            late="yes" if item.overdue and item.status == "active" else "no",
        )
