"""/editar (/edit) <code>: staff of the item's entity (and coordinators) change a field of an exchange or practice
at any phase: the field is chosen with buttons (title, the need or summary, the topic, an exchange's countries of
interest), then the new text is typed.
Intake keeps the history of every earlier value; the notifier confirms."""

from __future__ import annotations

import re
import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
)

from bot.conversations.common import TYPED, MenuEntry, SendCommand, WhoIs, form, language_of, reply, sent
from bot.conversations.course import STEERING_ROLES, ItemById, ItemByReference, find_item
from bot.conversations.people import actor_of
from puente.contracts.common import Line
from puente.contracts.items import ItemChanges, UpdateItem, UpdateItemPayload
from puente.contracts.people import Role
from puente.contracts.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

EDIT = MenuEntry("editar", "edit", "menu-edit", position=31)
MENU = [EDIT]
AWAIT_TEXT = 40
FIELD = re.compile(r"^edit:([0-9a-f-]{36}):(title|need|summary|topic|countries_of_interest)$")
LIMITS = {"title": SHORT_TEXT_MAX, "topic": SHORT_TEXT_MAX, "need": LONG_TEXT_MAX, "summary": LONG_TEXT_MAX,
          "countries_of_interest": 100}
COUNTRIES = re.compile(r"^[A-Za-z]{2}(\s*,\s*[A-Za-z]{2}){0,19}$")


def fields_of(line: Line) -> list[str]:
    """What can change on an item of this line (intake's `Item.changeable_fields`)."""
    if line is Line.aprende:
        return ["title", "need", "topic", "countries_of_interest"]
    return ["title", "summary", "topic"]


class EditConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id

    def handlers(self) -> list:
        editing = form("edit", "editing", [CallbackQueryHandler(self.field_chosen, pattern=FIELD)],
                       {AWAIT_TEXT: [MessageHandler(TYPED, self.text_given)]},
                       fallbacks=(CallbackQueryHandler(self.field_chosen, pattern=FIELD),))
        return [editing, CommandHandler(EDIT.names(), self.choose_field)]

    async def choose_field(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, "AP-2026-0007")
        if found is None:
            return
        _, item, _ = found
        language = language_of(update, context)
        buttons = [[InlineKeyboardButton(translate(f"edit-field-{field}", language),
                                         callback_data=f"edit:{item.id}:{field}")] for field in fields_of(item.line)]
        await update.effective_chat.send_message(
            translate("edit-choose", language, ref=item.reference, title=item.title),
            reply_markup=InlineKeyboardMarkup(buttons))

    async def field_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        match = FIELD.match(query.data)
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(match[1])
        if person is None or item is None or match[2] not in fields_of(item.line) or \
                (person.role not in STEERING_ROLES and (person.role is not Role.staff
                                                        or person.entity_id != item.entity_id)):
            await reply(update, context, "course-button-refused")
            return ConversationHandler.END
        context.user_data["editing"] = {"item_id": item.id, "field": match[2]}
        if match[2] == "countries_of_interest":
            await reply(update, context, "edit-ask-countries")
            return AWAIT_TEXT
        field = translate(f"edit-field-{match[2]}", language_of(update, context))
        await reply(update, context, "edit-ask", field=field, limit=LIMITS[match[2]])
        return AWAIT_TEXT

    async def text_given(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        editing = context.user_data.get("editing") or {}
        person = await self.who_is(update.effective_user.id)
        if person is None or not editing:
            await reply(update, context, "unknown-command")
            return ConversationHandler.END
        field = editing["field"]
        if field == "countries_of_interest":
            typed = update.message.text.strip()
            if not COUNTRIES.match(typed):
                await reply(update, context, "edit-countries-invalid")
                return AWAIT_TEXT
            return await self._send(update, context, person, ItemChanges(countries_of_interest=list(dict.fromkeys(
                code.strip().upper() for code in typed.split(",")))))
        try:
            text = person_text(update.message.text, LIMITS[field])
        except TextRefused as refused:
            await reply(update, context, "course-text-too-long" if refused.reason == "too_long" else "propose-empty",
                        **({"length": refused.length, "limit": LIMITS[field]} if refused.reason == "too_long" else {}))
            return AWAIT_TEXT
        return await self._send(update, context, person, ItemChanges(**{field: text}))

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, person, changes: ItemChanges) -> int:
        editing = context.user_data["editing"]
        command = UpdateItem.new(payload=UpdateItemPayload(item_id=uuid.UUID(editing["item_id"]), changes=changes),
                                 actor=actor_of(person, update, context), city=self.city.city.slug)
        if not await sent(update, context, self.send_command, command):
            return AWAIT_TEXT
        context.user_data.pop("editing", None)
        await reply(update, context, "edit-sent")
        return ConversationHandler.END


