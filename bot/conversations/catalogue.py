"""Bogotá Aprende's catalogue from chat: /catalogo (/catalogue).

Everyone in the program reads it: international practices, experts and strategic allies, paged. Coordinators and
administrators add an entry, field by field (choices with buttons), and correct one: they pick the entry, the field,
and type (or choose) its new value. Intake decides; the bot checks each field as the contract will, so a person
hears a mistake at once, in their language."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler, MessageHandler

from bot.conversations.common import (
    TYPED,
    MenuEntry,
    SendCommand,
    fit,
    form,
    language_of,
    log,
    on_this_message,
    page_turns,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.course import STEERING_ROLES
from bot.conversations.people import WhoIs, actor_of
from bot.conversations.record import EntryOf
from bot.conversations.suggest import CatalogueOf, clipped
from bot.projection import CatalogueView
from puente.contracts.knowledge import (
    MAX_TOPICS,
    Entry,
    EntryKind,
    OrganisationType,
    RecordCatalogueEntry,
    RecordCatalogueEntryPayload,
    SupportKind,
)
from puente.contracts.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

CATALOGUE = MenuEntry("catalogo", "catalogue", "menu-catalogue", position=39)
MENU = [CATALOGUE]
PAGE = 8
VALUE, = range(110, 111)
KINDS = list(EntryKind)
SHOW = re.compile(r"^cat:show:([pea]):(\d{1,3})$")
EDIT = re.compile(r"^cat:edit:([pea]):([0-9a-f]{12})$")  # the entry's key, as a digest (keys can be long)
FIELD = re.compile(r"^cat:field:(\d{1,2})$")
CHOSEN = re.compile(r"^cat:value:(\d{1,3})$")
LETTER = {"p": EntryKind.practice, "e": EntryKind.expert, "a": EntryKind.ally}
ENTRY = TypeAdapter(Entry)
SKIP = "-"  # typed for an optional field left empty


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, long, country, choice, list, languages, link
    optional: bool = False


FIELDS = {
    EntryKind.practice: [Field("title", "text"), Field("city", "text"), Field("country", "country"),
                         Field("organisation", "text"), Field("sector", "choice"), Field("topics", "list"),
                         Field("summary", "long"), Field("source", "link", optional=True)],
    EntryKind.expert: [Field("name", "text"), Field("organisation", "text"), Field("organisation_type", "choice"),
                       Field("country", "country"), Field("topics", "list"), Field("languages", "languages"),
                       Field("fee", "text", optional=True)],
    EntryKind.ally: [Field("name", "text"), Field("support", "choice"), Field("cofunds", "text", optional=True)],
}


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def new_key(name: str) -> str:
    """A stable key for an entry added from chat: its name in lower case without accents, and a short tail."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48] or "entry"
    return f"{slug}-{uuid.uuid4().hex[:6]}"


class CatalogueConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs, catalogue_of: CatalogueOf,
                 catalogue_entry: EntryOf) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.catalogue_of = catalogue_of
        self.catalogue_entry = catalogue_entry

    def handlers(self) -> list:
        editing = form("catalogue", "catalogue_entry", [
            CallbackQueryHandler(self.start_adding, pattern=r"^cat:add:[pea]$"),
            CallbackQueryHandler(self.start_correcting, pattern=EDIT)], {
            VALUE: [MessageHandler(TYPED, self.typed), CallbackQueryHandler(self.chosen, pattern=CHOSEN),
                    CallbackQueryHandler(self.field_chosen, pattern=FIELD)],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^cat:(value|field):"),))
        return [editing, CommandHandler(CATALOGUE.names(), self.start),
                CallbackQueryHandler(self.show, pattern=SHOW),
                CallbackQueryHandler(stale_button, pattern=r"^cat:")]

    def choices(self, field: Field, language: str) -> list[tuple[str, str]]:
        """(value, label) of a choice field."""
        if field.name == "sector":
            return [(key, name.in_language(language)) for key, name in self.city.sectors.items()]
        if field.name == "organisation_type":
            return [(member.value, translate(f"organisation-type-{member.value}", language))
                    for member in OrganisationType]
        return [(member.value, translate(f"support-kind-{member.value}", language)) for member in SupportKind]

    # --- reading -------------------------------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return
        language = language_of(update, context)
        counts = {kind: len(await self.catalogue_of(kind.value)) for kind in KINDS}
        letters = {kind: letter for letter, kind in LETTER.items()}
        rows = [[InlineKeyboardButton(translate(f"catalogue-kind-{kind.value}", language, count=counts[kind]),
                                      callback_data=f"cat:show:{letters[kind]}:0")] for kind in KINDS]
        if person.role in STEERING_ROLES:
            rows.append([InlineKeyboardButton(translate(f"catalogue-add-{kind.value}", language),
                                              callback_data=f"cat:add:{letters[kind]}") for kind in KINDS])
        await update.effective_chat.send_message(translate("catalogue-header", language),
                                                 reply_markup=InlineKeyboardMarkup(rows))

    def entry_line(self, number: int, view: CatalogueView, language: str) -> str:
        entry = view.entry
        if entry.kind == "practice":
            sector = self.city.sectors.get(entry.sector)
            details = (f"{entry.city}, {entry.country} · {sector.in_language(language) if sector else entry.sector}"
                       f" · {', '.join(entry.topics)}")
        elif entry.kind == "expert":
            organisation_type = translate(f"organisation-type-{entry.organisation_type}", language)
            details = f"{entry.organisation} ({organisation_type}), {entry.country} · {', '.join(entry.topics)}"
        else:
            details = translate(f"support-kind-{entry.support}", language) + \
                (f" · {entry.cofunds}" if entry.cofunds else "")
        return f"{number}. {clipped(view.name, 80)} — {clipped(details, 200)}"

    async def show(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        letter, number = SHOW.match(update.callback_query.data).groups()
        if person is None:
            await refuse_button(update, context)
            return
        kind, page = LETTER[letter], int(number)
        entries = await self.catalogue_of(kind.value)
        pages = max((len(entries) + PAGE - 1) // PAGE, 1)
        page = min(page, pages - 1)
        language = language_of(update, context)
        shown = list(enumerate(entries))[page * PAGE:(page + 1) * PAGE]
        lines = [translate("catalogue-page", language, kind=translate(f"catalogue-kind-{kind.value}", language,
                                                                      count=len(entries)),
                           page=page + 1, pages=pages)]
        lines += [self.entry_line(index + 1, view, language) for index, view in shown] or \
            [translate("catalogue-empty", language)]
        rows = []
        if person.role in STEERING_ROLES and shown:
            buttons = [InlineKeyboardButton(f"✏️ {index + 1}", callback_data=f"cat:edit:{letter}:{key_digest(view.key)}")
                       for index, view in shown]
            rows += [buttons[start:start + 4] for start in range(0, len(buttons), 4)]
        turns = page_turns(language, page, pages, lambda turn: f"cat:show:{letter}:{turn}")
        if turns:
            rows.append(turns)
        text = "\n".join(lines)
        await update.effective_chat.send_message(fit(text),
                                                 reply_markup=InlineKeyboardMarkup(rows) if rows else None)

    # --- adding and correcting -------------------------------------------------------------------------------------

    async def _coordinator(self, update: Update, context: ContextTypes.DEFAULT_TYPE):
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        if person is None or person.role not in STEERING_ROLES:
            await reply(update, context, "coordinators-only")
            return None
        return person

    async def start_adding(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        if await self._coordinator(update, context) is None:
            return ConversationHandler.END
        kind = LETTER[update.callback_query.data.rsplit(":", 1)[1]]
        context.user_data["catalogue_entry"] = {"kind": kind.value, "key": None, "fields": {}, "step": 0,
                                                "command_id": str(uuid.uuid4())}
        await reply(update, context, "catalogue-adding", kind=translate(f"catalogue-one-{kind.value}",
                                                                        language_of(update, context)))
        await self._ask(update, context)
        return VALUE

    async def start_correcting(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        if await self._coordinator(update, context) is None:
            return ConversationHandler.END
        letter, digest = EDIT.match(update.callback_query.data).groups()
        kind = LETTER[letter]
        view = next((entry for entry in await self.catalogue_of(kind.value) if key_digest(entry.key) == digest), None)
        if view is None:
            await refuse_button(update, context)
            return ConversationHandler.END
        context.user_data["catalogue_entry"] = {"kind": kind.value, "key": view.key, "fields": {}, "step": None,
                                                "command_id": str(uuid.uuid4()), "correcting": True}
        language = language_of(update, context)
        rows = [[InlineKeyboardButton(translate(f"catalogue-field-{field.name}", language),
                                      callback_data=f"cat:field:{index}")]
                for index, field in enumerate(FIELDS[kind])]
        await update.effective_chat.send_message(translate("catalogue-which-field", language,
                                                           name=clipped(view.name, 80)),
                                                 reply_markup=InlineKeyboardMarkup(rows))
        return VALUE

    async def field_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("catalogue_entry")
        index = int(FIELD.match(update.callback_query.data)[1])
        if pending is None or not pending.get("correcting") or index >= len(FIELDS[EntryKind(pending["kind"])]):
            await refuse_button(update, context)
            return VALUE if pending else ConversationHandler.END
        await settle(update)
        pending["step"] = index
        await self._ask(update, context)
        return VALUE

    def _field(self, pending: dict) -> Field:
        return FIELDS[EntryKind(pending["kind"])][pending["step"]]

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        pending = context.user_data["catalogue_entry"]
        field = self._field(pending)
        language = language_of(update, context)
        text = translate(f"catalogue-ask-{field.kind}", language,
                         field=translate(f"catalogue-field-{field.name}", language))
        if field.optional:
            text += "\n" + translate("catalogue-optional", language, skip=SKIP)
        keyboard = None
        if field.kind == "choice":
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"cat:value:{index}")]
                                             for index, (_, label) in enumerate(self.choices(field, language))])
        shown = await update.effective_chat.send_message(text, reply_markup=keyboard)
        pending["message_id"] = shown.message_id  # a choice counts on this question's buttons only

    def _read(self, field: Field, typed: str) -> tuple[object | None, str | None]:
        """The value typed for a field, or the message that says what is wrong with it."""
        if field.optional and typed.strip() == SKIP:
            return None, None
        try:
            if field.kind == "long":
                return person_text(typed, LONG_TEXT_MAX), None
            if field.kind in ("text", "link"):
                value = person_text(typed, SHORT_TEXT_MAX if field.kind == "text" else 500)
                if field.kind == "link" and not re.fullmatch(r"https?://\S{3,500}", value):
                    return None, "catalogue-link-invalid"
                return value, None
        except TextRefused:
            return None, "catalogue-text-invalid"
        if field.kind == "country":
            value = typed.strip().upper()
            return (value, None) if re.fullmatch(r"[A-Z]{2}", value) else (None, "catalogue-country-invalid")
        values = [value.strip() for value in typed.split(",") if value.strip()]
        if field.kind == "languages":
            values = [value.lower() for value in values]
            if not values or not all(re.fullmatch(r"[a-z]{2}", value) for value in values):
                return None, "catalogue-languages-invalid"
            return values, None
        if not values or len(values) > MAX_TOPICS or any(len(value) > SHORT_TEXT_MAX for value in values):
            return None, "catalogue-list-invalid"
        return values, None

    async def typed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = context.user_data["catalogue_entry"]
        if pending["step"] is None:
            await reply(update, context, "catalogue-choose-field")
            return VALUE
        field = self._field(pending)
        if field.kind == "choice":
            await reply(update, context, "catalogue-choose-button")
            return VALUE
        value, problem = self._read(field, update.message.text)
        if problem == "catalogue-list-invalid":
            await reply(update, context, "catalogue-list-invalid", maximum=MAX_TOPICS)
            return VALUE
        if problem is not None:
            await reply(update, context, problem)
            return VALUE
        return await self._next(update, context, value)

    async def chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("catalogue_entry")
        index = int(CHOSEN.match(update.callback_query.data)[1])
        if pending is None or pending["step"] is None or self._field(pending).kind != "choice" or \
                not on_this_message(update, pending):
            await refuse_button(update, context)
            return VALUE if pending else ConversationHandler.END
        options = self.choices(self._field(pending), language_of(update, context))
        if index >= len(options):
            await refuse_button(update, context)
            return VALUE
        await settle(update)
        return await self._next(update, context, options[index][0])

    async def _next(self, update: Update, context: ContextTypes.DEFAULT_TYPE, value: object) -> int:
        """Keep the value; ask the next field of a new entry, or send the entry (a correction is one field)."""
        pending = context.user_data["catalogue_entry"]
        pending["fields"][self._field(pending).name] = value
        fields = FIELDS[EntryKind(pending["kind"])]
        if not pending.get("correcting") and pending["step"] + 1 < len(fields):
            pending["step"] += 1
            await self._ask(update, context)
            return VALUE
        if pending.get("correcting"):
            # A correction changes one field of the entry as it is now (someone may have changed another meanwhile).
            current = await self.catalogue_entry(pending["kind"], pending["key"])
            if current is None:
                context.user_data.pop("catalogue_entry", None)
                await reply(update, context, "catalogue-gone")
                return ConversationHandler.END
            pending["fields"] = {**current.entry.model_dump(mode="json", exclude={"kind"}), **pending["fields"]}
        try:
            entry = ENTRY.validate_python({**pending["fields"], "kind": pending["kind"]})
        except ValidationError as error:
            log.info("catalogue entry refused by its contract", errors=len(error.errors()))
            await reply(update, context, "catalogue-text-invalid")
            return VALUE
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        key = pending["key"] or new_key(pending["fields"].get("title") or pending["fields"]["name"])
        pending["key"] = key
        command = RecordCatalogueEntry.new(payload=RecordCatalogueEntryPayload(key=key, entry=entry),
                                           actor=actor_of(person, update, context), city=self.city.city.slug,
                                           event_id=uuid.UUID(pending["command_id"]))
        if not await sent(update, context, self.send_command, command):
            return VALUE
        context.user_data.pop("catalogue_entry", None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END

