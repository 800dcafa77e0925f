"""/personas (/people): coordinators and administrators see who is in the program, entity by entity and page by
page, change someone's role or entity with buttons, and remove someone after a confirmation; /quitar (/remove)
goes straight to removing. Intake decides; the bot offers only the people, and the roles, the person's own role
may manage."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, SendCommand, language_of, log, page_turns, reply, sent
from bot.conversations.people import ROLE_ORDER, WhoIs, actor_of, entity_keyboard
from bot.projection import PersonView
from puente.contracts.people import (
    MAY_INVITE,
    ROLES_WITH_ENTITY,
    ChangePerson,
    ChangePersonPayload,
    RemovePerson,
    RemovePersonPayload,
    Role,
)
from puente.i18n import translate
from puente.wiring.city import CityConfig

PEOPLE = MenuEntry("personas", "people", "menu-people", position=39)
REMOVE = MenuEntry("quitar", "remove", "menu-remove", position=39)
MENU = [PEOPLE, REMOVE]
PROGRAM = "-"  # the entity button for people of no entity: the program's coordinators and administrators
PAGE_SIZE = 10  # people per message: 10 lines of at most ~100 characters, and 10 rows of buttons
NAME_SHOWN = 60
# A list's buttons carry what they show: every person (with ✎ and ✖) or only removal (✖), the page, the entity.
LISTING = re.compile(r"^people:(?P<verb>list|page):(?P<mode>[ar]):(?P<page>\d{1,4}):(?P<entity>[a-z0-9_-]{1,32})$")
EVERYONE, REMOVAL_ONLY = "a", "r"

PeopleOf = Callable[[str | None], Awaitable[list[PersonView]]]
PersonById = Callable[[str], Awaitable[PersonView | None]]


def shown_name(person: PersonView) -> str:
    return person.name if len(person.name) <= NAME_SHOWN else person.name[:NAME_SHOWN - 1] + "…"


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
            CommandHandler(REMOVE.names(), self.choose_entity_to_remove),
            CallbackQueryHandler(self.list_entity, pattern=r"^people:(list|page):"),
            CallbackQueryHandler(self.ask_removal, pattern=r"^people:remove:"),
            CallbackQueryHandler(self.remove, pattern=r"^people:confirm:"),
            CallbackQueryHandler(self.keep, pattern=r"^people:keep$"),
            CallbackQueryHandler(self.ask_new_role, pattern=r"^people:change:"),
            CallbackQueryHandler(self.new_role, pattern=r"^people:newrole:"),
            CallbackQueryHandler(self.new_entity, pattern=r"^people:newentity:"),
            CallbackQueryHandler(self.stale_button, pattern=r"^people:"),  # a retired button, or forged data
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

    async def choose_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                            mode: str = EVERYONE) -> None:
        if await self._manager(update) is None:
            await reply(update, context, "invite-not-allowed")
            return
        language = language_of(update, context)
        keyboard = entity_keyboard(self.city, f"people:list:{mode}:0:").inline_keyboard
        program = [InlineKeyboardButton(translate("people-program", language),
                                        callback_data=f"people:list:{mode}:0:{PROGRAM}")]
        question = "people-choose-entity" if mode == EVERYONE else "people-choose-entity-to-remove"
        await update.effective_chat.send_message(translate(question, language),
                                                 reply_markup=InlineKeyboardMarkup([*keyboard, program]))

    async def choose_entity_to_remove(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.choose_entity(update, context, REMOVAL_ONLY)

    async def list_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A page of an entity's people: a new message when the entity is chosen (`people:list:…`), the same message
        edited when a page turns (`people:page:…`)."""
        query = update.callback_query
        await query.answer()
        listing = LISTING.match(query.data)
        manager = await self._manager(update)
        entity_id = listing["entity"] if listing else ""
        if manager is None or listing is None or (entity_id != PROGRAM and entity_id not in self.city.entities):
            await reply(update, context, "people-button-refused")
            return
        language = language_of(update, context)
        people = await self.people_of(None if entity_id == PROGRAM else entity_id)
        where = translate("people-program", language) if entity_id == PROGRAM else self.city.entities[entity_id].name
        if not people:
            await reply(update, context, "people-none", entity=where)
            return
        mode, pages = listing["mode"], math.ceil(len(people) / PAGE_SIZE)
        page = min(int(listing["page"]), pages - 1)
        shown = people[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        lines = [translate("people-header", language, entity=where, count=len(people))]
        if pages > 1:
            lines[0] += " · " + translate("people-page", language, page=page + 1, pages=pages)
        lines += [f"• {shown_name(person)} · {translate(f'role-{person.role.value}', language)}" for person in shown]
        manageable = [person for person in shown if person.id != manager.id and person.role in MAY_INVITE[manager.role]]
        buttons = [
            [*([InlineKeyboardButton(f"✎ {shown_name(person)}", callback_data=f"people:change:{person.id}")]
               if mode == EVERYONE else []),
             InlineKeyboardButton(f"✖ {shown_name(person)}", callback_data=f"people:remove:{person.id}")]
            for person in manageable]
        turns = page_turns(language, page, pages, lambda to: f"people:page:{mode}:{to}:{entity_id}")
        rows = [*buttons, turns] if turns else buttons
        keyboard = InlineKeyboardMarkup(rows) if rows else None
        if listing["verb"] == "list":  # an entity chosen: a new message, so the question stays above it
            await update.effective_chat.send_message("\n".join(lines), reply_markup=keyboard)
            return
        try:
            await query.edit_message_text("\n".join(lines), reply_markup=keyboard)
        except BadRequest as error:  # the same page pressed twice: nothing changed
            log.info("people page not changed", update_id=update.update_id, error=error.message)

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
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "people-removal-sent", name=person.name)

    async def stale_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        log.info("people button refused", update_id=update.update_id)
        await reply(update, context, "people-button-refused")

    async def keep(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)
        await reply(update, context, "people-kept")

    # --- changing a role or entity ------------------------------------------------------------------------------

    async def ask_new_role(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        removable = await self._removable(update, query.data.removeprefix("people:change:"))
        if removable is None:
            await reply(update, context, "people-button-refused")
            return
        manager, person = removable
        context.user_data["change"] = {"person_id": person.id}
        language = language_of(update, context)
        roles = [role for role in ROLE_ORDER if role in MAY_INVITE[manager.role]]
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(translate(f"role-{role.value}", language),
                                                               callback_data=f"people:newrole:{role.value}")]
                                         for role in roles])
        await update.effective_chat.send_message(translate("people-choose-role", language, name=person.name),
                                                 reply_markup=keyboard)

    async def new_role(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        change = context.user_data.get("change", {})
        role = query.data.removeprefix("people:newrole:")
        removable = await self._removable(update, change.get("person_id", ""))
        if removable is None or role not in {allowed.value for allowed in MAY_INVITE[removable[0].role]}:
            context.user_data.pop("change", None)
            await reply(update, context, "people-button-refused")
            return
        await query.edit_message_reply_markup(reply_markup=None)
        if Role(role) not in ROLES_WITH_ENTITY:
            await self._send_change(update, context, removable, Role(role), None)
            return
        change["role"] = role
        await update.effective_chat.send_message(
            translate("people-choose-new-entity", language_of(update, context), name=removable[1].name),
            reply_markup=entity_keyboard(self.city, "people:newentity:"))

    async def new_entity(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        change = context.user_data.get("change", {})
        entity_id = query.data.removeprefix("people:newentity:")
        removable = await self._removable(update, change.get("person_id", ""))
        if removable is None or "role" not in change or entity_id not in self.city.entities:
            context.user_data.pop("change", None)
            await reply(update, context, "people-button-refused")
            return
        await query.edit_message_reply_markup(reply_markup=None)
        await self._send_change(update, context, removable, Role(change["role"]), entity_id)

    async def _send_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                           removable: tuple[PersonView, PersonView], role: Role, entity_id: str | None) -> None:
        manager, person = removable
        context.user_data.pop("change", None)
        command = ChangePerson.new(payload=ChangePersonPayload(person_id=person.id, role=role, entity_id=entity_id),
                                   actor=actor_of(manager, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "people-change-sent", name=person.name,
                        role=translate(f"role-{role.value}", language_of(update, context)))
