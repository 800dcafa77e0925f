"""Collaboration requests about Bogotá Enseña's practices, from chat.

- /acompanantes (/companions) <code>: the practice's entity (or a coordinator) picks its companions among the
  entity's people with buttons.
- /solicitud (/request) <code>: a coordinator registers a request step by step: who asks, from where (city and
  country), what they want, and a description. Phases gives it to a companion with free capacity, or alerts the
  coordinators and keeps it waiting.
- /solicitudes (/requests): the open requests, waiting ones first, five to a page; coordinators see every
  entity's and staff their own. A request is closed with its outcome (by a coordinator or its companion), and a
  coordinator can give it to another companion of its practice."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
)

from bot.conversations.common import (
    TYPED,
    MenuEntry,
    SendCommand,
    form,
    language_of,
    log,
    page_turns,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.course import STEERING_ROLES, ItemById, ItemByReference, before_title, find_item, of_the_entity
from bot.conversations.members import PeopleOf, PersonById
from bot.conversations.people import WhoIs, actor_of
from bot.conversations.systematize import PLACE
from bot.projection import ItemView, PersonView, RequestView
from puente.contracts.collaboration import (
    MAX_COMPANIONS,
    AssignCollaboration,
    AssignCollaborationPayload,
    CloseCollaboration,
    CloseCollaborationPayload,
    NameCompanions,
    NameCompanionsPayload,
    RequestCollaboration,
    RequestCollaborationPayload,
    RequestKind,
    RequestOutcome,
)
from puente.contracts.common import Line
from puente.contracts.envelope import derived_id
from puente.contracts.people import Role
from puente.contracts.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

COMPANIONS = MenuEntry("acompanantes", "companions", "menu-companions", position=36)
REQUEST = MenuEntry("solicitud", "request", "menu-request", position=36)
REQUESTS = MenuEntry("solicitudes", "requests", "menu-requests", position=36)
MENU = [COMPANIONS, REQUEST, REQUESTS]
KINDS = list(RequestKind)
OUTCOMES = list(RequestOutcome)
PAGE = 5  # requests on one page
PEOPLE_PAGE = 10  # an entity's people on one page of the companions' picker
SHOWN = 40  # a name or requester, cut to this in a list
PICK = re.compile(r"^comp:pick:(\d{1,3})$")
PEOPLE_PAGE_TURN = re.compile(r"^comp:page:(\d{1,3})$")
PAGE_TURN = re.compile(r"^req:page:(\d{1,3})$")
CLOSE = re.compile(r"^req:close:([0-9a-f-]{36})$")
OUTCOME = re.compile(r"^req:outcome:([0-9a-f-]{36}):(\d)$")
ASSIGN = re.compile(r"^req:assign:([0-9a-f-]{36})$")
ASSIGN_TO = re.compile(r"^req:to:([0-9a-f-]{36}):(\d{1,2})$")
REQUESTER, WHERE, KIND, DESCRIPTION = range(70, 74)
RequestsOf = Callable[[str | None], Awaitable[list[RequestView]]]
RequestById = Callable[[str], Awaitable[RequestView | None]]


def cut(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


class CollaborationConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById, people_of: PeopleOf,
                 person_by_id: PersonById, requests_of: RequestsOf, request_by_id: RequestById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id
        self.people_of = people_of
        self.person_by_id = person_by_id
        self.requests_of = requests_of
        self.request_by_id = request_by_id

    def handlers(self) -> list:
        registering = form("request", "request", [CommandHandler(REQUEST.names(), self.start_request)], {
            REQUESTER: [MessageHandler(TYPED, self.requester)],
            WHERE: [MessageHandler(TYPED, self.place)],
            KIND: [CallbackQueryHandler(self.kind, pattern=r"^req:kind:\d$")],
            DESCRIPTION: [MessageHandler(TYPED, self.description)],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^req:kind:"),))
        return [registering,
                CommandHandler(COMPANIONS.names(), self.choose_companions),
                CommandHandler(REQUESTS.names(), self.first_page),
                CallbackQueryHandler(self.pick_companion, pattern=PICK),
                CallbackQueryHandler(self.turn_people_page, pattern=PEOPLE_PAGE_TURN),
                CallbackQueryHandler(self.save_companions, pattern=r"^comp:save$"),
                CallbackQueryHandler(self.cancel_companions, pattern=r"^comp:cancel$"),
                CallbackQueryHandler(self.turn_page, pattern=PAGE_TURN),
                CallbackQueryHandler(self.ask_outcome, pattern=CLOSE),
                CallbackQueryHandler(self.close, pattern=OUTCOME),
                CallbackQueryHandler(self.ask_companion, pattern=ASSIGN),
                CallbackQueryHandler(self.assign, pattern=ASSIGN_TO),
                CallbackQueryHandler(stale_button, pattern=r"^(comp|req):")]

    async def _practice(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                        usage: str) -> tuple[PersonView, ItemView] | None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, usage)
        if found is None:
            return None
        person, item, _ = found
        if item.line is not Line.ensena:
            await reply(update, context, "evaluation-not-found", code=item.reference)
            return None
        if not of_the_entity(person, item):
            await reply(update, context, "evaluation-not-allowed")
            return None
        if item.status not in ("active", "on_hold"):
            await reply(update, context, "course-not-active")
            return None
        return person, item

    # --- /acompanantes -----------------------------------------------------------------------------------------

    async def choose_companions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._practice(update, context, "EN-2026-0001")
        if found is None:
            return
        _, item = found
        candidates = [person for person in await self.people_of(item.entity_id) if person.role is Role.staff]
        if not candidates:
            await reply(update, context, "companions-nobody")
            return
        chosen = item.practice.companions if item.practice else []
        context.user_data["companions"] = {"item_id": item.id, "reference": item.reference, "title": item.title,
                                           "candidates": [person.id for person in candidates],
                                           "names": [cut(person.name) for person in candidates], "page": 0,
                                           "chosen": [person for person in chosen
                                                      if person in {candidate.id for candidate in candidates}]}
        text, keyboard = self._companions_keyboard(context, language_of(update, context))
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    def _companions_keyboard(self, context: ContextTypes.DEFAULT_TYPE,
                             language: str) -> tuple[str, InlineKeyboardMarkup]:
        picking = context.user_data["companions"]
        pages = max(1, -(-len(picking["candidates"]) // PEOPLE_PAGE))
        page = min(picking.get("page", 0), pages - 1)
        shown = range(page * PEOPLE_PAGE, min(len(picking["candidates"]), (page + 1) * PEOPLE_PAGE))
        buttons = [[InlineKeyboardButton(
            f"{'☑' if picking['candidates'][index] in picking['chosen'] else '☐'} {picking['names'][index]}",
            callback_data=f"comp:pick:{index}")] for index in shown]
        turns = page_turns(language, page, pages, lambda target: f"comp:page:{target}")
        if turns:
            buttons.append(turns)
        buttons.append([InlineKeyboardButton(translate("companions-save-button", language,
                                                       count=len(picking["chosen"])), callback_data="comp:save"),
                        InlineKeyboardButton(translate("evaluation-cancel-button", language),
                                             callback_data="comp:cancel")])
        return translate("companions-choose", language, ref=before_title(picking["reference"]), title=picking["title"],
                         capacity=self.city.ensena.companion_capacity), InlineKeyboardMarkup(buttons)

    async def _picking(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[PersonView, dict] | None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        picking = context.user_data.get("companions")
        item = await self.item_by_id(picking["item_id"]) if picking else None
        if person is None or item is None or not of_the_entity(person, item):
            await refuse_button(update, context)
            return None
        return person, picking

    async def pick_companion(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._picking(update, context)
        if found is None:
            return
        _, picking = found
        index = int(PICK.match(update.callback_query.data)[1])
        if index >= len(picking["candidates"]):
            await refuse_button(update, context)
            return
        candidate = picking["candidates"][index]
        if candidate in picking["chosen"]:
            picking["chosen"].remove(candidate)
        elif len(picking["chosen"]) >= MAX_COMPANIONS:
            await reply(update, context, "companions-too-many", maximum=MAX_COMPANIONS)
            return
        else:
            picking["chosen"].append(candidate)
        text, keyboard = self._companions_keyboard(context, language_of(update, context))
        await update.callback_query.edit_message_text(text, reply_markup=keyboard)

    async def turn_people_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._picking(update, context)
        if found is None:
            return
        _, picking = found
        picking["page"] = int(PEOPLE_PAGE_TURN.match(update.callback_query.data)[1])
        text, keyboard = self._companions_keyboard(context, language_of(update, context))
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            log.info("companions page unchanged", update_id=update.update_id, error=error.message)

    async def save_companions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._picking(update, context)
        if found is None:
            return
        person, picking = found
        if not picking["chosen"]:
            await reply(update, context, "companions-none-chosen")
            return
        command = NameCompanions.new(
            payload=NameCompanionsPayload(item_id=uuid.UUID(picking["item_id"]),
                                          companion_ids=[uuid.UUID(chosen) for chosen in picking["chosen"]]),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("companions", None)
            names = dict(zip(picking["candidates"], picking["names"], strict=True))
            await settle(update, "✅ " + ", ".join(names[chosen] for chosen in picking["chosen"]))
            await reply(update, context, "ensena-sent")

    async def cancel_companions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        context.user_data.pop("companions", None)
        await settle(update)
        await reply(update, context, "evaluation-cancelled")

    # --- /solicitud --------------------------------------------------------------------------------------------

    async def start_request(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        found = await self._practice(update, context, "EN-2026-0001")
        if found is None:
            return ConversationHandler.END
        person, item = found
        if person.role not in STEERING_ROLES:
            await reply(update, context, "coordinators-only")
            return ConversationHandler.END
        context.user_data["request"] = {"item_id": item.id, "command_id": str(uuid.uuid4())}
        await reply(update, context, "request-ask-requester", ref=before_title(item.reference), title=item.title or "—")
        return REQUESTER

    async def requester(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            context.user_data["request"]["requester"] = person_text(update.message.text, SHORT_TEXT_MAX)
        except TextRefused as refused:
            await reply(update, context, "course-text-too-long", length=refused.length, limit=SHORT_TEXT_MAX)
            return REQUESTER
        await reply(update, context, "request-ask-place")
        return WHERE

    async def place(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        match = PLACE.match(update.message.text.strip())
        if match is None:
            await reply(update, context, "promotion-place-invalid")
            return WHERE
        pending = context.user_data["request"]
        pending["city"], pending["country"] = match["city"].strip(), match["country"].upper()
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            translate(f"request-kind-{kind.value}", language), callback_data=f"req:kind:{index}")]
            for index, kind in enumerate(KINDS)])
        await update.effective_chat.send_message(translate("request-ask-kind", language), reply_markup=keyboard)
        return KIND

    async def kind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        index = int(update.callback_query.data.rsplit(":", 1)[1])
        pending = context.user_data.get("request")
        if pending is None or index >= len(KINDS):
            await refuse_button(update, context)
            return ConversationHandler.END if pending is None else KIND
        pending["kind"] = KINDS[index].value
        await settle(update)
        await reply(update, context, "request-ask-description")
        return DESCRIPTION

    async def description(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            text = person_text(update.message.text, LONG_TEXT_MAX)
        except TextRefused as refused:
            await reply(update, context, "course-text-too-long", length=refused.length, limit=LONG_TEXT_MAX)
            return DESCRIPTION
        pending = context.user_data["request"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = RequestCollaboration.new(
            payload=RequestCollaborationPayload(
                item_id=uuid.UUID(pending["item_id"]), request_id=derived_id(pending["command_id"], "request"),
                requester=pending["requester"], city=pending["city"], country=pending["country"],
                kind=RequestKind(pending["kind"]), description=text),
            actor=actor_of(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["command_id"]))  # sent again after a broker error, it is the same command
        if not await sent(update, context, self.send_command, command):
            return DESCRIPTION  # the broker is away: what was typed is kept; the description is asked again
        context.user_data.pop("request", None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END



    # --- /solicitudes ------------------------------------------------------------------------------------------

    async def _visible(self, person: PersonView) -> list[RequestView]:
        return await self.requests_of(None if person.role in STEERING_ROLES else person.entity_id)

    async def first_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return
        if person.role not in STEERING_ROLES and person.role is not Role.staff:
            await reply(update, context, "evaluation-not-allowed")
            return
        text, keyboard = await self._page(person, 0, language_of(update, context))
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    async def turn_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        if person is None or (person.role not in STEERING_ROLES and person.role is not Role.staff):
            await refuse_button(update, context)
            return
        text, keyboard = await self._page(person, int(PAGE_TURN.match(update.callback_query.data)[1]),
                                          language_of(update, context))
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            log.info("requests page unchanged", update_id=update.update_id, error=error.message)

    async def _page(self, person: PersonView, page: int, language: str) -> tuple[str, InlineKeyboardMarkup | None]:
        requests = await self._visible(person)
        if not requests:
            return translate("requests-none", language), None
        pages = -(-len(requests) // PAGE)
        page = min(page, pages - 1)
        waiting = sum(request.status == "waiting" for request in requests)
        lines = [translate("requests-header", language, count=len(requests), waiting=waiting, page=page + 1,
                           pages=pages)]
        buttons = []
        for number, request in enumerate(requests[page * PAGE:(page + 1) * PAGE], start=page * PAGE + 1):
            item = await self.item_by_id(request.item_id)
            companion = await self.person_by_id(request.companion_id) if request.companion_id else None
            state = translate("request-state-waiting", language) if request.status == "waiting" else \
                translate("request-state-assigned", language, name=cut(companion.name) if companion else "—")
            lines.append(f"{number}. {item.reference if item and item.reference else '—'} · {cut(request.requester)} "
                         f"({cut(request.city)}, {request.country}) · "
                         f"{translate(f'request-kind-{request.kind}', language)} · {state}")
            row = []
            if person.role in STEERING_ROLES or person.id == request.companion_id:
                row.append(InlineKeyboardButton(translate("request-close-button", language, number=number),
                                                callback_data=f"req:close:{request.id}"))
            if person.role in STEERING_ROLES:
                row.append(InlineKeyboardButton(translate("request-assign-button", language, number=number),
                                                callback_data=f"req:assign:{request.id}"))
            if row:
                buttons.append(row)
        turns = page_turns(language, page, pages, lambda target: f"req:page:{target}")
        if turns:
            buttons.append(turns)
        return "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None

    async def _request(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                       pattern: re.Pattern) -> tuple[PersonView, RequestView, re.Match] | None:
        await update.callback_query.answer()
        match = pattern.match(update.callback_query.data)
        person = await self.who_is(update.effective_user.id)
        request = await self.request_by_id(match[1])
        if person is None or request is None or request.status == "closed":
            await refuse_button(update, context)
            return None
        return person, request, match

    async def ask_outcome(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._request(update, context, CLOSE)
        if found is None:
            return
        person, request, _ = found
        if person.role not in STEERING_ROLES and person.id != request.companion_id:
            await refuse_button(update, context)
            return
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            translate(f"request-outcome-{outcome.value}", language), callback_data=f"req:outcome:{request.id}:{index}")]
            for index, outcome in enumerate(OUTCOMES)])
        await update.effective_chat.send_message(translate("request-ask-outcome", language,
                                                           requester=request.requester), reply_markup=keyboard)

    async def close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._request(update, context, OUTCOME)
        if found is None:
            return
        person, request, match = found
        index = int(match[2])
        if (person.role not in STEERING_ROLES and person.id != request.companion_id) or index >= len(OUTCOMES):
            await refuse_button(update, context)
            return
        command = CloseCollaboration.new(
            payload=CloseCollaborationPayload(item_id=uuid.UUID(request.item_id), request_id=uuid.UUID(request.id),
                                              outcome=OUTCOMES[index]),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await settle(update)
            await reply(update, context, "ensena-sent")

    async def ask_companion(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._request(update, context, ASSIGN)
        if found is None:
            return
        person, request, _ = found
        item = await self.item_by_id(request.item_id)
        companions = item.practice.companions if item is not None and item.practice is not None else []
        if person.role not in STEERING_ROLES:
            await refuse_button(update, context)
            return
        if not companions:
            await reply(update, context, "request-no-companions", code=item.reference if item else "—")
            return
        language = language_of(update, context)
        holding = Counter(kept.companion_id for kept in await self.requests_of(None) if kept.status == "assigned")
        capacity = self.city.ensena.companion_capacity
        buttons = []
        for index, companion_id in enumerate(companions):
            companion = await self.person_by_id(companion_id)
            name = cut(companion.name) if companion else "—"
            buttons.append([InlineKeyboardButton(f"{name} ({holding[companion_id]}/{capacity})",
                                                 callback_data=f"req:to:{request.id}:{index}")])
        await update.effective_chat.send_message(translate("request-ask-companion", language,
                                                           requester=request.requester),
                                                 reply_markup=InlineKeyboardMarkup(buttons))

    async def assign(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._request(update, context, ASSIGN_TO)
        if found is None:
            return
        person, request, match = found
        item = await self.item_by_id(request.item_id)
        companions = item.practice.companions if item is not None and item.practice is not None else []
        index = int(match[2])
        if person.role not in STEERING_ROLES or index >= len(companions):
            await refuse_button(update, context)
            return
        command = AssignCollaboration.new(
            payload=AssignCollaborationPayload(item_id=uuid.UUID(request.item_id), request_id=uuid.UUID(request.id),
                                               companion_id=uuid.UUID(companions[index])),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await settle(update)
            await reply(update, context, "ensena-sent")

    # --- shared -------------------------------------------------------------------------------------------------



