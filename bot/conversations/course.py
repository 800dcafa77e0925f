"""An item by its code: /ver (/view) shows its card to anyone who may see it, and coordinators and administrators
steer its course: /avanzar (/advance) completes the current phase after a confirmation, /devolver (/return) sends
it back a phase with a note, /pausar (/hold) and /reanudar (/resume) hold and resume it, /retirar (/withdraw)
withdraws it with a reason after a confirmation. The note or reason follows the code on the same line, so no form
is left waiting. Phases decides; the bot only offers what the person's role allows and tells them what it asked."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import (
    MenuEntry,
    SendCommand,
    language_of,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.people import WhoIs, actor_of
from bot.projection import ItemView, PersonView
from puente.contracts.people import Role
from puente.contracts.phases import (
    AdvancePhase,
    HoldItem,
    ItemPayload,
    ItemReasonPayload,
    MoveDueDate,
    MoveDueDatePayload,
    PhaseStep,
    ResumeItem,
    ReturnPhase,
    ReturnPhasePayload,
    WithdrawItem,
)
from puente.contracts.text import NOTE_MAX, TextRefused, person_text
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig

VIEW = MenuEntry("ver", "view", "menu-view", position=31)
ADVANCE = MenuEntry("avanzar", "advance", "menu-advance", position=32)
RETURN = MenuEntry("devolver", "return", "menu-return", position=33)
HOLD = MenuEntry("pausar", "hold", "menu-hold", position=34)
RESUME = MenuEntry("reanudar", "resume", "menu-resume", position=34)
WITHDRAW = MenuEntry("retirar", "withdraw", "menu-withdraw", position=34)
DUE = MenuEntry("plazo", "due", "menu-due", position=34)
MENU = [VIEW, ADVANCE, RETURN, HOLD, RESUME, WITHDRAW, DUE]
STEERING_ROLES = frozenset({Role.coordinator, Role.administrator})
CODE = re.compile(r"^[A-Za-z]{2,4}-\d{4}-\d{4,6}$")
PROGRESS_FULL, PROGRESS_EMPTY = "▰", "▱"
CHANGE_TEXT_SHOWN = 150  # five changes with their notes cut to this stay well within a message


def clipped(text: str) -> str:
    return text if len(text) <= CHANGE_TEXT_SHOWN else text[:CHANGE_TEXT_SHOWN - 1] + "…"


def shortened(text: str | None) -> str:
    """A change's note or reason as its card line ends: " — note", cut short; nothing without one."""
    return " — " + clipped(text) if text else ""

ItemByReference = Callable[[str], Awaitable[ItemView | None]]
ItemById = Callable[[str], Awaitable[ItemView | None]]


async def find_item(update: Update, context: ContextTypes.DEFAULT_TYPE, who_is: WhoIs,
                    item_by_reference: ItemByReference, usage: str,
                    reading: bool = False) -> tuple[PersonView, ItemView, str] | None:
    """The person, the item their command names (by its code, first on the line) and the rest of the line; or None,
    after telling them why. Staff see only their entity's items."""
    person = await who_is(update.effective_user.id)
    words = (update.effective_message.text or "").split(maxsplit=2)
    code = words[1].upper() if len(words) > 1 else ""
    if person is None:
        return None
    if not CODE.match(code):
        await reply(update, context, "course-usage", command=words[0].split("@")[0], example=usage)
        return None
    item = await item_by_reference(code)
    if item is None or not (may_see(person, item) if reading else may_work_on(person, item)):
        await reply(update, context, "item-not-found", code=code)
        return None
    return person, item, words[2] if len(words) > 2 else ""


def may_work_on(person: PersonView, item: ItemView) -> bool:
    """Coordinators work on every item; the others on their entity's."""
    return person.role in STEERING_ROLES or item.entity_id == person.entity_id


def of_the_entity(person: PersonView, item: ItemView) -> bool:
    """Coordinators, and staff of the item's entity: who works on a practice's or an exchange's own records."""
    return person.role in STEERING_ROLES or (person.role is Role.staff and person.entity_id == item.entity_id)


def may_see(person: PersonView, item: ItemView) -> bool:
    """Who may work on an item sees it; an evaluator also sees (and reads the documents of) a practice they
    evaluate."""
    return may_work_on(person, item) or (item.practice is not None and person.id in item.practice.evaluators)


def before_title(reference: str | None) -> str:
    """An item's code as the texts put it before its title ("EN-2026-0001 "), or nothing without one."""
    return f"{reference} " if reference else ""


def progress_bar(done: int, total: int) -> str:
    return PROGRESS_FULL * done + PROGRESS_EMPTY * (total - done) + f" {done}/{total}"


class CourseConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, item_by_id: ItemById) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.item_by_id = item_by_id

    def handlers(self) -> list:
        return [
            CommandHandler(VIEW.names(), self.view),
            CommandHandler(ADVANCE.names(), self.ask_advance),
            CommandHandler(RETURN.names(), self.send_back),
            CommandHandler(HOLD.names(), self.hold),
            CommandHandler(RESUME.names(), self.resume),
            CommandHandler(WITHDRAW.names(), self.ask_withdrawal),
            CommandHandler(DUE.names(), self.move_due_date),
            CallbackQueryHandler(self.open_card, pattern=r"^card:[0-9a-f-]{36}$"),
            CallbackQueryHandler(self.advance_confirmed, pattern=r"^course:advance:"),
            CallbackQueryHandler(self.withdrawal_confirmed, pattern=r"^course:withdraw:"),
            CallbackQueryHandler(self.kept, pattern=r"^course:keep$"),
            CallbackQueryHandler(stale_button, pattern=r"^course:"),
        ]

    # --- finding the item ---------------------------------------------------------------------------------------

    async def _item(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                    usage: str, reading: bool = False) -> tuple[PersonView, ItemView, str] | None:
        return await find_item(update, context, self.who_is, self.item_by_reference, usage, reading)

    async def _steering_with_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                                  missing: str) -> tuple[PersonView, ItemView, str] | None:
        """A steering command whose note or reason follows the code on the same line; None, after saying why."""
        example = "AP-2026-0007 " + translate("course-example-note" if missing == "course-note-missing"
                                              else "course-example-reason", language_of(update, context))
        found = await self._steering(update, context, example)
        if found is None:
            return None
        person, item, typed = found
        text = await self._text(update, context, typed, missing)
        return None if text is None else (person, item, text)

    async def _steering(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                        usage: str) -> tuple[PersonView, ItemView, str] | None:
        found = await self._item(update, context, usage)
        if found is not None and found[0].role not in STEERING_ROLES:
            await reply(update, context, "course-not-allowed")
            return None
        return found

    # --- /ver ---------------------------------------------------------------------------------------------------

    async def view(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._item(update, context, "AP-2026-0007", reading=True)
        if found is None:
            return
        _, item, _ = found
        language = language_of(update, context)
        await update.effective_chat.send_message(self.card(item, language), reply_markup=self.downloads(item))

    async def open_card(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A list's 🔎 button: the item's card, for whoever may see it."""
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        item = await self.item_by_id(update.callback_query.data.removeprefix("card:"))
        if person is None or item is None or not may_see(person, item):
            await refuse_button(update, context)
            return
        await update.effective_chat.send_message(self.card(item, language_of(update, context)),
                                                 reply_markup=self.downloads(item))

    def downloads(self, item: ItemView) -> InlineKeyboardMarkup | None:
        """A ⬇ button for each document delivered in the current phase."""
        phases = self.city.phases_of(item.line) if item.line else []
        number = item.phase_number or 0
        phase = phases[number - 1] if 0 < number <= len(phases) else None
        buttons = []
        for index, deliverable in enumerate(phase.deliverables if phase else []):
            delivered = item.delivered_in(number, deliverable.key)
            if delivered is not None and delivered.document is not None:
                buttons.append([InlineKeyboardButton(f"⬇ {delivered.document.name[:60]}",
                                                     callback_data=f"deliver:get:{item.id}:{number}:{index}")])
        return InlineKeyboardMarkup(buttons) if buttons else None

    def card(self, item: ItemView, language: str) -> str:
        phases = self.city.phases_of(item.line) if item.line else []
        number = item.phase_number or 0
        phase = phases[number - 1] if 0 < number <= len(phases) else None
        done = len(phases) if item.status == "closed" else max(0, number - 1)
        entity = self.city.entities.get(item.entity_id) if item.entity_id else None
        lines = [translate("card-title", language, ref=before_title(item.reference),
                           title=item.title or "—"),
                 translate("card-line", language, line=self.city.lines[item.line].name.in_language(language)
                           if item.line else "—", entity=entity.name if entity else "—"),
                 translate("card-progress", language, bar=progress_bar(done, len(phases)),
                           phase=phase.name.in_language(language) if phase else "—",
                           due=item.due_on.isoformat() if item.due_on else "—",
                           status=item.status, late="yes" if item.overdue and item.status == "active" else "no")]
        if phase is not None and item.status in ("active", "on_hold"):
            lines.append(translate("card-deliverable", language, deliverable=phase.deliverable.in_language(language)))
            for deliverable in phase.deliverables:
                delivered = item.delivered_in(number, deliverable.key)
                shown = (delivered.document.name if delivered.document else delivered.value) if delivered else ""
                lines.append(f"{'☑' if delivered else '☐'} {deliverable.name.in_language(language)}"
                             f"{'' if deliverable.required else ' *'}{': ' + clipped(shown) if shown else ''}")
        if item.practice is not None:
            lines += self.practice_lines(item, language)
        if item.exchange is not None:
            lines += self.exchange_lines(item, language)
        if item.changes:
            lines.append(translate("card-changes", language))
            lines += [translate("card-change", language, on=self.city.city.local_date(change.at).isoformat(),
                                kind=change.kind.replace(".", "-"), number=change.phase_number,
                                text=shortened(change.text))
                      for change in item.changes]
        return "\n".join(lines)

    def exchange_lines(self, item: ItemView, language: str) -> list[str]:
        """An Aprende exchange's record and action plan, in short (/expediente and /compromisos show them whole)."""
        exchange = item.exchange
        lines = []
        shortlisted = len(exchange.shortlisted_practices) + len(exchange.shortlisted_experts)
        if shortlisted:
            lines.append(translate("card-shortlist", language, count=shortlisted))
        if exchange.plan is not None:
            lines.append(translate("card-exchange-plan", language,
                                   instrument=translate(f"instrument-{exchange.plan.instrument}", language),
                                   starts=exchange.plan.starts_on.isoformat(),
                                   place=f"{exchange.plan.city}, {exchange.plan.country}"))
        if exchange.experts or exchange.allies or exchange.participants:
            lines.append(translate("card-exchange-people", language, experts=len(exchange.experts),
                                   allies=len(exchange.allies), participants=sum(exchange.participants.values())))
        if exchange.commitments:
            done = len([commitment for commitment in exchange.commitments if commitment.status == "done"])
            lines.append(translate("card-commitments", language, done=done, total=len(exchange.commitments),
                                   code=item.reference or "—"))
        return lines

    def practice_lines(self, item: ItemView, language: str) -> list[str]:
        """An Enseña practice's evaluation, schedule, participants, promotion and companions, a line each."""
        practice = item.practice
        lines = []
        if practice.evaluators:
            scored = len([evaluator for evaluator in practice.evaluators if evaluator in practice.scorecards])
            lines.append(translate("card-evaluation", language, scored=scored, evaluators=len(practice.evaluators)))
        if practice.decision is not None:
            lines.append(translate("card-decision", language, decision=practice.decision,
                                   overall=decimal(practice.overall, language) if practice.overall is not None
                                   else "—"))
        pending = [milestone for milestone in practice.milestones if milestone.reached_on is None]
        if practice.milestones:
            following = pending[0] if pending else None
            configured = self.city.ensena.milestone(following.key) if following else None
            lines.append(translate(
                "card-milestones", language, done=len(practice.milestones) - len(pending),
                total=len(practice.milestones),
                next=(configured.name.in_language(language) if configured else following.key) if following else "—",
                due=following.due_on.isoformat() if following else "—",
                late="yes" if following is not None and following.slipped else "no"))
        if practice.participants:
            lines.append(translate("card-participants", language, total=sum(practice.participants.values())))
        if practice.promotions:
            held = [promotion for promotion in practice.promotions if promotion.held]
            lines.append(translate("card-promotions", language, held=len(held),
                                   planned=len(practice.promotions) - len(held),
                                   events=len([p for p in held if p.channel == "international_event"]),
                                   networks=len([p for p in held if p.channel == "network"])))
        if practice.companions or practice.requests:
            open_requests = [status for status in practice.requests.values() if status != "closed"]
            lines.append(translate("card-companions", language, companions=len(practice.companions),
                                   open=len(open_requests),
                                   waiting=len([status for status in open_requests if status == "waiting"])))
        return lines

    # --- /avanzar -----------------------------------------------------------------------------------------------

    async def ask_advance(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._steering(update, context, "AP-2026-0007")
        if found is None:
            return
        _, item, _ = found
        language = language_of(update, context)
        if item.status != "active" or not item.phase_number:
            await update.effective_chat.send_message(self.card(item, language))
            await reply(update, context, "course-not-active")
            return
        phases = self.city.phases_of(item.line)
        if item.phase_number > len(phases):  # the city file changed since the item started
            await reply(update, context, "course-not-active")
            return
        phase = phases[item.phase_number - 1]
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(translate("course-yes-advance", language, number=item.phase_number),
                                 callback_data=f"course:advance:{item.id}:{item.phase_number}"),
            InlineKeyboardButton(translate("people-no", language), callback_data="course:keep"),
        ]])
        await update.effective_chat.send_message(
            translate("course-confirm-advance", language, ref=item.reference, title=item.title,
                      number=item.phase_number, phases=len(phases), phase=phase.name.in_language(language),
                      deliverable=phase.deliverable.in_language(language)),
            reply_markup=keyboard)

    async def advance_confirmed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        person = await self.who_is(update.effective_user.id)
        match = re.match(r"^course:advance:([0-9a-f-]{36}):(\d{1,2})$", query.data)
        if person is None or person.role not in STEERING_ROLES or match is None or not 1 <= int(match[2]) <= 12:
            await refuse_button(update, context)
            return
        await settle(update)
        command = AdvancePhase.new(payload=PhaseStep(item_id=uuid.UUID(match[1]), phase_number=int(match[2])),
                                   actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "course-advance-sent", number=int(match[2]))

    # --- /devolver, /pausar, /reanudar --------------------------------------------------------------------------

    async def send_back(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._steering_with_text(update, context, "course-note-missing")
        if found is None:
            return
        person, item, note = found
        command = ReturnPhase.new(
            payload=ReturnPhasePayload(item_id=item.id, phase_number=item.phase_number or 1, note=note),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        await self._send(update, context, command)

    async def hold(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._steering_with_text(update, context, "course-reason-missing")
        if found is None:
            return
        person, item, reason = found
        command = HoldItem.new(payload=ItemReasonPayload(item_id=item.id, reason=reason),
                               actor=actor_of(person, update, context), city=self.city.city.slug)
        await self._send(update, context, command)

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._steering(update, context, "AP-2026-0007")
        if found is None:
            return
        person, item, _ = found
        command = ResumeItem.new(payload=ItemPayload(item_id=item.id), actor=actor_of(person, update, context),
                                 city=self.city.city.slug)
        await self._send(update, context, command)

    async def move_due_date(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/plazo <code> <YYYY-MM-DD> <reason>: the current phase's new due date, today or later."""
        language = language_of(update, context)
        found = await self._steering(update, context, "AP-2026-0007 2027-03-15 " + translate(
            "course-example-reason", language))
        if found is None:
            return
        person, item, rest = found
        words = rest.split(maxsplit=1)
        try:
            due_on = date.fromisoformat(words[0]) if words else None
        except ValueError:
            due_on = None
        if due_on is None:
            await reply(update, context, "deliver-refused-invalid-date")
            return
        if due_on < self.city.city.local_date(update.effective_message.date):
            await reply(update, context, "deliver-refused-invalid-past-date")
            return
        reason = await self._text(update, context, words[1] if len(words) > 1 else "", "course-reason-missing")
        if reason is None or not item.phase_number:
            return
        command = MoveDueDate.new(
            payload=MoveDueDatePayload(item_id=item.id, phase_number=item.phase_number, due_on=due_on, reason=reason),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        await self._send(update, context, command)

    # --- /retirar -----------------------------------------------------------------------------------------------

    async def ask_withdrawal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._steering_with_text(update, context, "course-reason-missing")
        if found is None:
            return
        _, item, reason = found
        context.user_data["withdrawal"] = {"item_id": item.id, "reason": reason}
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(translate("course-yes-withdraw", language),
                                 callback_data=f"course:withdraw:{item.id}"),
            InlineKeyboardButton(translate("people-no", language), callback_data="course:keep"),
        ]])
        await update.effective_chat.send_message(
            translate("course-confirm-withdrawal", language, ref=item.reference, title=item.title, reason=reason),
            reply_markup=keyboard)

    async def withdrawal_confirmed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        person = await self.who_is(update.effective_user.id)
        pending = context.user_data.get("withdrawal") or {}
        if person is None or person.role not in STEERING_ROLES or \
                query.data != f"course:withdraw:{pending.get('item_id')}":
            await refuse_button(update, context)
            return
        context.user_data.pop("withdrawal", None)
        await settle(update)
        command = WithdrawItem.new(payload=ItemReasonPayload(item_id=pending["item_id"], reason=pending["reason"]),
                                   actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "course-sent")

    async def kept(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        context.user_data.pop("withdrawal", None)
        await settle(update)
        await reply(update, context, "course-kept")



    # --- shared -------------------------------------------------------------------------------------------------

    async def _text(self, update: Update, context: ContextTypes.DEFAULT_TYPE, typed: str,
                    missing: str) -> str | None:
        try:
            return person_text(typed, NOTE_MAX)
        except TextRefused as refused:
            if refused.reason == "too_long":
                await reply(update, context, "course-text-too-long", length=refused.length, limit=NOTE_MAX)
            else:
                await reply(update, context, missing)
            return None

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, command) -> None:
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "course-sent")

