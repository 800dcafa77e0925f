"""/entregar (/deliver) <code>: staff of the item's entity (and coordinators) fill in the current phase's
deliverables from chat. The phase's checklist comes with a button per deliverable; the bot then asks for that
deliverable's value as its type needs (a choice with buttons, a date, a number, a link, a text, or a document sent
in chat), checks it as phases will, and sends it. Documents are checked by name and content and kept in the bot's
GridFS; a card's ⬇ button sends a deliverable's document back, byte for byte."""

from __future__ import annotations

import re
import uuid

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.conversations.common import TYPED, MenuEntry, SendCommand, form, language_of, log, reply, sent
from bot.conversations.course import STEERING_ROLES, ItemById, ItemByReference, find_item, may_see
from bot.conversations.people import WhoIs, actor_of
from bot.documents import DocumentStore, RefusedDocument
from bot.projection import ItemView
from puente.contracts.deliverables import MAX_DOCUMENT_BYTES, DeliverableType, InvalidDeliverable, checked_value
from puente.contracts.people import Role
from puente.contracts.phases import SubmitDeliverable, SubmitDeliverablePayload
from puente.i18n import translate
from puente.wiring.city import CityConfig, Deliverable

DELIVER = MenuEntry("entregar", "deliver", "menu-deliver", position=31)
MENU = [DELIVER]
AWAIT_VALUE = 30
PICK = re.compile(r"^deliver:pick:([0-9a-f-]{36}):(\d{1,2}):(\d{1,2})$")
FETCH = re.compile(r"^deliver:get:([0-9a-f-]{36}):(\d{1,2}):(\d{1,2})$")
CHOICE = re.compile(r"^deliver:choice:(\d{1,2}):(\d{1,2})$")  # the deliverable's index, then the choice's



class DeliverConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs, item_by_reference: ItemByReference,
                 item_by_id: ItemById, documents: DocumentStore) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id
        self.documents = documents

    def handlers(self) -> list:
        delivering = form("deliver", "delivering", [CallbackQueryHandler(self.picked, pattern=PICK)], {AWAIT_VALUE: [
            MessageHandler(TYPED, self.typed),
            MessageHandler(filters.UpdateType.MESSAGE & (filters.Document.ALL | filters.PHOTO), self.uploaded),
            CallbackQueryHandler(self.chosen, pattern=CHOICE),
        ]}, fallbacks=(CallbackQueryHandler(self.picked, pattern=PICK),))
        return [delivering, CommandHandler(DELIVER.names(), self.checklist),
                CallbackQueryHandler(self.fetch, pattern=FETCH),
                CallbackQueryHandler(self.stale_button, pattern=r"^deliver:")]

    def phase_of(self, item: ItemView):
        phases = self.city.phases_of(item.line) if item.line else []
        return next((phase for phase in phases if phase.key == item.phase_key), None)

    # --- the checklist ------------------------------------------------------------------------------------------

    async def checklist(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, "AP-2026-0007")
        if found is None:
            return
        _, item, _ = found
        language = language_of(update, context)
        phase = self.phase_of(item)
        if item.status != "active" or phase is None:
            await reply(update, context, "course-not-active")
            return
        if not phase.deliverables:
            await reply(update, context, "deliver-nothing", phase=phase.name.in_language(language))
            return
        buttons = [[InlineKeyboardButton(
            ("✓ " if item.delivered_in(item.phase_number, deliverable.key) else "○ ")
            + deliverable.name.in_language(language) + ("" if deliverable.required else " *"),
            callback_data=f"deliver:pick:{item.id}:{item.phase_number}:{index}")]
            for index, deliverable in enumerate(phase.deliverables)]
        await update.effective_chat.send_message(
            translate("deliver-choose", language, ref=item.reference, title=item.title, number=item.phase_number,
                      phase=phase.name.in_language(language)),
            reply_markup=InlineKeyboardMarkup(buttons))

    async def picked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        match = PICK.match(query.data)
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(match[1]) if match else None
        phase = self.phase_of(item) if item is not None else None
        index = int(match[3]) if match else -1
        if person is None or item is None or phase is None or not 0 <= index < len(phase.deliverables) or \
                (person.role not in STEERING_ROLES and (person.role is not Role.staff
                                                        or person.entity_id != item.entity_id)):
            await reply(update, context, "course-button-refused")
            return ConversationHandler.END
        if int(match[2]) != item.phase_number:
            await reply(update, context, "deliver-phase-moved")
            return ConversationHandler.END
        deliverable = phase.deliverables[index]
        context.user_data["delivering"] = {"item_id": item.id, "phase_number": item.phase_number, "index": index}
        await self.ask(update, context, deliverable)
        return AWAIT_VALUE

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, deliverable: Deliverable) -> None:
        language = language_of(update, context)
        position = (context.user_data.get("delivering") or {}).get("index", 0)
        name = deliverable.name.in_language(language)
        if deliverable.type is DeliverableType.choice:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(text.in_language(language),
                                                                   callback_data=f"deliver:choice:{position}:{index}")]
                                             for index, text in enumerate(deliverable.choices.values())])
            await update.effective_chat.send_message(translate("deliver-ask-choice", language, name=name),
                                                     reply_markup=keyboard)
            return
        await reply(update, context, f"deliver-ask-{deliverable.type.value}", name=name)

    # --- the answer ---------------------------------------------------------------------------------------------

    async def _pending(self, update: Update, context: ContextTypes.DEFAULT_TYPE):
        """The item and deliverable being filled in, still the current phase's; None (told) otherwise."""
        pending = context.user_data.get("delivering") or {}
        item = await self.item_by_id(pending.get("item_id", "")) if pending else None
        phase = self.phase_of(item) if item is not None else None
        if item is None or phase is None or item.phase_number != pending.get("phase_number") \
                or pending.get("index", -1) >= len(phase.deliverables):
            context.user_data.pop("delivering", None)
            await reply(update, context, "deliver-phase-moved")
            return None
        return item, phase.deliverables[pending["index"]]

    async def typed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = await self._pending(update, context)
        if pending is None:
            return ConversationHandler.END
        item, deliverable = pending
        if deliverable.type in (DeliverableType.document, DeliverableType.choice):
            await self.ask(update, context, deliverable)
            return AWAIT_VALUE
        try:
            value = checked_value(deliverable.rule(), update.message.text, None,
                                  self.city.city.local_date(update.message.date))
        except InvalidDeliverable as invalid:
            await reply(update, context, f"deliver-refused-{invalid.reason}")
            return AWAIT_VALUE
        return await self.send(update, context, item, deliverable, value=value)

    async def chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        pending = await self._pending(update, context)
        if pending is None:
            return ConversationHandler.END
        item, deliverable = pending
        match = CHOICE.match(query.data)
        index = int(match[2])
        asked = int(match[1]) == context.user_data["delivering"]["index"]
        if not asked or deliverable.type is not DeliverableType.choice or index >= len(deliverable.choices):
            await reply(update, context, "course-button-refused")
            return AWAIT_VALUE
        await query.edit_message_reply_markup(reply_markup=None)
        return await self.send(update, context, item, deliverable, value=list(deliverable.choices)[index])

    async def uploaded(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = await self._pending(update, context)
        if pending is None:
            return ConversationHandler.END
        item, deliverable = pending
        if deliverable.type is not DeliverableType.document:
            await self.ask(update, context, deliverable)
            return AWAIT_VALUE
        message = update.message
        if message.document is not None:
            file_id, name, size = message.document.file_id, message.document.file_name or "document", \
                message.document.file_size
        else:
            largest = message.photo[-1]
            file_id, name, size = largest.file_id, "photo.jpg", largest.file_size
        if size is not None and size > MAX_DOCUMENT_BYTES:
            await reply(update, context, "deliver-refused-document-too-big")
            return AWAIT_VALUE
        try:
            content = bytes(await (await context.bot.get_file(file_id)).download_as_bytearray())
            reference = await self.documents.keep(name, content)
        except RefusedDocument as refused:
            await reply(update, context, f"deliver-refused-{refused.reason}")
            return AWAIT_VALUE
        except TelegramError as error:
            log.warning("could not fetch a document from Telegram", update_id=update.update_id,
                        error=type(error).__name__)
            await reply(update, context, "deliver-refused-document-unreadable")
            return AWAIT_VALUE
        log.info("document kept", update_id=update.update_id, size=reference.size, file_id=reference.file_id)
        return await self.send(update, context, item, deliverable, document=reference)

    async def send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, item: ItemView,
                   deliverable: Deliverable, value: str | None = None, document=None) -> int:
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = SubmitDeliverable.new(
            payload=SubmitDeliverablePayload(item_id=uuid.UUID(item.id), phase_number=item.phase_number,
                                             key=deliverable.key, value=value, document=document),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if not await sent(update, context, self.send_command, command):
            return AWAIT_VALUE
        context.user_data.pop("delivering", None)
        await reply(update, context, "deliver-sent", name=deliverable.name.in_language(language_of(update, context)))
        return ConversationHandler.END



    # --- fetching a document back -------------------------------------------------------------------------------

    async def fetch(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        match = FETCH.match(query.data)
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(match[1]) if match else None
        phases = self.city.phases_of(item.line) if item is not None and item.line else []
        phase_number, index = (int(match[2]), int(match[3])) if match else (0, 0)
        phase = phases[phase_number - 1] if 0 < phase_number <= len(phases) else None
        delivered = item.delivered_in(phase_number, phase.deliverables[index].key) \
            if phase is not None and index < len(phase.deliverables) else None
        if person is None or delivered is None or delivered.document is None or not may_see(person, item):
            await reply(update, context, "course-button-refused")
            return
        content = await self.documents.read(delivered.document)
        if content is None:
            await reply(update, context, "deliver-refused-document-unreadable")
            return
        await update.effective_chat.send_document(content, filename=delivered.document.name)

    async def stale_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await reply(update, context, "course-button-refused")
