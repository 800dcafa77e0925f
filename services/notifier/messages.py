"""Who is told what, for each event. Pure functions: an event and the city's configuration in, messages out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from puente.contracts.envelope import Message
from puente.contracts.events import CommandRejected, ExchangeProposed, Line, PracticeProposed
from puente.i18n import translate
from puente.wiring.city import CityConfig


@dataclass(frozen=True)
class Notification:
    chat_id: int
    kind: str
    text: str


def person_chat_id(message: Message) -> int | None:
    """A person's Telegram user id is their private chat's id; services and unknown actors have none."""
    return int(message.actor.id) if message.actor.id.isdigit() else None


def for_item_proposed(event: ExchangeProposed | PracticeProposed, city: CityConfig, today: date) -> list[Notification]:
    line = Line.aprende if isinstance(event, ExchangeProposed) else Line.ensena
    first_phase = city.phases_of(line)[0]
    entity = city.entities.get(event.payload.entity_id)
    entity_name = entity.name if entity else event.payload.entity_id
    due = (today + timedelta(days=first_phase.duration_days)).isoformat()
    notifications = []
    proposer = person_chat_id(event)
    if proposer is not None:
        language = event.actor.language
        notifications.append(Notification(proposer, "proposal-registered", translate(
            "proposal-registered", language, title=event.payload.title, phase=first_phase.name.in_language(language),
        )))
    coordinator_language = city.city.default_language
    for chat_id in city.coordinators.chat_ids:
        if chat_id == proposer:
            continue
        notifications.append(Notification(chat_id, "coordinator-new-proposal", translate(
            "coordinator-new-proposal", coordinator_language,
            entity=entity_name, line=translate(f"line-{line.value}", coordinator_language),
            title=event.payload.title, phase=first_phase.name.in_language(coordinator_language), due=due,
        )))
    return notifications


def for_command_rejected(event: CommandRejected) -> list[Notification]:
    chat_id = person_chat_id(event)
    if chat_id is None:
        return []
    language = event.actor.language
    reason = translate(f"reason-{event.payload.reason.value}", language)
    return [Notification(chat_id, "command-rejected", translate("command-rejected", language, reason=reason))]
