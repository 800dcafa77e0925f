"""A selected Bogotá Enseña practice from chat: its systematization and its promotion.

- /hitos (/milestones) <code>: the schedule, each milestone done, pending or late, with a button to report the next
  one done (the practice's entity and coordinators).
- /moverhito (/movemilestone) <code> <number> <YYYY-MM-DD> <reason>: a coordinator moves a milestone.
- /participantes (/participants) <code> <six numbers>: who took part in the systematization, by type.
- /promocion (/promotion) <code>: plan a promotion (channel, name, target date) or record one that took place
  (channel, name, date, city and country, audience), step by step.

Phases decides; the bot checks what it can first, so a person hears a mistake at once, in their language."""

from __future__ import annotations

import re
import uuid
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.course import STEERING_ROLES, ItemById, ItemByReference, before_title, find_item, of_the_entity
from bot.conversations.people import WhoIs, actor_of
from bot.projection import ItemView, PersonView
from puente.contracts.common import Line, ParticipantType
from puente.contracts.systematization import (
    MAX_AUDIENCE,
    MAX_PARTICIPANTS,
    MoveMilestone,
    MoveMilestonePayload,
    PlanPromotion,
    PlanPromotionPayload,
    PromotionChannel,
    RecordParticipants,
    RecordParticipantsPayload,
    RecordPromotion,
    RecordPromotionPayload,
    ReportMilestone,
    ReportMilestonePayload,
)
from puente.contracts.text import NOTE_MAX, SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

MILESTONES = MenuEntry("hitos", "milestones", "menu-milestones", position=36)
MOVE_MILESTONE = MenuEntry("moverhito", "movemilestone", "menu-move-milestone", position=36)
PARTICIPANTS = MenuEntry("participantes", "participants", "menu-participants", position=36)
PROMOTION = MenuEntry("promocion", "promotion", "menu-promotion", position=36)
MENU = [MILESTONES, MOVE_MILESTONE, PARTICIPANTS, PROMOTION]
DONE = re.compile(r"^sys:done:([0-9a-f-]{36}):(\d{1,2})$")
CHANNELS = list(PromotionChannel)
PARTICIPANT_TYPES = list(ParticipantType)
PLACE = re.compile(r"^(?P<city>[^,]{1,100}),\s*(?P<country>[A-Za-z]{2})$")
CHOOSING, NAME, WHEN, WHERE, AUDIENCE = range(60, 65)


class SystematizationConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id

    def handlers(self) -> list:
        promoting = form("promotion", "promotion", [CommandHandler(PROMOTION.names(), self.start_promotion)], {
            CHOOSING: [CallbackQueryHandler(self.chose, pattern=r"^promo:(plan|held|channel:\d)$")],
            NAME: [MessageHandler(TYPED, self.named)],
            WHEN: [MessageHandler(TYPED, self.dated)],
            WHERE: [MessageHandler(TYPED, self.placed)],
            AUDIENCE: [MessageHandler(TYPED, self.counted)],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^promo:"),))
        return [promoting,
                CommandHandler(MILESTONES.names(), self.schedule),
                CommandHandler(MOVE_MILESTONE.names(), self.move),
                CommandHandler(PARTICIPANTS.names(), self.participants),
                CallbackQueryHandler(self.report, pattern=DONE),
                CallbackQueryHandler(stale_button, pattern=r"^(sys|promo):")]

    async def _practice(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                        usage: str) -> tuple[PersonView, ItemView, str] | None:
        """A selected practice the person may work on (coordinators, its entity's staff), and the rest of the line."""
        found = await find_item(update, context, self.who_is, self.item_by_reference, usage)
        if found is None:
            return None
        person, item, rest = found
        if item.line is not Line.ensena:
            await reply(update, context, "evaluation-not-found", code=item.reference)
            return None
        if not of_the_entity(person, item):
            await reply(update, context, "evaluation-not-allowed")
            return None
        if item.practice is None or item.practice.decision != "selected" or item.status not in ("active", "on_hold"):
            await reply(update, context, "systematization-not-selected", code=item.reference)
            return None
        return person, item, rest

    # --- /hitos ------------------------------------------------------------------------------------------------

    def schedule_text(self, item: ItemView, language: str, today: date) -> str:
        lines = [translate("systematization-schedule", language, ref=before_title(item.reference),
                           title=item.title or "—")]
        for number, milestone in enumerate(item.practice.milestones, start=1):
            configured = self.city.ensena.milestone(milestone.key)
            name = configured.name.in_language(language) if configured else milestone.key
            if milestone.reached_on is not None:
                state = translate("milestone-state-done", language, on=milestone.reached_on.isoformat())
                mark = "✅"
            elif milestone.slipped or milestone.due_on < today:
                state, mark = translate("milestone-state-late", language), "⚠️"
            else:
                state, mark = translate("milestone-state-pending", language), "⏳"
            lines.append(f"{mark} {number}. {milestone.due_on.isoformat()} — {name} ({state})")
        return "\n".join(lines)

    async def schedule(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._practice(update, context, "EN-2026-0001")
        if found is None:
            return
        _, item, _ = found
        language = language_of(update, context)
        if not item.practice.milestones:
            await reply(update, context, "systematization-no-schedule", code=item.reference)
            return
        today = self.city.city.local_date(update.effective_message.date)
        pending = next(((index, milestone) for index, milestone in enumerate(item.practice.milestones)
                        if milestone.reached_on is None), None)
        keyboard = None
        if pending is not None:
            index, milestone = pending
            configured = self.city.ensena.milestone(milestone.key)
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
                translate("milestone-done-button", language,
                          milestone=configured.name.in_language(language) if configured else milestone.key),
                callback_data=f"sys:done:{item.id}:{index}")]])
        await update.effective_chat.send_message(self.schedule_text(item, language, today), reply_markup=keyboard)

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        match = DONE.match(update.callback_query.data)
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(match[1])
        index = int(match[2])
        milestones = item.practice.milestones if item is not None and item.practice is not None else []
        if person is None or item is None or not of_the_entity(person, item) or index >= len(milestones):
            await refuse_button(update, context)
            return
        if milestones[index].reached_on is not None:
            await reply(update, context, "milestone-already-done")
            return
        command = ReportMilestone.new(payload=ReportMilestonePayload(item_id=uuid.UUID(item.id),
                                                                     key=milestones[index].key),
                                      actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await settle(update)
            await reply(update, context, "ensena-sent")

    # --- /moverhito --------------------------------------------------------------------------------------------

    async def move(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        language = language_of(update, context)
        found = await self._practice(update, context, "EN-2026-0001 2 2027-03-15 " + translate(
            "course-example-reason", language))
        if found is None:
            return
        person, item, rest = found
        if person.role not in STEERING_ROLES:
            await reply(update, context, "coordinators-only")
            return
        words = rest.split(maxsplit=2)
        milestones = item.practice.milestones
        number = int(words[0]) if words and words[0].isdigit() else 0
        if not 1 <= number <= len(milestones):
            await reply(update, context, "milestone-number-unknown", count=len(milestones), code=item.reference)
            return
        try:
            due_on = date.fromisoformat(words[1]) if len(words) > 1 else None
        except ValueError:
            due_on = None
        if due_on is None:
            await reply(update, context, "deliver-refused-invalid-date")
            return
        if due_on < self.city.city.local_date(update.effective_message.date):
            await reply(update, context, "deliver-refused-invalid-past-date")
            return
        before = milestones[number - 2].due_on if number > 1 else None
        after = milestones[number].due_on if number < len(milestones) else None
        if (before is not None and due_on <= before) or (after is not None and due_on >= after):
            await reply(update, context, "milestone-out-of-order")
            return
        try:
            reason = person_text(words[2] if len(words) > 2 else "", NOTE_MAX)
        except TextRefused:
            await reply(update, context, "milestone-reason-missing")
            return
        command = MoveMilestone.new(payload=MoveMilestonePayload(
            item_id=uuid.UUID(item.id), key=milestones[number - 1].key, due_on=due_on, reason=reason),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "ensena-sent")

    # --- /participantes ----------------------------------------------------------------------------------------

    async def participants(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._practice(update, context, "EN-2026-0001 0 12 3 30 4 1")
        if found is None:
            return
        person, item, rest = found
        language = language_of(update, context)
        words = rest.split()
        if len(words) != len(PARTICIPANT_TYPES) or not all(word.isascii() and word.isdigit() for word in words):
            if words:
                await reply(update, context, "participants-not-read", count=len(PARTICIPANT_TYPES))
            kinds = "\n".join(f"{number}. {translate(f'participant-{kind.value}', language)}"
                              for number, kind in enumerate(PARTICIPANT_TYPES, start=1))
            await reply(update, context, "participants-usage", code=item.reference, kinds=kinds,
                        count=len(PARTICIPANT_TYPES))
            return
        counts = [int(word) for word in words]
        if any(count > MAX_PARTICIPANTS for count in counts) or sum(counts) == 0:
            await reply(update, context, "participants-out-of-bounds", maximum=MAX_PARTICIPANTS)
            return
        command = RecordParticipants.new(payload=RecordParticipantsPayload(
            item_id=uuid.UUID(item.id), counts=dict(zip(PARTICIPANT_TYPES, counts, strict=True))),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "ensena-sent")

    # --- /promocion --------------------------------------------------------------------------------------------

    async def start_promotion(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        found = await self._practice(update, context, "EN-2026-0001")
        if found is None:
            return ConversationHandler.END
        _, item, _ = found
        language = language_of(update, context)
        context.user_data["promotion"] = {"item_id": item.id, "reference": item.reference}
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(translate("promotion-plan-button", language), callback_data="promo:plan"),
            InlineKeyboardButton(translate("promotion-held-button", language), callback_data="promo:held")]])
        await update.effective_chat.send_message(
            translate("promotion-choose", language, ref=before_title(item.reference), title=item.title or "—"),
            reply_markup=keyboard)
        return CHOOSING

    async def chose(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("promotion")
        data = update.callback_query.data
        language = language_of(update, context)
        if pending is None:
            await refuse_button(update, context)
            return ConversationHandler.END
        await settle(update)
        if data in ("promo:plan", "promo:held"):
            pending["held"] = data == "promo:held"
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
                translate(f"channel-{channel.value}", language), callback_data=f"promo:channel:{index}")]
                for index, channel in enumerate(CHANNELS)])
            await update.effective_chat.send_message(translate("promotion-ask-channel", language),
                                                     reply_markup=keyboard)
            return CHOOSING
        index = int(data.rsplit(":", 1)[1])
        if "held" not in pending or index >= len(CHANNELS):
            await refuse_button(update, context)
            return CHOOSING
        pending["channel"] = CHANNELS[index].value
        await reply(update, context, "promotion-ask-name")
        return NAME

    async def named(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            context.user_data["promotion"]["name"] = person_text(update.message.text, SHORT_TEXT_MAX)
        except TextRefused as refused:
            await reply(update, context, "course-text-too-long", length=refused.length, limit=SHORT_TEXT_MAX)
            return NAME
        pending = context.user_data["promotion"]
        await reply(update, context, "promotion-ask-held-on" if pending["held"] else "promotion-ask-target")
        return WHEN

    async def dated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = context.user_data["promotion"]
        try:
            when = date.fromisoformat(update.message.text.strip())
        except ValueError:
            await reply(update, context, "deliver-refused-invalid-date")
            return WHEN
        today = self.city.city.local_date(update.message.date)
        if pending["held"] and when > today:
            await reply(update, context, "promotion-not-yet-held")
            return WHEN
        if not pending["held"] and when < today:
            await reply(update, context, "deliver-refused-invalid-past-date")
            return WHEN
        pending["on"] = when.isoformat()
        if not pending["held"]:
            return await self._send_plan(update, context)
        await reply(update, context, "promotion-ask-place")
        return WHERE

    async def placed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        match = PLACE.match(update.message.text.strip())
        if match is None:
            await reply(update, context, "promotion-place-invalid")
            return WHERE
        pending = context.user_data["promotion"]
        pending["city"], pending["country"] = match["city"].strip(), match["country"].upper()
        await reply(update, context, "promotion-ask-audience")
        return AUDIENCE

    async def counted(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        typed = update.message.text.strip().replace(".", "").replace(",", "")
        if not typed.isdigit() or int(typed) > MAX_AUDIENCE:
            await reply(update, context, "promotion-audience-invalid", maximum=MAX_AUDIENCE)
            return AUDIENCE
        pending = context.user_data["promotion"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = RecordPromotion.new(payload=RecordPromotionPayload(
            item_id=uuid.UUID(pending["item_id"]), channel=PromotionChannel(pending["channel"]),
            name=pending["name"], held_on=date.fromisoformat(pending["on"]), city=pending["city"],
            country=pending["country"], audience=int(typed)),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        return await self._finish(update, context, command, AUDIENCE)

    async def _send_plan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = context.user_data["promotion"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = PlanPromotion.new(payload=PlanPromotionPayload(
            item_id=uuid.UUID(pending["item_id"]), channel=PromotionChannel(pending["channel"]),
            name=pending["name"], target_on=date.fromisoformat(pending["on"])),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        return await self._finish(update, context, command, WHEN)

    async def _finish(self, update: Update, context: ContextTypes.DEFAULT_TYPE, command, waiting: int) -> int:
        """Send the promotion; if the broker is away, keep what was typed and wait for the last answer again."""
        if not await sent(update, context, self.send_command, command):
            return waiting
        context.user_data.pop("promotion", None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END



    # --- shared -------------------------------------------------------------------------------------------------



