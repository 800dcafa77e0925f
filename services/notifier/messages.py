"""Who is told what, for each event. Pure functions: an event and the city's configuration in, messages out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from puente.contracts.common import Line
from puente.contracts.envelope import Message
from puente.contracts.items import ExchangeProposed, ItemUpdated, PracticeProposed
from puente.contracts.people import PersonChanged, PersonJoined, PersonRemoved
from puente.contracts.phases import (
    DeliverableSubmitted,
    ItemClosed,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    PhaseDueDateMoved,
    PhaseOverdue,
    PhaseReturned,
    PhaseStarted,
)
from puente.contracts.rejections import CommandRejected
from puente.contracts.reporting import ReportFile
from puente.i18n import translate
from puente.wiring.city import CityConfig
from puente.wiring.storage import Stored


@dataclass(frozen=True)
class Notification:
    chat_id: int
    kind: str
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()  # rows of (text, callback data)
    document: ReportFile | None = None  # a report's PDF, sent with `text` as its caption


class KnownItem(BaseModel):
    """What the notifier remembers of an exchange or practice, to name it in later messages and reach its
    proposer."""

    model_config = ConfigDict(frozen=True)

    id: str
    reference: str | None = None  # AP-2026-0007
    line: Line
    entity_id: str
    title: str
    proposer_chat_id: int | None
    proposer_language: str = "es"


KNOWN_ITEMS = Stored("items", KnownItem, indexed_by=[("proposer_chat_id",)])
LINE_OF_PROPOSAL = {ExchangeProposed: Line.aprende, PracticeProposed: Line.ensena}


def ref(reference: str | None) -> str:
    """An item's code as the texts put it before the title ("AP-2026-0007 "), or nothing for an item without one."""
    return f"{reference} " if reference else ""


def person_chat_id(message: Message) -> int | None:
    """A person's Telegram user id is their private chat's id; services and unknown actors have none."""
    return int(message.actor.id) if message.actor.id.isdigit() else None


def distinct_chats(chat_ids: Iterable[int], excluding: int | None = None) -> list[int]:
    """Each recipient once, in order, without `excluding` (who already heard it in their own words)."""
    return [chat_id for chat_id in dict.fromkeys(chat_ids) if chat_id != excluding]


def known_item(event: ExchangeProposed | PracticeProposed) -> KnownItem:
    return KnownItem(
        id=str(event.payload.item_id),
        reference=event.payload.reference,
        line=LINE_OF_PROPOSAL[type(event)],
        entity_id=event.payload.entity_id,
        title=event.payload.title,
        proposer_chat_id=person_chat_id(event),
        proposer_language=event.actor.language,
    )


def for_item_proposed(event: ExchangeProposed | PracticeProposed, city: CityConfig) -> list[Notification]:
    """The proposer hears, in their language, that the proposal is registered and which phase it enters."""
    proposer = person_chat_id(event)
    if proposer is None:
        return []
    language = event.actor.language
    first_phase = city.phases_of(LINE_OF_PROPOSAL[type(event)])[0]
    return [Notification(proposer, "proposal-registered", translate(
        "proposal-registered", language, ref=ref(event.payload.reference), title=event.payload.title,
        phase=first_phase.name.in_language(language),
    ))]


def for_process_started(event: PhaseStarted, item: KnownItem, city: CityConfig,
                        coordinators: list[int]) -> list[Notification]:
    """Coordinators hear of a new proposal once its first phase has started, with the due date phases set."""
    if event.payload.phase_number != 1:
        return []
    language = city.city.default_language
    phase = city.phases_of(event.payload.line)[0]
    entity = city.entities.get(item.entity_id)
    due = event.payload.due_on.isoformat() if event.payload.due_on else "—"
    text = translate(
        "coordinator-new-proposal", language,
        entity=entity.name if entity else item.entity_id, line=city.lines[item.line].name.in_language(language),
        ref=ref(item.reference), title=item.title, phase=phase.name.in_language(language), due=due,
    )
    return [
        Notification(chat_id, "coordinator-new-proposal", text)
        for chat_id in distinct_chats(coordinators, excluding=item.proposer_chat_id)
    ]


def for_item_updated(event: ItemUpdated, item: KnownItem) -> list[Notification]:
    """Whoever changed an item hears the change is recorded, in their language."""
    chat_id = person_chat_id(event)
    if chat_id is None:
        return []
    language = event.actor.language
    changed = [field for field, value in event.payload.changes.model_dump().items() if value is not None]
    fields = ", ".join(translate(f"edit-field-{field}", language) for field in changed)
    return [Notification(chat_id, "item-updated", translate("item-updated", language, ref=ref(item.reference),
                                                            title=item.title, fields=fields))]


def for_command_rejected(event: CommandRejected) -> list[Notification]:
    chat_id = person_chat_id(event)
    if chat_id is None:
        return []
    language = event.actor.language
    reason = translate(f"reason-{event.payload.reason}", language)
    return [Notification(chat_id, "command-rejected", translate("command-rejected", language, reason=reason))]


def for_phase_overdue(event: PhaseOverdue, item: KnownItem, city: CityConfig,
                      coordinators: list[int]) -> list[Notification]:
    """The proposer (in their language) and the coordinators (in the city's) hear that a phase is late."""
    phase = next(phase for phase in city.phases_of(item.line) if phase.key == event.payload.phase_key)
    entity = city.entities.get(item.entity_id)

    def text(language: str) -> str:
        return translate(
            "phase-overdue", language, ref=ref(item.reference), title=item.title,
            phase=phase.name.in_language(language),
            entity=entity.name if entity else item.entity_id, due=event.payload.due_on.isoformat(),
            days=event.payload.days_overdue,
        )

    notifications = []
    if item.proposer_chat_id is not None:
        notifications.append(Notification(item.proposer_chat_id, "phase-overdue", text(item.proposer_language)))
    coordinators_text = text(city.city.default_language)
    notifications += [
        Notification(chat_id, "phase-overdue", coordinators_text)
        for chat_id in distinct_chats(coordinators, excluding=item.proposer_chat_id)
    ]
    return notifications


CourseEvent = PhaseStarted | PhaseReturned | PhaseDueDateMoved | ItemOnHold | ItemResumed | ItemWithdrawn | ItemClosed


def course_text(event: CourseEvent, item: KnownItem, city: CityConfig, language: str) -> tuple[str, str]:
    """What an item's course change says, in one language, and its kind."""
    payload = event.payload
    phases = city.phases_of(item.line)
    phase = next((phase for phase in phases if phase.key == payload.phase_key), None)
    named = {"ref": ref(item.reference), "title": item.title}
    where = {"number": payload.phase_number, "phase": phase.name.in_language(language) if phase else "—"}
    due = payload.due_on.isoformat() if payload.due_on else "—"
    if isinstance(event, PhaseStarted):
        return "phase-advanced", translate("phase-advanced", language, **named, **where, done=payload.phase_number - 1,
                                           phases=len(phases), due=due)
    if isinstance(event, PhaseReturned):
        return "phase-returned", translate("phase-returned", language, **named, **where, phases=len(phases), due=due,
                                           note=payload.note)
    if isinstance(event, PhaseDueDateMoved):
        previous = payload.previous_due_on.isoformat() if payload.previous_due_on else "—"
        return "due-date-moved", translate("due-date-moved", language, **named, **where, due=due, previous=previous,
                                           reason=payload.reason)
    if isinstance(event, ItemOnHold):
        return "item-on-hold", translate("item-on-hold", language, **named, **where, reason=payload.reason or "—")
    if isinstance(event, ItemResumed):
        return "item-resumed", translate("item-resumed", language, **named, **where, due=due)
    if isinstance(event, ItemWithdrawn):
        return "item-withdrawn", translate("item-withdrawn", language, **named, reason=payload.reason or "—")
    return "item-closed", translate("item-closed", language, **named, phases=len(phases))


def for_course_changed(event: CourseEvent, item: KnownItem, city: CityConfig,
                       coordinators: list[int]) -> list[Notification]:
    """An item's course changed (a phase completed, a return, a hold, a resumption, a withdrawal, the close): its
    proposer hears it in their language, the coordinators in the city's."""
    notifications = []
    if item.proposer_chat_id is not None:
        notifications.append(Notification(item.proposer_chat_id,
                                          *course_text(event, item, city, item.proposer_language)))
    kind, in_city_language = course_text(event, item, city, city.city.default_language)
    notifications += [Notification(chat_id, kind, in_city_language)
                      for chat_id in distinct_chats(coordinators, excluding=item.proposer_chat_id)]
    return notifications


def for_deliverable_submitted(event: DeliverableSubmitted, item: KnownItem, city: CityConfig,
                              coordinators: list[int]) -> list[Notification]:
    """Whoever filled it in hears it is kept and what is still missing, in their language; once the phase's required
    deliverables are all in, the coordinators hear the phase can be completed."""
    payload = event.payload
    phase = next((phase for phase in city.phases_of(item.line) if phase.key == payload.phase_key), None)
    deliverables = {deliverable.key: deliverable for deliverable in phase.deliverables} if phase else {}

    def name(key: str, language: str) -> str:
        return deliverables[key].name.in_language(language) if key in deliverables else key

    notifications = []
    submitter = person_chat_id(event)
    if submitter is not None:
        language = event.actor.language
        named = {"ref": ref(item.reference), "title": item.title, "deliverable": name(payload.key, language),
                 "number": payload.phase_number}
        if payload.missing:
            missing = ", ".join(name(key, language) for key in payload.missing)
            text = translate("deliverable-kept", language, **named, missing=missing)
        else:
            text = translate("deliverable-kept-all-in", language, **named)
        notifications.append(Notification(submitter, "deliverable-kept", text))
    if not payload.missing:
        language = city.city.default_language
        if item.line is Line.ensena and payload.phase_key == city.ensena.evaluation_phase:
            # A practice's evaluation phase completes once it is selected: the next step is its evaluators.
            text = translate("deliverables-complete-evaluation", language, ref=ref(item.reference), title=item.title,
                             code=item.reference or str(item.id))
        else:
            text = translate("deliverables-complete", language, ref=ref(item.reference), title=item.title,
                             number=payload.phase_number,
                             phase=phase.name.in_language(language) if phase else payload.phase_key,
                             code=item.reference or str(item.id))
        notifications += [Notification(chat_id, "deliverables-complete", text)
                          for chat_id in distinct_chats(coordinators, excluding=submitter)]
    return notifications


def coordinator_chats(directory_coordinators: list[int], city: CityConfig) -> list[int]:
    """Who hears coordinators' alerts: the directory's active coordinators; while it has none (a new city, before
    anyone joined), the chat ids in the city file, which are only that bootstrap."""
    return directory_coordinators or list(city.coordinators.chat_ids)


def for_person_joined(event: PersonJoined, city: CityConfig) -> list[Notification]:
    """The new person hears, in their language, that they are in and with which role."""
    payload = event.payload
    language = payload.language
    role = translate(f"role-{payload.role.value}", language)
    entity = city.entities.get(payload.entity_id) if payload.entity_id else None
    if entity is None:
        text = translate("person-joined", language, name=payload.name, role=role)
    else:
        text = translate("person-joined-for-entity", language, name=payload.name, role=role, entity=entity.name)
    return [Notification(payload.telegram_user_id, "person-joined", text)]


def for_person_removed(event: PersonRemoved) -> list[Notification]:
    """The person removed hears it, in their language; their items stay with their entity."""
    payload = event.payload
    return [Notification(payload.telegram_user_id, "person-removed", translate("person-removed", payload.language))]


def for_person_changed(event: PersonChanged, city: CityConfig) -> list[Notification]:
    """The person hears their new role (and entity), in their language."""
    payload = event.payload
    language = payload.language
    role = translate(f"role-{payload.role.value}", language)
    entity = city.entities.get(payload.entity_id) if payload.entity_id else None
    if entity is None:
        text = translate("person-changed", language, role=role)
    else:
        text = translate("person-changed-for-entity", language, role=role, entity=entity.name)
    return [Notification(payload.telegram_user_id, "person-changed", text)]
