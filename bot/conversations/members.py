"""/personas (/people): coordinators and administrators see who is in the program, entity by entity, and remove
someone after a confirmation. Intake decides; the bot offers only the people the person's role may remove."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import (
    BROKER_ERRORS,
    SEND_TIMEOUT_SECONDS,
    MenuEntry,
    SendCommand,
    language_of,
    log,
    reply,
)
from bot.conversations.people import WhoIs, actor_of, entity_keyboard
from bot.projection import PersonView
from puente.contracts.people import MAY_INVITE, RemovePerson, RemovePersonPayload
from puente.i18n import translate
from puente.wiring.city import CityConfig

PEOPLE = MenuEntry("personas", "people", "menu-people", position=39)
MENU = [PEOPLE]
PROGRAM = "-"  # the entity button for people of no entity: the program's coordinators and administrators
MAX_LISTED = 40  # lines of at most ~250 characters: well below Telegram's 4096 per message

PeopleOf = Callable[[str | None], Awaitable[list[PersonView]]]
PersonById = Callable[[str], Awaitable[PersonView | None]]


class MembersConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs, people_of: PeopleOf,
                 person_by_id: PersonById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.people_of = people_of
        self.person_by_id = person_by_id

    def handlers(self) -> list:
        return [
            CommandHandler(PEOPLE.names(), self.choose_entity),
            CallbackQueryHandler(self.list_entity, pattern=r"^people:entity:"),
            CallbackQueryHandler(self.ask_removal, pattern=r"^people:remove:"),
            CallbackQueryHandler(self.remove, pattern=r"^people:confirm:"),
            CallbackQueryHandler(self.keep, pattern=r"^people:keep$"),
        ]

    async def _manager(self, update: Update) -> PersonView | None:
        """The person speaking, if their role manages people (the roles that invite)."""
        person = await self.who_is(update.effective_user.id)
        return person if person is not None and MAY_INVITE.get(person.role) else None

    async def _removable(self, update: Update, person_id: str) -> tuple[PersonView, PersonView] | None:
        """The manager and the person they may remove (not themselves, a role they may invite, still active)."""
        manager = await self._manager(update)
        try:
            person = await self.person_by_id(str(uuid.UUID(person_id)))
        except ValueError:  # forged data
            return None
        if manager is None or person is None or not person.active or person.id == manager.id:
            return None
        return (manager, person) if person.role in MAY_INVITE[manager.role] else None

    async def choose_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._manager(update) is None:
            await reply(update, context, "invite-not-allowed")
            return
        language = language_of(update, context)
        keyboard = entity_keyboard(self.city, "people:entity:").inline_keyboard
        program = [InlineKeyboardButton(translate("people-program", language),
                                        callback_data=f"people:entity:{PROGRAM}")]
        await update.effective_chat.send_message(translate("people-choose-entity", language),
                                                 reply_markup=InlineKeyboardMarkup([*keyboard, program]))

    async def list_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        entity_id = query.data.removeprefix("people:entity:")
        manager = await self._manager(update)
        if manager is None or (entity_id != PROGRAM and entity_id not in self.city.entities):
            await reply(update, context, "people-button-refused")
            return
        language = language_of(update, context)
        people = await self.people_of(None if entity_id == PROGRAM else entity_id)
        where = translate("people-program", language) if entity_id == PROGRAM else self.city.entities[entity_id].name
        if not people:
            await reply(update, context, "people-none", entity=where)
            return
        shown = people[:MAX_LISTED]
        lines = [translate("people-header", language, entity=where, count=len(people))]
        lines += [f"• {person.name} · {translate(f'role-{person.role.value}', language)}" for person in shown]
        buttons = [[InlineKeyboardButton(f"✖ {person.name}", callback_data=f"people:remove:{person.id}")]
                   for person in shown if person.id != manager.id and person.role in MAY_INVITE[manager.role]]
        await update.effective_chat.send_message("\n".join(lines),
                                                 reply_markup=InlineKeyboardMarkup(buttons) if buttons else None)

    async def ask_removal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        removable = await self._removable(update, query.data.removeprefix("people:remove:"))
        if removable is None:
            await reply(update, context, "people-button-refused")
            return
        _, person = removable
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(translate("people-yes-remove", language), callback_data=f"people:confirm:{person.id}"),
            InlineKeyboardButton(translate("people-no", language), callback_data="people:keep"),
        ]])
        await update.effective_chat.send_message(
            translate("people-confirm-removal", language, name=person.name,
                      role=translate(f"role-{person.role.value}", language)), reply_markup=keyboard)

    async def remove(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        removable = await self._removable(update, query.data.removeprefix("people:confirm:"))
        if removable is None:
            await reply(update, context, "people-button-refused")
            return
        manager, person = removable
        await query.edit_message_reply_markup(reply_markup=None)  # a confirmation works once
        command = RemovePerson.new(payload=RemovePersonPayload(person_id=person.id),
                                   actor=actor_of(manager, update, context), city=self.city.city.slug)
        try:
            await asyncio.wait_for(self.send_command(command), SEND_TIMEOUT_SECONDS)
        except BROKER_ERRORS as error:
            log.warning("could not send a removal: the broker is away", command_id=str(command.event_id),
                        error=type(error).__name__)
            await reply(update, context, "directory-send-failed")
            return
        log.info("removal sent", command_id=str(command.event_id))
        await reply(update, context, "people-removal-sent", name=person.name)

    async def keep(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)
        await reply(update, context, "people-kept")
