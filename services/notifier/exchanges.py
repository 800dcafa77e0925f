"""Who hears what about a Bogotá Aprende exchange: its entity's team hears a survey is open (and where to get the
link to forward to participants); the coordinators hear of a survey scored low. A commitment's owner hears it is
theirs (with a button to report progress) and finds it on their daily reminders when it falls due and after;
progress takes it off or starts its count again; a blocked commitment reaches the coordinators at once.

Each person reads their messages in their own language; coordinators' alerts are in the city's."""

from __future__ import annotations

from puente.contracts.commitments import (
    CommitmentDue,
    CommitmentOverdue,
    CommitmentRecorded,
    CommitmentStatus,
    CommitmentUpdated,
)
from puente.contracts.common import Line
from puente.contracts.exchanges import (
    AlliesRecorded,
    BudgetLineAdded,
    BudgetLineRemoved,
    ExchangeParticipantsRecorded,
    ExchangePlanned,
    ExpertsRecorded,
    LogisticsAssigned,
    ShortlistRecorded,
)
from puente.contracts.knowledge import CatalogueEntryRecorded
from puente.contracts.surveys import SurveyRequested, SurveyScoredLow, SurveySubmitted
from puente.i18n import decimal, translate
from puente.reasons import reasons_text
from puente.wiring.city import CityConfig
from puente.wiring.transaction import Transaction
from services.notifier import reminders
from services.notifier.messages import KnownItem, Notification, ref
from services.notifier.practices import PracticeNotices

RecordEvent = (ShortlistRecorded | ExchangePlanned | ExpertsRecorded | AlliesRecorded | BudgetLineAdded
               | BudgetLineRemoved | LogisticsAssigned | ExchangeParticipantsRecorded)
RECORD_EVENTS = (ShortlistRecorded, ExchangePlanned, ExpertsRecorded, AlliesRecorded, BudgetLineAdded,
                 BudgetLineRemoved, LogisticsAssigned, ExchangeParticipantsRecorded)
ExchangeEvent = (RecordEvent | SurveyRequested | SurveySubmitted | SurveyScoredLow | CommitmentRecorded | CommitmentDue
                 | CommitmentOverdue | CommitmentUpdated)
EXCHANGE_EVENTS = (*RECORD_EVENTS, SurveyRequested, SurveySubmitted, SurveyScoredLow, CommitmentRecorded, CommitmentDue,
                   CommitmentOverdue, CommitmentUpdated)


MATCH_SHOWN = 180  # a shortlisted entry's line: twenty of them stay well within a Telegram message


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ExchangeNotices:
    """Turns an exchange's events into notifications and reminders; shares PracticeNotices' ways to reach people."""

    def __init__(self, city: CityConfig, reach: PracticeNotices) -> None:
        self.city = city
        self.reach = reach

    def _named(self, item: KnownItem) -> dict[str, str]:
        entity = self.city.entities.get(item.entity_id)
        return {"ref": ref(item.reference), "title": item.title, "entity": entity.name if entity else item.entity_id}

    async def tell(self, event: ExchangeEvent, item: KnownItem, transaction: Transaction,
                   coordinators: list[int]) -> list[Notification] | None:
        """The notifications to send (None: the event only changed someone's reminders, or nothing)."""
        handler = getattr(self, "_" + event.type.replace(".", "_"))
        return await handler(event, item, transaction, coordinators)

    def _phase(self, key: str, language: str) -> str:
        phase = next((phase for phase in self.city.phases_of(Line.aprende) if phase.key == key), None)
        return phase.name.in_language(language) if phase else key

    # --- the shortlist and the record --------------------------------------------------------------------------

    async def _shortlist_recorded(self, event: ShortlistRecorded, item: KnownItem, transaction: Transaction,
                                  coordinators: list[int]) -> list[Notification]:
        """The exchange's team hears the shortlist, with each reason, for its terms of reference."""
        named, payload = self._named(item), event.payload

        def text(language: str) -> str:
            matches = "\n".join(clipped(f"• {match.name} — {reasons_text(match.reasons, self.city, language)}",
                                         MATCH_SHOWN) for match in [*payload.practices, *payload.experts])
            return translate("shortlist-recorded", language, **named, matches=matches,
                             code=item.reference or item.id)

        return self.reach.send("shortlist-recorded", text, self.reach.actor(event), self.reach.proposer(item),
                               await self.reach.team(transaction, item.entity_id))

    def _recorded(self, event: RecordEvent, item: KnownItem, part: str) -> list[Notification]:
        """Whoever changed the record hears it is recorded."""
        named = self._named(item)
        return self.reach.send("record-changed", lambda language: translate(
            "record-changed", language, **named, part=translate(f"record-part-{part}", language),
            code=item.reference or item.id), self.reach.actor(event))

    async def _exchange_planned(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "plan")

    async def _experts_recorded(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "experts")

    async def _allies_recorded(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "allies")

    async def _budget_line_added(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "budget")

    async def _budget_line_removed(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "budget")

    async def _exchange_participants_recorded(self, event, item, transaction, coordinators) -> list[Notification]:
        return self._recorded(event, item, "participants")

    async def _logistics_assigned(self, event: LogisticsAssigned, item: KnownItem, transaction: Transaction,
                                  coordinators: list[int]) -> list[Notification]:
        """The task's owner hears it is theirs (or done); whoever recorded it hears it is recorded."""
        named, payload = self._named(item), event.payload
        reached: set[int] = set()
        told = self.reach.send("logistics-owned", lambda language: translate(
            "logistics-done" if payload.done else "logistics-owned", language, **named,
            task=translate(f"logistics-task-{payload.task.value}", language), code=item.reference or item.id),
            await self._owner(transaction, payload.owner_id), reached=reached)
        return told + self.reach.send("record-changed", lambda language: translate(
            "record-changed", language, **named, part=translate("record-part-logistics", language),
            code=item.reference or item.id), self.reach.actor(event), reached=reached)

    # --- surveys -------------------------------------------------------------------------------------------------

    async def _survey_requested(self, event: SurveyRequested, item: KnownItem, transaction: Transaction,
                                coordinators: list[int]) -> list[Notification]:
        """The exchange's team forwards the link to the participants; the coordinators know it is open."""
        named, payload = self._named(item), event.payload
        return self.reach.send("survey-opened", lambda language: translate(
            "survey-opened", language, **named, phase=self._phase(payload.phase_key, language),
            code=item.reference or item.id), self.reach.proposer(item), await self.reach.team(transaction,
                                                                                              item.entity_id),
            self.reach.coordinating(coordinators))

    async def _survey_submitted(self, event: SurveySubmitted, item: KnownItem, transaction: Transaction,
                                coordinators: list[int]) -> None:
        """An answer reaches nobody: the participant heard the bot's thanks; results are in /encuesta."""
        return None

    async def _survey_scored_low(self, event: SurveyScoredLow, item: KnownItem, transaction: Transaction,
                                 coordinators: list[int]) -> list[Notification]:
        named, payload = self._named(item), event.payload

        def text(language: str) -> str:
            questions = "\n".join(
                f"• {self._question(key, language)}: {decimal(average, language)}"
                for key, average in payload.averages.items())
            return translate("survey-scored-low", language, **named, phase=self._phase(payload.phase_key, language),
                             average=decimal(payload.average, language), answers=payload.answers,
                             threshold=decimal(payload.threshold, language), questions=questions,
                             code=item.reference or item.id)

        return self.reach.send("survey-scored-low", text, self.reach.coordinating(coordinators))

    def _question(self, key: str, language: str) -> str:
        question = self.city.aprende.question(key)
        return question.name.in_language(language) if question else key

    # --- the action plan -----------------------------------------------------------------------------------------

    @staticmethod
    def progress_button(item: KnownItem, number: int, language: str) -> tuple[tuple[tuple[str, str], ...], ...]:
        return (((translate("commitment-progress-button", language), f"cmt:{item.id}:{number}"),),)

    async def _owner(self, transaction: Transaction, owner_id) -> list:
        return list((await self.reach.people(transaction, [str(owner_id)])).values())

    async def _commitment_recorded(self, event: CommitmentRecorded, item: KnownItem, transaction: Transaction,
                                   coordinators: list[int]) -> list[Notification]:
        """The owner hears the commitment is theirs, with a button to report progress; whoever recorded it (if
        someone else) hears it is in the plan."""
        payload, named = event.payload, self._named(item)
        owner = await self._owner(transaction, payload.owner_id)
        reached: set[int] = set()
        terms = {"number": payload.number, "action": payload.action, "due": payload.due_on.isoformat(),
                 "indicator": payload.indicator, "target": payload.target}
        told = [Notification(recipient.chat_id, "commitment-owned",
                             translate("commitment-owned", recipient.language, **named, **terms),
                             self.progress_button(item, payload.number, recipient.language))
                for recipient in owner]
        reached.update(recipient.chat_id for recipient in owner)
        return [*told, *self.reach.send("commitment-recorded", lambda language: translate(
            "commitment-recorded", language, **named, **terms), self.reach.actor(event), reached=reached)]

    async def _commitment_due(self, event: CommitmentDue | CommitmentOverdue, item: KnownItem,
                              transaction: Transaction, coordinators: list[int]) -> None:
        """On the owner's daily list (grouped, in working hours), with its progress button."""
        payload = event.payload
        for recipient in await self._owner(transaction, payload.owner_id):
            await reminders.keep_commitment_on_list(transaction, item, (recipient.chat_id, recipient.language),
                                                    payload.number, payload.action, payload.due_on)
        return None

    _commitment_overdue = _commitment_due

    async def _commitment_updated(self, event: CommitmentUpdated, item: KnownItem, transaction: Transaction,
                                  coordinators: list[int]) -> list[Notification]:
        """Progress answers the reminders (done: off the list); a blocked commitment alerts the coordinators; the
        owner hears of progress someone else reported."""
        payload, named = event.payload, self._named(item)
        await reminders.commitment_answered(transaction, item.id, payload.number,
                                            done=payload.status is CommitmentStatus.done)

        def text(language: str) -> str:
            return translate("commitment-updated", language, **named, number=payload.number,
                             status=translate(f"commitment-status-{payload.status.value}", language),
                             percent=payload.progress_percent, note=payload.note or "—")

        reached: set[int] = set()
        told = self.reach.send("commitment-updated", text, self.reach.actor(event),
                               await self._owner(transaction, payload.owner_id), reached=reached)
        if payload.status is CommitmentStatus.blocked:
            told += self.reach.send("commitment-blocked", lambda language: translate(
                "commitment-blocked", language, **named, number=payload.number, note=payload.note or "—",
                code=item.reference or item.id), self.reach.coordinating(coordinators), reached=reached)
        return told


def for_catalogue_entry(event: CatalogueEntryRecorded, reach: PracticeNotices) -> list[Notification]:
    """Whoever recorded an entry from chat hears it is in the catalogue (the file's loader has no chat)."""
    entry = event.payload.entry
    name = entry.title if entry.kind == "practice" else entry.name
    return reach.send("catalogue-recorded", lambda language: translate(
        "catalogue-recorded" if event.payload.created else "catalogue-corrected", language, name=name),
        reach.actor(event))
