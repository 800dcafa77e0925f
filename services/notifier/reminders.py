"""Reminders, grouped: each person gets one message a day (on working days, at the start of working hours) listing
every item of theirs that is due soon or late, with a button to open each; after a number of reminders with no
progress on a late item, the coordinators are told (escalation). Alerts to coordinators are not deferred.

A phase's `phase.due_soon` and `phase.overdue` put the item on its proposer's list; progress takes it off (the
phase completed, returned or moved, the item held, withdrawn or closed) or, for a deliverable, counts as an answer.
An action plan's `commitment.due` and `commitment.overdue` put that commitment on its owner's list, with a button
to report progress; progress counts as an answer, and a commitment done comes off.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from puente.contracts.envelope import derived_id
from puente.i18n import translate
from puente.wiring.city import CityConfig
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.notifier.delivery import NOTIFICATIONS, StoredNotification, chat_key
from services.notifier.messages import KNOWN_ITEMS, KnownItem, distinct_chats, ref

LISTED = 15  # items in one reminder; the rest are counted and /mis lists them


class Reminder(BaseModel):
    """An item on a person's list of things due: what phase, when due, and how many reminders went unanswered."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<chat>:<item>"
    chat_id: int
    language: str
    item_id: str
    phase_number: int
    phase_key: str
    due_on: date
    unanswered: int = 0  # reminders sent since the last progress
    escalated: bool = False
    kind: str = "phase"  # phase: the item's phase is due; scorecard: an evaluator's scorecard is; commitment: one
    commitment_number: int | None = None  # of the action plan's commitments, the one due (kind commitment)
    action: str | None = None  # that commitment's action, as the list names it


REMINDERS = Stored("reminders", Reminder, indexed_by=[("chat_id",), ("item_id",)])


async def keep_on_list(transaction: Transaction, item: KnownItem, phase_number: int, phase_key: str,
                       due_on: date, chat: tuple[int, str] | None = None, kind: str = "phase") -> bool:
    """Put (or keep) the item on its proposer's list (or on `chat`'s: (chat id, language)); a new phase or due
    date starts the count again."""
    chat_id, language = chat or (item.proposer_chat_id, item.proposer_language)
    if chat_id is None:
        return False
    await transaction.serialize_on(chat_key(chat_id))  # against the person's removal
    reminders = transaction.collection(REMINDERS)
    key = f"{chat_id}:{item.id}"
    kept = await reminders.get(key)
    if kept is not None and (kept.phase_number, kept.due_on, kept.kind) == (phase_number, due_on, kind):
        return False
    await reminders.save(Reminder(id=key, chat_id=chat_id, language=language, item_id=item.id,
                                  phase_number=phase_number, phase_key=phase_key, due_on=due_on, kind=kind))
    return True


async def keep_commitment_on_list(transaction: Transaction, item: KnownItem, chat: tuple[int, str], number: int,
                                  action: str, due_on: date) -> bool:
    """Put (or keep) an action plan's commitment on its owner's list; a new due date starts the count again."""
    chat_id, language = chat
    await transaction.serialize_on(chat_key(chat_id))  # against the person's removal
    reminders = transaction.collection(REMINDERS)
    key = commitment_key(chat_id, item.id, number)
    kept = await reminders.get(key)
    if kept is not None and kept.due_on == due_on:
        return False
    await reminders.save(Reminder(id=key, chat_id=chat_id, language=language, item_id=item.id, phase_number=0,
                                  phase_key="", due_on=due_on, kind="commitment", commitment_number=number,
                                  action=action))
    return True


def commitment_key(chat_id: int, item_id: str, number: int) -> str:
    return f"{chat_id}:{item_id}:c{number}"


async def commitment_answered(transaction: Transaction, item_id: str, number: int, done: bool) -> int:
    """Progress on a commitment: done, it comes off every list; otherwise its count starts from zero again."""
    reminders = transaction.collection(REMINDERS)
    found = [reminder for reminder in await reminders.find(item_id=item_id)
             if reminder.kind == "commitment" and reminder.commitment_number == number]
    for reminder in found:
        if done:
            await reminders.delete(reminder.id)
        else:
            await reminders.save(reminder.model_copy(update={"unanswered": 0, "escalated": False}))
    return len(found)


async def take_off(transaction: Transaction, chat_id: int, item_id: str) -> bool:
    """One person's reminder of an item, answered (an evaluator scored)."""
    reminders = transaction.collection(REMINDERS)
    if await reminders.get(f"{chat_id}:{item_id}") is None:
        return False
    await reminders.delete(f"{chat_id}:{item_id}")
    return True


async def take_off_list(transaction: Transaction, item_id: str, stopped: bool = False) -> int:
    """The item's phase moved on, or it is held: its phase and scorecard reminders come off, its commitments' stay
    (they do not end with a phase, and an entity's dates do not stop with a pause). The item `stopped` (withdrawn
    or closed): everything comes off."""
    reminders = transaction.collection(REMINDERS)
    found = [reminder for reminder in await reminders.find(item_id=item_id)
             if stopped or reminder.kind != "commitment"]
    for reminder in found:
        await reminders.delete(reminder.id)
    return len(found)


async def answered(transaction: Transaction, item_id: str) -> int:
    """Someone worked on the item (a deliverable): its reminders count from zero again. The coordinators are told
    of a late phase once per due date, so an escalation already sent stays sent."""
    reminders = transaction.collection(REMINDERS)
    found = [reminder for reminder in await reminders.find(item_id=item_id) if reminder.kind == "phase"]
    for reminder in found:  # an evaluator's scorecard is not answered by the entity's deliverable
        await reminders.save(reminder.model_copy(update={"unanswered": 0}))
    return len(found)


async def forget_chat(transaction: Transaction, chat_id: int) -> int:
    """A person removed or forgotten: no more reminders for them."""
    reminders = transaction.collection(REMINDERS)
    found = await reminders.find(chat_id=chat_id)
    for reminder in found:
        await reminders.delete(reminder.id)
    return len(found)


TITLE_SHOWN = 80  # fifteen lines with titles cut to this stay well within Telegram's 4096 characters


def line_for(reminder: Reminder, item: KnownItem, today: date, language: str) -> str:
    days = (reminder.due_on - today).days
    title = item.title if len(item.title) <= TITLE_SHOWN else item.title[:TITLE_SHOWN - 1] + "…"
    named = {"ref": ref(item.reference), "title": title, "number": reminder.phase_number,
             "due": reminder.due_on.isoformat()}
    if reminder.kind == "commitment":
        named = {**named, "number": reminder.commitment_number, "action": reminder.action or "—"}
        if days < 0:
            return translate("reminder-commitment-late", language, **named, days=-days)
        return translate("reminder-commitment-soon", language, **named, days=days)
    if reminder.kind == "scorecard":
        if days < 0:
            return translate("reminder-scorecard-late", language, **named, days=-days)
        return translate("reminder-scorecard-soon", language, **named, days=days)
    if days < 0:
        return translate("reminder-late", language, **named, days=-days)
    return translate("reminder-soon", language, **named, days=days)


async def send_reminders(transaction: Transaction, city: CityConfig, run_key: str, now: datetime,
                         coordinators: list[int], escalate_after: int) -> int:
    """The daily run: on a working day, one message per person listing their items (and each item's button);
    late items reminded `escalate_after` times with no progress are told to the coordinators, once."""
    today = city.city.local_date(now)
    local_time = now.astimezone(ZoneInfo(city.city.timezone)).time()
    calendar = city.calendar
    in_working_hours = calendar.working_hours_start <= local_time < calendar.working_hours_end
    if not calendar.is_working_day(today) or not in_working_hours:
        return 0  # quiet hours (a run caught up at night, a weekend, a holiday): the list waits for the next one
    reminders = transaction.collection(REMINDERS)
    items = transaction.collection(KNOWN_ITEMS)
    notifications = transaction.collection(NOTIFICATIONS)
    by_chat: dict[int, list[Reminder]] = {}
    for reminder in await reminders.find():
        by_chat.setdefault(reminder.chat_id, []).append(reminder)
    sent = 0
    for chat_id, listed in sorted(by_chat.items()):
        known = {reminder.item_id: await items.get(reminder.item_id) for reminder in listed}
        listed = sorted((reminder for reminder in listed if known[reminder.item_id] is not None),
                        key=lambda reminder: (reminder.due_on, known[reminder.item_id].reference or "",
                                              reminder.item_id))
        if not listed:
            continue
        language = listed[0].language
        lines = [translate("reminders-header", language, count=len(listed))]
        lines += [line_for(reminder, known[reminder.item_id], today, language) for reminder in listed[:LISTED]]
        if len(listed) > LISTED:
            lines.append(translate("reminders-more", language, more=len(listed) - LISTED))
        buttons = [button_for(reminder, known[reminder.item_id]) for reminder in listed[:LISTED]]
        await notifications.add(StoredNotification(
            id=str(derived_id("reminders", chat_id, run_key)), chat_id=chat_id, kind="reminders",
            text="\n".join(lines), caused_by=f"reminders:{run_key}", created_at=now, next_attempt_at=now,
            buttons=[buttons[start:start + 3] for start in range(0, len(buttons), 3)]))
        sent += 1
        for reminder in listed:
            counted = reminder.model_copy(update={"unanswered": reminder.unanswered + 1})
            if counted.due_on < today and counted.unanswered >= escalate_after and not counted.escalated:
                sent += await escalate(transaction, city, counted, known[reminder.item_id], today, now, coordinators)
                counted = counted.model_copy(update={"escalated": True})
            await reminders.save(counted)
    return sent


def button_for(reminder: Reminder, item: KnownItem) -> list[str]:
    """A commitment's button reports its progress; any other opens the item's card."""
    code = item.reference or item.title[:20]
    if reminder.kind == "commitment":
        return [f"📝 {code} #{reminder.commitment_number}", f"cmt:{reminder.item_id}:{reminder.commitment_number}"]
    return [f"🔎 {code}", f"card:{reminder.item_id}"]


def escalation_key(reminder: Reminder, chat_id: int) -> str:
    """One escalation per late phase and due date; an evaluator's and a commitment's, each their own."""
    if reminder.kind == "phase":
        return str(derived_id("escalation", reminder.item_id, reminder.due_on, chat_id))
    if reminder.kind == "scorecard":
        return str(derived_id("escalation", reminder.kind, reminder.chat_id, reminder.item_id, reminder.due_on,
                              chat_id))
    return str(derived_id("escalation", reminder.kind, reminder.chat_id, reminder.item_id,
                          reminder.commitment_number, reminder.due_on, chat_id))


async def escalate(transaction: Transaction, city: CityConfig, reminder: Reminder, item: KnownItem, today: date,
                   now: datetime, coordinators: list[int]) -> int:
    language = city.city.default_language
    entity = city.entities.get(item.entity_id)
    named = {"ref": ref(item.reference), "title": item.title, "entity": entity.name if entity else item.entity_id,
             "count": reminder.unanswered, "due": reminder.due_on.isoformat(), "code": item.reference or item.id}
    if reminder.kind == "commitment":
        text = translate("reminders-escalated-commitment", language, **named, number=reminder.commitment_number)
    elif reminder.kind == "scorecard":
        text = translate("reminders-escalated-scorecard", language, **named, number=reminder.phase_number)
    else:
        text = translate("reminders-escalated", language, **named, number=reminder.phase_number)
    notifications = transaction.collection(NOTIFICATIONS)
    chats = distinct_chats(coordinators, excluding=reminder.chat_id)
    for chat_id in chats:
        escalation_id = escalation_key(reminder, chat_id)
        if await notifications.get(escalation_id) is not None:
            continue  # told already for this due date
        await transaction.serialize_on(chat_key(chat_id))  # against the coordinator's removal or forgetting
        await notifications.add(StoredNotification(
            id=escalation_id, chat_id=chat_id,
            kind="reminders-escalated", text=text, item_id=item.id, caused_by=f"escalation:{reminder.item_id}",
            created_at=now, next_attempt_at=now))
    return len(chats)


