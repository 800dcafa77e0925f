"""A Bogotá Aprende exchange's action plan from chat: its commitments and their progress.

- /compromiso (/commitment) <code>: staff of the exchange's entity (or a coordinator) add a commitment, step by
  step: the action, its owner (a person of the entity, with buttons), the due date, the indicator and the target.
- /compromisos (/commitments) <code>: the plan, each commitment with its owner, due date, status and progress, and a
  button to report progress on it.
- The progress buttons (also on the owner's reminders): done, 25/50/75 %, or blocked with a note.

Phases decides; the bot checks what it can first, so a person hears a mistake at once, in their language."""

from __future__ import annotations

import re
import uuid
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler, MessageHandler

from bot.conversations.common import (
    TYPED,
    MenuEntry,
    SendCommand,
    button_command_id,
    fit,
    form,
    language_of,
    on_this_message,
    page_turns,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
    typed_text,
)
from bot.conversations.course import ItemById, ItemByReference, before_title, find_item, of_the_entity
from bot.conversations.members import PeopleOf, PersonById
from bot.conversations.people import WhoIs, actor_of
from bot.projection import CommitmentView, ItemView, PersonView
from puente.contracts.commitments import (
    MAX_COMMITMENTS,
    CommitmentStatus,
    RecordCommitment,
    RecordCommitmentPayload,
    ReportProgress,
    ReportProgressPayload,
)
from puente.contracts.common import Line
from puente.contracts.people import Role
from puente.contracts.text import NOTE_MAX, SHORT_TEXT_MAX
from puente.i18n import translate
from puente.wiring.city import CityConfig

COMMITMENT = MenuEntry("compromiso", "commitment", "menu-commitment", position=37)
COMMITMENTS = MenuEntry("compromisos", "commitments", "menu-commitments", position=37)
MENU = [COMMITMENT, COMMITMENTS]
ACTION, OWNER, DUE, INDICATOR, TARGET, BLOCKED_NOTE = range(80, 86)
OWNERS_PAGE = 8
PERCENTS = (25, 50, 75)
OPEN = re.compile(r"^cmt:([0-9a-f-]{36}):(\d{1,2})$")
PROGRESS = re.compile(r"^cmtp:([0-9a-f-]{36}):(\d{1,2}):(\d{1,3})$")
BLOCKED = re.compile(r"^cmtb:([0-9a-f-]{36}):(\d{1,2})$")
STATUS_MARK = {"not_started": "⏳", "in_progress": "🔄", "done": "✅", "blocked": "⛔"}


def may_report(person: PersonView, item: ItemView, commitment: CommitmentView) -> bool:
    return person.id == commitment.owner_id or of_the_entity(person, item)


def reached_phase(city: CityConfig, item: ItemView, key: str) -> bool:
    keys = [phase.key for phase in city.phases_of(Line.aprende)]
    return item.phase_number is not None and key in keys and item.phase_number >= keys.index(key) + 1


class ActionPlanConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById, people_of: PeopleOf,
                 person_by_id: PersonById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id
        self.people_of = people_of
        self.person_by_id = person_by_id

    def handlers(self) -> list:
        adding = form("commitment", "commitment", [CommandHandler(COMMITMENT.names(), self.start)], {
            ACTION: [MessageHandler(TYPED, self.action)],
            OWNER: [CallbackQueryHandler(self.owner, pattern=r"^plan:(owner|page):\d{1,3}$")],
            DUE: [MessageHandler(TYPED, self.due)],
            INDICATOR: [MessageHandler(TYPED, self.indicator)],
            TARGET: [MessageHandler(TYPED, self.target)],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^plan:"),))
        blocking = form("blocked", "blocked", [CallbackQueryHandler(self.start_blocked, pattern=BLOCKED)], {
            BLOCKED_NOTE: [MessageHandler(TYPED, self.blocked_note)],
        })
        return [adding, blocking,
                CommandHandler(COMMITMENTS.names(), self.plan),
                CallbackQueryHandler(self.open, pattern=OPEN),
                CallbackQueryHandler(self.progress, pattern=PROGRESS),
                CallbackQueryHandler(stale_button, pattern=r"^(plan|cmt|cmtp|cmtb):")]

    async def _exchange(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                        usage: str) -> tuple[PersonView, ItemView] | None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, usage)
        if found is None:
            return None
        person, item, _ = found
        if item.line is not Line.aprende:
            await reply(update, context, "not-an-exchange", code=item.reference)
            return None
        return person, item

    # --- /compromiso ---------------------------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        found = await self._exchange(update, context, "AP-2026-0001")
        if found is None:
            return ConversationHandler.END
        person, item = found
        phase = self.city.aprende.action_plan_phase
        if not of_the_entity(person, item):
            await reply(update, context, "exchange-not-allowed")
            return ConversationHandler.END
        if item.status not in ("active", "on_hold") or not reached_phase(self.city, item, phase):
            name = next(configured.name for configured in self.city.phases_of(Line.aprende) if configured.key == phase)
            await reply(update, context, "plan-not-yet", code=item.reference,
                        phase=name.in_language(language_of(update, context)))
            return ConversationHandler.END
        if item.exchange is not None and len(item.exchange.commitments) >= MAX_COMMITMENTS:
            await reply(update, context, "plan-too-many")
            return ConversationHandler.END
        context.user_data["commitment"] = {"item_id": item.id, "command_id": str(uuid.uuid4())}
        await reply(update, context, "plan-ask-action", ref=before_title(item.reference), title=item.title or "—")
        return ACTION

    async def action(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        action = await typed_text(update, context, SHORT_TEXT_MAX)
        if action is None:
            return ACTION
        context.user_data["commitment"]["action"] = action
        pending = context.user_data["commitment"]
        item = await self.item_by_id(pending["item_id"])
        people = [person for person in await self.people_of(item.entity_id if item else None)
                  if person.role is Role.staff]
        if not people:
            context.user_data.pop("commitment", None)
            await reply(update, context, "plan-no-owners")
            return ConversationHandler.END
        pending["candidates"] = [person.id for person in people]
        pending["names"] = [person.name for person in people]
        await self._owners_page(update, context, 0)
        return OWNER

    async def _owners_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE, page: int) -> None:
        pending = context.user_data["commitment"]
        language = language_of(update, context)
        names = pending["names"]
        pages = (len(names) + OWNERS_PAGE - 1) // OWNERS_PAGE
        shown = range(page * OWNERS_PAGE, min(len(names), (page + 1) * OWNERS_PAGE))
        rows = [[InlineKeyboardButton(names[index][:60], callback_data=f"plan:owner:{index}")] for index in shown]
        turns = page_turns(language, page, pages, lambda number: f"plan:page:{number}")
        if turns:
            rows.append(turns)
        shown = await update.effective_chat.send_message(translate("plan-ask-owner", language),
                                                         reply_markup=InlineKeyboardMarkup(rows))
        pending["message_id"] = shown.message_id  # only this list's buttons choose

    async def owner(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("commitment")
        _, kind, number = update.callback_query.data.split(":")
        if pending is None or "candidates" not in pending or not on_this_message(update, pending):
            await refuse_button(update, context)
            return ConversationHandler.END if pending is None else OWNER
        if kind == "owner" and int(number) >= len(pending["candidates"]):
            await refuse_button(update, context)
            return OWNER
        await settle(update)
        if kind == "page":
            await self._owners_page(update, context, int(number))
            return OWNER
        pending["owner_id"] = pending["candidates"][int(number)]
        await reply(update, context, "plan-ask-due")
        return DUE

    async def due(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            due_on = date.fromisoformat(update.message.text.strip())
        except ValueError:
            await reply(update, context, "deliver-refused-invalid-date")
            return DUE
        if due_on < self.city.city.local_date(update.message.date):
            await reply(update, context, "deliver-refused-invalid-past-date")
            return DUE
        context.user_data["commitment"]["due_on"] = due_on.isoformat()
        await reply(update, context, "plan-ask-indicator")
        return INDICATOR

    async def indicator(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        indicator = await typed_text(update, context, SHORT_TEXT_MAX)
        if indicator is None:
            return INDICATOR
        context.user_data["commitment"]["indicator"] = indicator
        await reply(update, context, "plan-ask-target")
        return TARGET

    async def target(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        target = await typed_text(update, context, SHORT_TEXT_MAX)
        if target is None:
            return TARGET
        pending = context.user_data["commitment"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = RecordCommitment.new(payload=RecordCommitmentPayload(
            item_id=uuid.UUID(pending["item_id"]), action=pending["action"], owner_id=uuid.UUID(pending["owner_id"]),
            due_on=date.fromisoformat(pending["due_on"]), indicator=pending["indicator"], target=target),
            actor=actor_of(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["command_id"]))  # the same command again after a broker error
        if not await sent(update, context, self.send_command, command):
            return TARGET
        context.user_data.pop("commitment", None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END

    # --- /compromisos and the progress buttons --------------------------------------------------------------------

    async def plan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._exchange(update, context, "AP-2026-0001")
        if found is None:
            return
        person, item = found
        language = language_of(update, context)
        commitments = item.exchange.commitments if item.exchange else []
        if not commitments:
            await reply(update, context, "plan-empty", ref=before_title(item.reference), title=item.title or "—",
                        code=item.reference)
            return
        today = self.city.city.local_date(update.effective_message.date)
        lines = [translate("plan-header", language, ref=before_title(item.reference), title=item.title or "—")]
        rows = []
        going = item.status in ("active", "on_hold")
        for commitment in commitments:
            lines.append(await self.commitment_line(commitment, language, today))
            if going and commitment.status != "done" and may_report(person, item, commitment):
                rows.append(InlineKeyboardButton(f"📝 {commitment.number}",
                                                 callback_data=f"cmt:{item.id}:{commitment.number}"))
        keyboard = InlineKeyboardMarkup([rows[start:start + 5] for start in range(0, len(rows), 5)]) if rows else None
        await update.effective_chat.send_message(fit("\n".join(lines)), reply_markup=keyboard)

    async def commitment_line(self, commitment: CommitmentView, language: str, today: date) -> str:
        owner = await self.person_by_id(commitment.owner_id)
        late = commitment.status != "done" and commitment.due_on < today
        return translate("plan-line", language, mark="⚠️" if late else STATUS_MARK[commitment.status],
                         number=commitment.number, action=commitment.action, owner=owner.name if owner else "—",
                         due=commitment.due_on.isoformat(),
                         status=translate(f"commitment-status-{commitment.status}", language),
                         percent=commitment.progress_percent, indicator=commitment.indicator,
                         target=commitment.target)

    async def _commitment(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                          pattern: re.Pattern) -> tuple[PersonView, ItemView, CommitmentView, re.Match] | None:
        """The commitment a button names, if the person may report on it; else the button is refused."""
        match = pattern.match(update.callback_query.data)
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(match[1])
        commitment = item.exchange.commitment(int(match[2])) if item is not None and item.exchange else None
        if person is None or commitment is None or not may_report(person, item, commitment):
            await refuse_button(update, context)
            return None
        if item.status not in ("active", "on_hold"):
            await reply(update, context, "plan-ended", code=item.reference)
            return None
        if commitment.status == "done":
            await reply(update, context, "plan-commitment-done")
            return None
        return person, item, commitment, match

    async def open(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        found = await self._commitment(update, context, OPEN)
        if found is None:
            return
        _, item, commitment, _ = found
        language = language_of(update, context)
        today = self.city.city.local_date(update.effective_message.date)
        prefix = f"{item.id}:{commitment.number}"
        keyboard = InlineKeyboardMarkup([
            [InlineKeyboardButton(f"{percent} %", callback_data=f"cmtp:{prefix}:{percent}") for percent in PERCENTS],
            [InlineKeyboardButton(translate("plan-done-button", language), callback_data=f"cmtp:{prefix}:100"),
             InlineKeyboardButton(translate("plan-blocked-button", language), callback_data=f"cmtb:{prefix}")]])
        await update.effective_chat.send_message(
            translate("plan-progress-ask", language, ref=before_title(item.reference), title=item.title or "—",
                      line=await self.commitment_line(commitment, language, today)),
            reply_markup=keyboard)

    async def progress(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        found = await self._commitment(update, context, PROGRESS)
        if found is None:
            return
        person, item, commitment, match = found
        percent = int(match[3])
        if percent not in (*PERCENTS, 100):
            await refuse_button(update, context)
            return
        status = CommitmentStatus.done if percent == 100 else CommitmentStatus.in_progress
        command = ReportProgress.new(payload=ReportProgressPayload(
            item_id=uuid.UUID(item.id), number=commitment.number, status=status, progress_percent=percent),
            actor=actor_of(person, update, context), city=self.city.city.slug,
            event_id=button_command_id(update))  # a double tap sends the same command
        if await sent(update, context, self.send_command, command):
            await settle(update)
            await reply(update, context, "ensena-sent")

    async def start_blocked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        found = await self._commitment(update, context, BLOCKED)
        if found is None:
            return ConversationHandler.END
        _, item, commitment, _ = found
        await settle(update)
        context.user_data["blocked"] = {"item_id": item.id, "number": commitment.number,
                                        "percent": commitment.progress_percent, "command_id": str(uuid.uuid4())}
        await reply(update, context, "plan-ask-blocked-note")
        return BLOCKED_NOTE

    async def blocked_note(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        note = await typed_text(update, context, NOTE_MAX)
        if note is None:
            return BLOCKED_NOTE
        pending = context.user_data["blocked"]
        person = await self.who_is(update.effective_user.id)
        if person is None:
            return ConversationHandler.END
        command = ReportProgress.new(payload=ReportProgressPayload(
            item_id=uuid.UUID(pending["item_id"]), number=pending["number"], status=CommitmentStatus.blocked,
            progress_percent=pending["percent"], note=note),
            actor=actor_of(person, update, context), city=self.city.city.slug,
            event_id=uuid.UUID(pending["command_id"]))
        if not await sent(update, context, self.send_command, command):
            return BLOCKED_NOTE
        context.user_data.pop("blocked", None)
        await reply(update, context, "ensena-sent")
        return ConversationHandler.END
