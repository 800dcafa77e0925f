"""A Bogotá Aprende exchange's record from chat: /expediente (/record) <code>.

It shows the shortlist kept for the terms of reference, the plan (instrument, dates, place), the experts who take
part and the allies involved, the budget (each line, who pays it, and the totals by currency of the program and of
the allies), the logistics checklist with each task's owner, and the participants by type. Staff of the exchange's
entity and coordinators change each part with its button:

- 🗓 plan: the instrument with buttons, then the dates and the place, typed;
- 🧑‍🏫 experts and 🤝 allies: picked from the catalogue with toggle buttons (allies from the first phase on);
- 💰 budget: each line's concept, amount, currency and payer (the program, or an ally of the exchange); a line can
  be removed;
- 🧳 logistics: a task and its owner (a person of the entity, or a coordinator); a task is marked done;
- 👥 participants: six numbers, one for each type.

Phases decides (and refuses an unknown expert or ally, a payer not involved, an owner of another entity); the bot
checks what it can first, so a person hears a mistake at once, in their language."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler, MessageHandler

from bot.conversations.common import (
    TYPED,
    MenuEntry,
    SendCommand,
    button_command_id,
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
    typed_text,
)
from bot.conversations.course import STEERING_ROLES, ItemById, ItemByReference, before_title, find_item, of_the_entity
from bot.conversations.members import PeopleOf, PersonById
from bot.conversations.people import WhoIs, actor_of
from bot.conversations.suggest import CatalogueOf, clipped
from bot.projection import CatalogueView, ItemView, PersonView
from puente.contracts.common import Line, ParticipantType
from puente.contracts.envelope import derived_id
from puente.contracts.exchanges import (
    MAX_ALLIES,
    MAX_AMOUNT,
    MAX_EXPERTS,
    PROGRAM,
    AddBudgetLine,
    AddBudgetLinePayload,
    AssignLogistics,
    AssignLogisticsPayload,
    Currency,
    Instrument,
    LogisticsTask,
    PlanExchange,
    PlanExchangePayload,
    RecordAllies,
    RecordAlliesPayload,
    RecordExchangeParticipants,
    RecordExchangeParticipantsPayload,
    RecordExperts,
    RecordExpertsPayload,
    RemoveBudgetLine,
    RemoveBudgetLinePayload,
)
from puente.contracts.systematization import MAX_PARTICIPANTS
from puente.contracts.text import SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import money, parse_amount, translate
from puente.reasons import reasons_text
from puente.wiring.city import CityConfig

RECORD = MenuEntry("expediente", "record", "menu-record", position=37)
MENU = [RECORD]
INSTRUMENT, DATES, PLACE, CONCEPT, AMOUNT, CURRENCY, PAYER, PARTICIPANTS = range(100, 108)
INSTRUMENTS = list(Instrument)
CURRENCIES = list(Currency)
TASKS = list(LogisticsTask)
PARTICIPANT_TYPES = list(ParticipantType)
PICKER_PAGE = 8
PEOPLE_PAGE = 8
PART = re.compile(r"^rec:(plan|experts|allies|budget|logistics|participants):([0-9a-f-]{36})$")
PICK = re.compile(r"^recx:(t|p):(\d{1,3})$")
DATES_TYPED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+(\d{4}-\d{2}-\d{2}))?$")
PLACE_TYPED = re.compile(r"^(?P<city>[^,]{1,100}),\s*(?P<country>[A-Za-z]{2})$")
TASK = re.compile(r"^recl:(task|owner|page|done):(\d{1,3})$")
REMOVE = re.compile(r"^recb:del:([0-9a-f-]{36})$")
FORMS = ("record_plan", "record_line", "record_count")  # what each of the record's forms keeps, one at a time
EntryOf = Callable[[str, str], Awaitable[CatalogueView | None]]


def in_phases(city: CityConfig, item: ItemView, keys: list[str]) -> bool:
    phases = [phase.key for phase in city.phases_of(Line.aprende)]
    return item.phase_number is not None and 0 < item.phase_number <= len(phases) and \
        phases[item.phase_number - 1] in keys


class RecordConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById, people_of: PeopleOf,
                 person_by_id: PersonById, catalogue_of: CatalogueOf, catalogue_entry: EntryOf) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id
        self.people_of = people_of
        self.person_by_id = person_by_id
        self.catalogue_of = catalogue_of
        self.catalogue_entry = catalogue_entry

    def handlers(self) -> list:
        planning = form("record-plan", "record_plan", [CallbackQueryHandler(self.start_plan, pattern=r"^rec:plan:")], {
            INSTRUMENT: [CallbackQueryHandler(self.instrument, pattern=r"^recp:\d$")],
            DATES: [MessageHandler(TYPED, self.dates)],
            PLACE: [MessageHandler(TYPED, self.place)],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^recp:"),))
        budgeting = form("record-budget", "record_line",
                         [CallbackQueryHandler(self.start_line, pattern=r"^recb:add$")], {
            CONCEPT: [MessageHandler(TYPED, self.concept)],
            AMOUNT: [MessageHandler(TYPED, self.amount)],
            CURRENCY: [CallbackQueryHandler(self.currency, pattern=r"^recb:cur:\d$")],
            PAYER: [CallbackQueryHandler(self.payer, pattern=r"^recb:pay:\d{1,2}$")],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^recb:(cur|pay):"),))
        counting = form("record-participants", "record_count",
                        [CallbackQueryHandler(self.start_participants, pattern=r"^rec:participants:")],
                        {PARTICIPANTS: [MessageHandler(TYPED, self.participants)]})
        return [planning, budgeting, counting,
                CommandHandler(RECORD.names(), self.show),
                CallbackQueryHandler(self.start_picker, pattern=r"^rec:(experts|allies):"),
                CallbackQueryHandler(self.pick, pattern=PICK),
                CallbackQueryHandler(self.save_picked, pattern=r"^recx:save$"),
                CallbackQueryHandler(self.budget, pattern=r"^rec:budget:"),
                CallbackQueryHandler(self.remove_line, pattern=REMOVE),
                CallbackQueryHandler(self.logistics, pattern=r"^rec:logistics:"),
                CallbackQueryHandler(self.logistics_step, pattern=TASK),
                CallbackQueryHandler(stale_button, pattern=r"^(rec|recx|recp|recb|recl):")]

    # --- the record ------------------------------------------------------------------------------------------------

    async def show(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, "AP-2026-0001")
        if found is None:
            return
        person, item, _ = found
        if item.line is not Line.aprende:
            await reply(update, context, "not-an-exchange", code=item.reference)
            return
        language = language_of(update, context)
        text = await self.record_text(item, language)
        keyboard = self._buttons(item, language) if of_the_entity(person, item) and \
            item.status in ("active", "on_hold") else None
        await update.effective_chat.send_message(fit(text), reply_markup=keyboard)

    def _buttons(self, item: ItemView, language: str) -> InlineKeyboardMarkup | None:
        aprende = self.city.aprende
        recording = in_phases(self.city, item, aprende.record_phases)
        parts = [part for part, allowed in (("plan", recording), ("experts", recording), ("allies", True),
                                             ("budget", recording), ("logistics", recording),
                                             ("participants", recording)) if allowed]
        buttons = [InlineKeyboardButton(translate(f"record-button-{part}", language),
                                        callback_data=f"rec:{part}:{item.id}") for part in parts]
        return InlineKeyboardMarkup([buttons[start:start + 3] for start in range(0, len(buttons), 3)])

    async def _name(self, kind: str, key: str) -> str:
        entry = await self.catalogue_entry(kind, key)
        return entry.name if entry else key

    async def record_text(self, item: ItemView, language: str) -> str:
        exchange = item.exchange
        lines = [translate("record-header", language, ref=before_title(item.reference), title=item.title or "—")]
        none = translate("record-none", language)
        shortlist = [f"• {clipped(match.name)} — {reasons_text(match.reasons, self.city, language)}"
                     for match in (exchange.shortlisted_practices + exchange.shortlisted_experts if exchange else [])]
        lines.append(translate("record-shortlist", language) + (("\n" + "\n".join(shortlist)) if shortlist
                                                                else f" {none}"))
        plan = exchange.plan if exchange else None
        lines.append(translate("record-plan", language, instrument=translate(
            f"instrument-{plan.instrument}", language), starts=plan.starts_on.isoformat(),
            ends=plan.ends_on.isoformat(), place=f"{plan.city}, {plan.country}") if plan
            else translate("record-plan-missing", language))
        experts = [await self._name("expert", key) for key in (exchange.experts if exchange else [])]
        lines.append(translate("record-experts", language, names=", ".join(experts) or none))
        allies = [await self._name("ally", key) for key in (exchange.allies if exchange else [])]
        lines.append(translate("record-allies", language, names=", ".join(allies) or none))
        lines.append(await self.budget_text(item, language))
        logistics = exchange.logistics if exchange else {}
        tasks = []
        for task in TASKS:
            entry = logistics.get(task.value)
            owner = await self.person_by_id(entry.owner_id) if entry else None
            mark = "✅" if entry and entry.done else "⏳" if entry else "○"
            tasks.append(f"{mark} {translate(f'logistics-task-{task.value}', language)}: "
                         f"{owner.name if owner else none}")
        lines.append(translate("record-logistics", language) + "\n" + "\n".join(tasks))
        participants = exchange.participants if exchange else {}
        if participants:
            counted = ", ".join(f"{translate(f'participant-{kind}', language)}: {count}"
                                for kind, count in participants.items() if count)
            lines.append(translate("record-participants", language, total=sum(participants.values()),
                                   counts=counted))
        else:
            lines.append(translate("record-participants-missing", language))
        return fit("\n".join(lines))

    async def budget_text(self, item: ItemView, language: str) -> str:
        budget = item.exchange.budget if item.exchange else []
        if not budget:
            return translate("record-budget-empty", language)
        program = translate("record-payer-program", language)
        lines = [translate("record-budget", language)]
        for number, line in enumerate(budget, start=1):
            payer = program if line.paid_by == PROGRAM else await self._name("ally", line.paid_by)
            lines.append(f"{number}. {line.concept} — {money(line.amount, line.currency, language)} — {payer}")
        for currency in CURRENCIES:
            lines_in = [line for line in budget if line.currency == currency.value]
            if lines_in:
                by_program = sum((line.amount for line in lines_in if line.paid_by == PROGRAM), start=0)
                by_allies = sum((line.amount for line in lines_in if line.paid_by != PROGRAM), start=0)
                lines.append(translate("record-budget-total", language,
                                       total=money(by_program + by_allies, currency.value, language),
                                       program=money(by_program, currency.value, language),
                                       allies=money(by_allies, currency.value, language)))
        return "\n".join(lines)

    async def _exchange_to_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                                  item_id: str, part: str) -> tuple[PersonView, ItemView] | None:
        """The exchange a button names, if the person may change this part of its record now."""
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(item_id)
        if person is None or item is None or item.line is not Line.aprende or not of_the_entity(person, item):
            await refuse_button(update, context)
            return None
        if item.status not in ("active", "on_hold") or (
                part != "allies" and not in_phases(self.city, item, self.city.aprende.record_phases)):
            await reply(update, context, "record-not-now", code=item.reference)
            return None
        return person, item

    async def _from_button(self, update: Update,
                           context: ContextTypes.DEFAULT_TYPE) -> tuple[PersonView, ItemView] | None:
        await update.callback_query.answer()
        match = PART.match(update.callback_query.data)
        if match is None:
            await refuse_button(update, context)
            return None
        return await self._exchange_to_change(update, context, match[2], match[1])

    def _actor(self, person: PersonView, update: Update, context: ContextTypes.DEFAULT_TYPE):
        return actor_of(person, update, context)

    async def _one_form_at_a_time(self, update: Update, context: ContextTypes.DEFAULT_TYPE, mine: str) -> bool:
        """The record's forms take typed answers: one is open at a time."""
        if any(key in context.user_data for key in FORMS if key != mine):
            await reply(update, context, "record-form-open")
            return False
        return True

    # --- 🗓 the plan ------------------------------------------------------------------------------------------

    async def start_plan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        found = await self._from_button(update, context)
        if found is None:
            return ConversationHandler.END
        _, item = found
        if not await self._one_form_at_a_time(update, context, "record_plan"):
            return ConversationHandler.END
        language = language_of(update, context)
        context.user_data["record_plan"] = {"item_id": item.id, "command_id": str(uuid.uuid4())}
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(translate(f"instrument-{instrument.value}", language),
                                                               callback_data=f"recp:{index}")]
                                         for index, instrument in enumerate(INSTRUMENTS)])
        await update.effective_chat.send_message(translate("record-ask-instrument", language,
                                                           ref=before_title(item.reference), title=item.title or "—"),
                                                 reply_markup=keyboard)
        return INSTRUMENT

    async def instrument(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        index = int(update.callback_query.data.split(":")[1])
        if "record_plan" not in context.user_data or index >= len(INSTRUMENTS):
            await refuse_button(update, context)
            return INSTRUMENT
        await settle(update)
        context.user_data["record_plan"]["instrument"] = INSTRUMENTS[index].value
        await reply(update, context, "record-ask-dates")
        return DATES

    async def dates(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        match = DATES_TYPED.match(update.message.text.strip())
        try:
            starts = date.fromisoformat(match[1]) if match else None
            ends = date.fromisoformat(match[2] or match[1]) if match else None
        except ValueError:
            starts = ends = None
        if starts is None or ends is None:
            await reply(update, context, "record-dates-invalid")
            return DATES
        if ends < starts:
            await reply(update, context, "record-dates-order")
            return DATES
        context.user_data["record_plan"].update(starts=starts.isoformat(), ends=ends.isoformat())
        await reply(update, context, "record-ask-place")
        return PLACE

    async def place(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        match = PLACE_TYPED.match(update.message.text.strip())
        try:
            city = person_text(match["city"], SHORT_TEXT_MAX) if match else None
        except TextRefused:
            city = None
        if city is None:
            await reply(update, context, "promotion-place-invalid")
            return PLACE
        pending = context.user_data["record_plan"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            context.user_data.pop("record_plan", None)
            return ConversationHandler.END
        command = PlanExchange.new(payload=PlanExchangePayload(
            item_id=uuid.UUID(pending["item_id"]), instrument=Instrument(pending["instrument"]),
            starts_on=date.fromisoformat(pending["starts"]), ends_on=date.fromisoformat(pending["ends"]),
            city=city, country=match["country"].upper()),
            actor=self._actor(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["command_id"]))
        return await self._finish(update, context, command, PLACE, "record_plan")

    async def _finish(self, update: Update, context: ContextTypes.DEFAULT_TYPE, command, waiting: int,
                      kept: str) -> int:
        """Send; if the broker is away, keep what was typed and wait for the last answer again."""
        if not await sent(update, context, self.send_command, command):
            return waiting
        context.user_data.pop(kept, None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END

    # --- 🧑‍🏫 experts and 🤝 allies: the catalogue's, with toggle buttons ------------------------------------------

    async def start_picker(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._from_button(update, context)
        if found is None:
            return
        _, item = found
        kind = "expert" if update.callback_query.data.startswith("rec:experts:") else "ally"
        entries = await self.catalogue_of(kind)
        if not entries:
            await reply(update, context, "record-catalogue-empty")
            return
        chosen = (item.exchange.experts if kind == "expert" else item.exchange.allies) if item.exchange else []
        picking = {"item_id": item.id, "kind": kind, "keys": [entry.key for entry in entries],
                   "names": [clipped(entry.name, 50) for entry in entries], "chosen": list(chosen), "page": 0}
        text, keyboard = self._picker_page(picking, language_of(update, context))
        shown = await update.effective_chat.send_message(text, reply_markup=keyboard)
        context.user_data["record_pick"] = {**picking, "message_id": shown.message_id}

    def _picker_page(self, picking: dict, language: str) -> tuple[str, InlineKeyboardMarkup]:
        keys, page = picking["keys"], picking["page"]
        pages = (len(keys) + PICKER_PAGE - 1) // PICKER_PAGE
        rows = []
        for index in range(page * PICKER_PAGE, min(len(keys), (page + 1) * PICKER_PAGE)):
            mark = "☑" if keys[index] in picking["chosen"] else "☐"
            rows.append([InlineKeyboardButton(f"{mark} {picking['names'][index]}", callback_data=f"recx:t:{index}")])
        turns = page_turns(language, page, pages, lambda number: f"recx:p:{number}")
        if turns:
            rows.append(turns)
        rows.append([InlineKeyboardButton(translate("record-save-button", language, count=len(picking["chosen"])),
                                          callback_data="recx:save")])
        text = translate("record-pick-experts" if picking["kind"] == "expert" else "record-pick-allies", language,
                         page=page + 1, pages=max(pages, 1))
        return text, InlineKeyboardMarkup(rows)

    async def pick(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        picking = context.user_data.get("record_pick")
        what, number = PICK.match(update.callback_query.data).groups()
        if not on_this_message(update, picking) or (what == "t" and int(number) >= len(picking["keys"])):
            await refuse_button(update, context)
            return
        if what == "p":
            picking["page"] = int(number)
        else:
            key = picking["keys"][int(number)]
            limit = MAX_EXPERTS if picking["kind"] == "expert" else MAX_ALLIES
            if key in picking["chosen"]:
                picking["chosen"].remove(key)
            elif len(picking["chosen"]) < limit:
                picking["chosen"].append(key)
        text, keyboard = self._picker_page(picking, language_of(update, context))
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            log.info("record picker unchanged", update_id=update.update_id, error=error.message)

    async def save_picked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        picking = context.user_data.get("record_pick")
        if not on_this_message(update, picking):
            await refuse_button(update, context)
            return
        part = {"expert": "experts", "ally": "allies"}[picking["kind"]]
        found = await self._exchange_to_change(update, context, picking["item_id"], part)
        if found is None:
            return
        person, item = found
        item_id = uuid.UUID(item.id)
        if picking["kind"] == "expert":
            command = RecordExperts.new(payload=RecordExpertsPayload(item_id=item_id, expert_keys=picking["chosen"]),
                                        actor=self._actor(person, update, context), city=self.city.city.slug,
                                        event_id=derived_id(button_command_id(update), *sorted(picking["chosen"])))
        else:
            paying = {line.paid_by for line in (item.exchange.budget if item.exchange else [])} - {PROGRAM}
            if paying - set(picking["chosen"]):
                await reply(update, context, "record-ally-pays")
                return
            command = RecordAllies.new(payload=RecordAlliesPayload(item_id=item_id, ally_keys=picking["chosen"]),
                                       actor=self._actor(person, update, context), city=self.city.city.slug,
                                       event_id=derived_id(button_command_id(update), *sorted(picking["chosen"])))
        if await sent(update, context, self.send_command, command):
            names = dict(zip(picking["keys"], picking["names"], strict=True))
            context.user_data.pop("record_pick", None)
            await settle(update, "✅ " + (", ".join(names[key] for key in picking["chosen"]) or "—"))
            await reply(update, context, "ensena-sent")

    # --- 💰 the budget --------------------------------------------------------------------------------------------

    async def budget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._from_button(update, context)
        if found is None:
            return
        _, item = found
        language = language_of(update, context)
        lines = item.exchange.budget if item.exchange else []
        removals = [InlineKeyboardButton(f"🗑 {number}", callback_data=f"recb:del:{line.id}")
                    for number, line in enumerate(lines, start=1)]
        rows = [removals[start:start + 5] for start in range(0, len(removals), 5)]
        rows.append([InlineKeyboardButton(translate("record-add-line-button", language), callback_data="recb:add")])
        shown = await update.effective_chat.send_message(fit(await self.budget_text(item, language)),
                                                         reply_markup=InlineKeyboardMarkup(rows))
        context.user_data["record_budget"] = {"item_id": item.id, "message_id": shown.message_id,
                                              "lines": [line.id for line in lines]}

    async def remove_line(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        budget = context.user_data.get("record_budget")
        line_id = REMOVE.match(update.callback_query.data)[1]
        if not on_this_message(update, budget) or line_id not in budget["lines"]:
            await refuse_button(update, context)
            return
        found = await self._exchange_to_change(update, context, budget["item_id"], "budget")
        if found is None:
            return
        person, item = found
        command = RemoveBudgetLine.new(payload=RemoveBudgetLinePayload(item_id=uuid.UUID(item.id),
                                                                       line_id=uuid.UUID(line_id)),
                                       actor=self._actor(person, update, context), city=self.city.city.slug,
                                       event_id=button_command_id(update))
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("record_budget", None)
            await settle(update, f"🗑 {budget['lines'].index(line_id) + 1}")
            await reply(update, context, "ensena-sent")

    async def start_line(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        budget = context.user_data.get("record_budget")
        if not on_this_message(update, budget):
            await refuse_button(update, context)
            return ConversationHandler.END
        found = await self._exchange_to_change(update, context, budget["item_id"], "budget")
        if found is None or not await self._one_form_at_a_time(update, context, "record_line"):
            return ConversationHandler.END
        await settle(update)
        context.user_data["record_line"] = {"item_id": budget["item_id"], "line_id": str(uuid.uuid4())}
        await reply(update, context, "record-ask-concept")
        return CONCEPT

    async def concept(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        concept = await typed_text(update, context, SHORT_TEXT_MAX)
        if concept is None:
            return CONCEPT
        context.user_data["record_line"]["concept"] = concept
        await reply(update, context, "record-ask-amount")
        return AMOUNT

    async def amount(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        language = language_of(update, context)
        amount = parse_amount(update.message.text, language)
        if amount is None or amount.as_tuple().exponent < -2:
            await reply(update, context, "record-amount-invalid")
            return AMOUNT
        if amount < 0 or amount > MAX_AMOUNT:
            await reply(update, context, "record-amount-out-of-bounds")
            return AMOUNT
        context.user_data["record_line"]["amount"] = str(amount)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(currency.value, callback_data=f"recb:cur:{index}")
                                          for index, currency in enumerate(CURRENCIES)]])
        await update.effective_chat.send_message(translate("record-ask-currency", language), reply_markup=keyboard)
        return CURRENCY

    async def currency(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("record_line")
        index = int(update.callback_query.data.rsplit(":", 1)[1])
        if pending is None or "amount" not in pending or index >= len(CURRENCIES):
            await refuse_button(update, context)
            return CURRENCY
        await settle(update)
        pending["currency"] = CURRENCIES[index].value
        item = await self.item_by_id(pending["item_id"])
        allies = item.exchange.allies if item is not None and item.exchange else []
        pending["payers"] = [PROGRAM, *allies]
        language = language_of(update, context)
        names = [translate("record-payer-program", language), *[clipped(await self._name("ally", key), 50)
                                                                for key in allies]]
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(name, callback_data=f"recb:pay:{index}")]
                                         for index, name in enumerate(names)])
        shown = await update.effective_chat.send_message(translate("record-ask-payer", language),
                                                         reply_markup=keyboard)
        pending["message_id"] = shown.message_id  # only these buttons name a payer of this list
        return PAYER

    async def payer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("record_line")
        index = int(update.callback_query.data.rsplit(":", 1)[1])
        if pending is None or "payers" not in pending or index >= len(pending["payers"]) or \
                not on_this_message(update, pending):
            await refuse_button(update, context)
            return PAYER
        person = await self.who_is(update.effective_user.id)
        if person is None:
            context.user_data.pop("record_line", None)
            return ConversationHandler.END
        command = AddBudgetLine.new(payload=AddBudgetLinePayload(
            item_id=uuid.UUID(pending["item_id"]), line_id=uuid.UUID(pending["line_id"]), concept=pending["concept"],
            amount=pending["amount"], currency=Currency(pending["currency"]), paid_by=pending["payers"][index]),
            actor=self._actor(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["line_id"]))  # the line's id: sent again after a broker error, kept once
        waiting = await self._finish(update, context, command, PAYER, "record_line")
        if waiting == ConversationHandler.END:
            await settle(update)  # the payer's buttons go once the line is sent (else they stay, to press again)
        return waiting

    # --- 🧳 logistics ----------------------------------------------------------------------------------------

    async def logistics(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._from_button(update, context)
        if found is None:
            return
        _, item = found
        language = language_of(update, context)
        people = [person for person in await self.people_of(item.entity_id) if person.role.value == "staff"]
        people += [person for person in await self.people_of(None) if person.role in STEERING_ROLES]
        state = {"item_id": item.id, "people": [person.id for person in people],
                 "names": [clipped(person.name, 40) for person in people]}
        logistics = item.exchange.logistics if item.exchange else {}
        rows = [[InlineKeyboardButton(translate(f"logistics-task-{task.value}", language),
                                      callback_data=f"recl:task:{index}")]
                + ([InlineKeyboardButton(translate("record-task-done-button", language),
                                         callback_data=f"recl:done:{index}")]
                   if task.value in logistics and not logistics[task.value].done else [])
                for index, task in enumerate(TASKS)]
        shown = await update.effective_chat.send_message(translate("record-ask-task", language),
                                                         reply_markup=InlineKeyboardMarkup(rows))
        context.user_data["record_logistics"] = {**state, "message_id": shown.message_id}

    async def logistics_step(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        state = context.user_data.get("record_logistics")
        step, number = TASK.match(update.callback_query.data).groups()
        index = int(number)
        message_id = update.callback_query.message.message_id
        if state is None or message_id not in (state.get("message_id"), state.get("owners_message_id")) or \
                (step in ("task", "done") and index >= len(TASKS)) or \
                (step in ("owner", "page") and "task" not in state) or \
                (step == "owner" and index >= len(state["people"])):
            await refuse_button(update, context)
            return
        language = language_of(update, context)
        if step in ("task", "page"):
            if step == "task":
                state["task"] = TASKS[index].value
                await settle(update)
            page = index if step == "page" else 0
            pages = (len(state["people"]) + PEOPLE_PAGE - 1) // PEOPLE_PAGE
            rows = [[InlineKeyboardButton(state["names"][person], callback_data=f"recl:owner:{person}")]
                    for person in range(page * PEOPLE_PAGE, min(len(state["people"]), (page + 1) * PEOPLE_PAGE))]
            turns = page_turns(language, page, pages, lambda turn: f"recl:page:{turn}")
            if turns:
                rows.append(turns)
            task = translate(f"logistics-task-{state['task']}", language)
            if step == "page":
                await update.callback_query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup(rows))
                return
            shown = await update.effective_chat.send_message(translate("record-ask-owner", language, task=task),
                                                             reply_markup=InlineKeyboardMarkup(rows))
            state["owners_message_id"] = shown.message_id
            return
        found = await self._exchange_to_change(update, context, state["item_id"], "logistics")
        if found is None:
            return
        person, item = found
        if step == "done":
            task = TASKS[index].value
            entry = item.exchange.logistics.get(task) if item.exchange else None
            if entry is None:
                await refuse_button(update, context)
                return
            owner, done = entry.owner_id, True
        else:
            task, owner, done = state["task"], state["people"][index], False
        command = AssignLogistics.new(payload=AssignLogisticsPayload(
            item_id=uuid.UUID(item.id), task=LogisticsTask(task), owner_id=uuid.UUID(owner), done=done),
            actor=self._actor(person, update, context), city=self.city.city.slug,
            event_id=button_command_id(update))
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("record_logistics", None)
            await settle(update)
            await reply(update, context, "ensena-sent")

    # --- 👥 participants ----------------------------------------------------------------------------------------

    async def start_participants(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        found = await self._from_button(update, context)
        if found is None:
            return ConversationHandler.END
        _, item = found
        if not await self._one_form_at_a_time(update, context, "record_count"):
            return ConversationHandler.END
        language = language_of(update, context)
        context.user_data["record_count"] = {"item_id": item.id, "command_id": str(uuid.uuid4())}
        kinds = "\n".join(f"{number}. {translate(f'participant-{kind.value}', language)}"
                          for number, kind in enumerate(PARTICIPANT_TYPES, start=1))
        await reply(update, context, "record-ask-participants", kinds=kinds, count=len(PARTICIPANT_TYPES))
        return PARTICIPANTS

    async def participants(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        words = update.message.text.split()
        if len(words) != len(PARTICIPANT_TYPES) or not all(word.isascii() and word.isdigit() for word in words):
            await reply(update, context, "participants-not-read", count=len(PARTICIPANT_TYPES))
            return PARTICIPANTS
        counts = [int(word) for word in words]
        if any(count > MAX_PARTICIPANTS for count in counts) or sum(counts) == 0:
            await reply(update, context, "participants-out-of-bounds", maximum=MAX_PARTICIPANTS)
            return PARTICIPANTS
        pending = context.user_data["record_count"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            context.user_data.pop("record_count", None)
            return ConversationHandler.END
        command = RecordExchangeParticipants.new(payload=RecordExchangeParticipantsPayload(
            item_id=uuid.UUID(pending["item_id"]), counts=dict(zip(PARTICIPANT_TYPES, counts, strict=True))),
            actor=self._actor(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["command_id"]))
        return await self._finish(update, context, command, PARTICIPANTS, "record_count")

