"""Who hears what about a Bogotá Enseña practice: its evaluators, its entity, its companions and the coordinators.

Each person reads their messages in their own language; coordinators' alerts are in the city's. Evaluators who
have not scored by the evaluation phase's due date join everyone's daily reminders (reminders.py), and a slipped
milestone reaches the practice's team (the entity's people) and the coordinators, each once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, ConfigDict

from puente.contracts.collaboration import (
    CollaborationAssigned,
    CollaborationCapacityExhausted,
    CollaborationClosed,
    CollaborationRequested,
    CompanionsNamed,
)
from puente.contracts.common import Line
from puente.contracts.evaluation import EvaluatorsAssigned, PracticeDecided, ScorecardSubmitted
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneReached,
    ParticipantsRecorded,
    PromotionPlanned,
    PromotionRecorded,
    SystematizationScheduled,
    SystematizationSlipped,
)
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.notifier import reminders
from services.notifier.messages import KnownItem, Notification, distinct_chats, person_chat_id, ref

PracticeEvent = (EvaluatorsAssigned | ScorecardSubmitted | PracticeDecided | SystematizationScheduled | MilestoneMoved
                 | MilestoneReached | SystematizationSlipped | ParticipantsRecorded | PromotionPlanned
                 | PromotionRecorded | CompanionsNamed | CollaborationRequested | CollaborationAssigned
                 | CollaborationCapacityExhausted | CollaborationClosed)
PRACTICE_EVENTS = (EvaluatorsAssigned, ScorecardSubmitted, PracticeDecided, SystematizationScheduled, MilestoneMoved,
                   MilestoneReached, SystematizationSlipped, ParticipantsRecorded, PromotionPlanned,
                   PromotionRecorded, CompanionsNamed, CollaborationRequested, CollaborationAssigned,
                   CollaborationCapacityExhausted, CollaborationClosed)


class Recipient(BaseModel):
    """A person the notifier can reach: their chat and language."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    language: str


class WaitingScorecards(BaseModel):
    """A practice's evaluators who have not scored yet (by person id), and when the scorecards are due."""

    model_config = ConfigDict(frozen=True)

    id: str  # the item's id
    assigned: list[str]
    pending: list[str]
    due_on: date | None = None


class KnownRequest(BaseModel):
    """A collaboration request as its messages name it (who asks, from where, for what): no person's data."""

    model_config = ConfigDict(frozen=True)

    id: str
    item_id: str
    requester: str
    city: str
    country: str
    kind: str
    description: str


WAITING_SCORECARDS = Stored("waiting_scorecards", WaitingScorecards)
KNOWN_REQUESTS = Stored("collaboration_requests", KnownRequest)
DESCRIPTION_SHOWN = 600  # a request's description in the companion's message, cut to this


class PracticeNotices:
    """Turns a practice's events into notifications; `people` finds a person's chat, `team` an entity's people."""

    def __init__(self, city: CityConfig, clock: Clock, people, team) -> None:
        self.city = city
        self.clock = clock
        self.people = people  # async (transaction, person ids) -> {person id: Recipient}
        self.team = team  # async (transaction, entity id) -> [Recipient]

    def _named(self, item: KnownItem) -> dict[str, str]:
        entity = self.city.entities.get(item.entity_id)
        return {"ref": ref(item.reference), "title": item.title, "entity": entity.name if entity else item.entity_id}

    @staticmethod
    def _code(item: KnownItem) -> str:
        return item.reference or item.id

    def _milestone(self, key: str, language: str) -> str:
        milestone = self.city.ensena.milestone(key)
        return milestone.name.in_language(language) if milestone else key

    @staticmethod
    def actor(event) -> list[Recipient]:
        """Whoever did it, in their language (a service has no chat)."""
        chat_id = person_chat_id(event)
        return [] if chat_id is None else [Recipient(chat_id=chat_id, language=event.actor.language)]

    @staticmethod
    def proposer(item: KnownItem) -> list[Recipient]:
        if item.proposer_chat_id is None:
            return []
        return [Recipient(chat_id=item.proposer_chat_id, language=item.proposer_language)]

    def coordinating(self, coordinators: list[int]) -> list[Recipient]:
        """The coordinators, in the city's language."""
        return [Recipient(chat_id=chat_id, language=self.city.city.default_language)
                for chat_id in distinct_chats(coordinators)]

    @staticmethod
    def send(kind: str, text: Callable[[str], str], *groups: list[Recipient],
             reached: set[int] | None = None) -> list[Notification]:
        """One notification per person of these groups, in their language, skipping anyone `reached` already (and
        adding whoever it reaches to it)."""
        reached = set() if reached is None else reached
        notifications = []
        for recipient in (recipient for group in groups for recipient in group):
            if recipient.chat_id not in reached:
                reached.add(recipient.chat_id)
                notifications.append(Notification(recipient.chat_id, kind, text(recipient.language)))
        return notifications

    async def tell(self, event: PracticeEvent, item: KnownItem, transaction: Transaction,
                   coordinators: list[int]) -> list[Notification]:
        handler = getattr(self, "_" + event.type.replace(".", "_"))
        return await handler(event, item, transaction, coordinators)

    # --- evaluation ------------------------------------------------------------------------------------------------

    async def _evaluators_assigned(self, event: EvaluatorsAssigned, item: KnownItem, transaction: Transaction,
                                   coordinators: list[int]) -> list[Notification]:
        """Each evaluator still to score hears what to do and by when; the entity hears it has a team."""
        payload = event.payload
        evaluator_ids = [str(evaluator) for evaluator in payload.evaluator_ids]
        waiting = transaction.collection(WAITING_SCORECARDS)
        before = await waiting.get(item.id)
        scored = set(before.assigned) - set(before.pending) if before else set()
        still = [evaluator for evaluator in evaluator_ids if evaluator not in scored]
        await waiting.save(WaitingScorecards(id=item.id, assigned=evaluator_ids, pending=still, due_on=payload.due_on))
        await self._off_reminders(transaction, item, sorted(set(before.pending if before else []) - set(still)))
        await self._remind_if_due_soon(transaction, item, payload.due_on)
        named, due, code = self._named(item), payload.due_on.isoformat() if payload.due_on else "—", self._code(item)
        evaluators = list((await self.people(transaction, still)).values())
        reached: set[int] = set()
        return [
            *self.send("evaluation-assigned", lambda language: translate(
                "evaluation-assigned-evaluator", language, **named, due=due, code=code), evaluators, reached=reached),
            *self.send("evaluation-assigned-entity", lambda language: translate(
                "evaluation-assigned-entity", language, **named, count=len(evaluator_ids), due=due),
                self.proposer(item), await self.team(transaction, item.entity_id), reached=reached),
            *self.send("evaluation-assigned-confirmed", lambda language: translate(
                "evaluation-assigned-confirmed", language, **named, count=len(evaluator_ids)),
                self.actor(event), reached=reached),
        ]

    async def _off_reminders(self, transaction: Transaction, item: KnownItem, person_ids: list[str]) -> None:
        for recipient in (await self.people(transaction, person_ids)).values():
            await reminders.take_off(transaction, recipient.chat_id, item.id)

    async def _remind_if_due_soon(self, transaction: Transaction, item: KnownItem, due_on: date | None) -> None:
        """A team assigned when the scorecards are already due soon (or late) joins the reminders at once: the
        phase's own reminder was announced before they were there."""
        if due_on is None:
            return
        today = self.city.city.local_date(self.clock())
        if (due_on - today).days <= self.city.calendar.due_soon_days:
            keys = [phase.key for phase in self.city.phases_of(Line.ensena)]
            phase_key = self.city.ensena.evaluation_phase
            await self.remind_evaluators(transaction, item, keys.index(phase_key) + 1, phase_key, due_on)

    async def remind_evaluators(self, transaction: Transaction, item: KnownItem, phase_number: int, phase_key: str,
                                due_on: date) -> int:
        """The evaluation phase is due soon or late: evaluators who have not scored join the daily reminders."""
        waiting = await transaction.collection(WAITING_SCORECARDS).get(item.id)
        if waiting is None or phase_key != self.city.ensena.evaluation_phase:
            return 0
        listed = 0
        for recipient in (await self.people(transaction, waiting.pending)).values():
            listed += await reminders.keep_on_list(
                transaction, item, phase_number, phase_key, due_on,
                chat=(recipient.chat_id, recipient.language), kind="scorecard")
        return listed

    async def _scorecard_submitted(self, event: ScorecardSubmitted, item: KnownItem, transaction: Transaction,
                                   coordinators: list[int]) -> list[Notification]:
        """The evaluator hears it is kept; once every scorecard is in, the coordinators hear a decision waits."""
        payload = event.payload
        waiting = transaction.collection(WAITING_SCORECARDS)
        kept = await waiting.get(item.id)
        if kept is not None:
            await waiting.save(kept.model_copy(update={
                "pending": [evaluator for evaluator in kept.pending if evaluator != str(payload.evaluator_id)]}))
        await self._off_reminders(transaction, item, [str(payload.evaluator_id)])
        named, reached = self._named(item), set()
        notifications = self.send("scorecard-kept", lambda language: translate(
            "scorecard-kept", language, **named, waiting=payload.waiting_for), self.actor(event), reached=reached)
        if payload.waiting_for == 0:
            notifications += self.send("scorecards-complete", lambda language: translate(
                "scorecards-complete", language, **named, code=self._code(item)),
                self.coordinating(coordinators), reached=reached)
        return notifications

    def scores_text(self, averages: dict[str, float], language: str) -> str:
        lines = [f"• {criterion.name.in_language(language)}: {decimal(averages[criterion.key], language)}"
                 for criterion in self.city.ensena.criteria if criterion.key in averages]
        return "\n".join(lines) or "—"

    async def _practice_decided(self, event: PracticeDecided, item: KnownItem, transaction: Transaction,
                                coordinators: list[int]) -> list[Notification]:
        """The entity (its proposer and team) and the coordinators hear the decision with the average scores."""
        payload = event.payload
        waiting = transaction.collection(WAITING_SCORECARDS)
        team = await waiting.get(item.id)
        await reminders.take_off_list(transaction, item.id)
        rescoring: list[Recipient] = []
        if payload.decision.value == "more_information" and team is not None:
            # The evaluators score again once the entity has added what was missing.
            # They are reminded again with the phase's next due-soon or late step, not at once: the entity first
            # adds what was missing.
            await waiting.save(team.model_copy(update={"pending": list(team.assigned)}))
            rescoring = list((await self.people(transaction, team.assigned)).values())
        else:
            await waiting.delete(item.id)
        named = self._named(item)
        scale = f"{self.city.ensena.scale_min}–{self.city.ensena.scale_max}"

        def text(language: str) -> str:
            return translate(f"practice-decided-{payload.decision.value}", language, **named, scale=scale,
                             scores=self.scores_text(payload.averages, language),
                             overall=decimal(payload.overall, language),
                             note=payload.note or "—")

        reached: set[int] = set()
        return [
            *self.send("practice-decided", text, self.proposer(item), await self.team(transaction, item.entity_id),
                       self.coordinating(coordinators), reached=reached),
            *self.send("evaluation-rescore", lambda language: translate(
                "evaluation-rescore", language, **named, note=payload.note or "—", code=self._code(item)),
                rescoring, reached=reached),
        ]

    # --- systematization ------------------------------------------------------------------------------------------

    async def _systematization_scheduled(self, event: SystematizationScheduled, item: KnownItem,
                                         transaction: Transaction, coordinators: list[int]) -> list[Notification]:
        """The practice's team hears its schedule."""
        named = self._named(item)

        def text(language: str) -> str:
            schedule = "\n".join(f"• {milestone.due_on.isoformat()} — {self._milestone(milestone.key, language)}"
                                  for milestone in event.payload.milestones)
            return translate("systematization-scheduled", language, **named, milestones=schedule,
                             code=self._code(item))

        return self.send("systematization-scheduled", text, self.proposer(item),
                         await self.team(transaction, item.entity_id))

    async def _milestone_moved(self, event: MilestoneMoved, item: KnownItem, transaction: Transaction,
                               coordinators: list[int]) -> list[Notification]:
        """The practice's team hears the new date and why; the coordinator who moved it, that it is done."""
        payload, named, reached = event.payload, self._named(item), set()
        due = payload.due_on.isoformat()
        return [
            *self.send("milestone-moved", lambda language: translate(
                "milestone-moved", language, **named, milestone=self._milestone(payload.key, language), due=due,
                previous=payload.previous_due_on.isoformat(), reason=payload.reason),
                self.proposer(item), await self.team(transaction, item.entity_id), reached=reached),
            *self.send("milestone-moved-confirmed", lambda language: translate(
                "milestone-moved-confirmed", language, **named, milestone=self._milestone(payload.key, language),
                due=due), self.actor(event), reached=reached),
        ]

    async def _milestone_reached(self, event: MilestoneReached, item: KnownItem, transaction: Transaction,
                                 coordinators: list[int]) -> list[Notification]:
        payload, named = event.payload, self._named(item)

        def text(language: str) -> str:
            pending = ", ".join(self._milestone(key, language) for key in payload.pending)
            return translate("milestone-reached", language, **named,
                             milestone=self._milestone(payload.key, language), pending=pending or "—")

        return self.send("milestone-reached", text, self.actor(event), self.proposer(item),
                         await self.team(transaction, item.entity_id), self.coordinating(coordinators))

    async def _systematization_slipped(self, event: SystematizationSlipped, item: KnownItem,
                                       transaction: Transaction, coordinators: list[int]) -> list[Notification]:
        """The practice's team (its proposer and its entity's people) and the coordinators, each once."""
        payload, named = event.payload, self._named(item)

        def text(language: str) -> str:
            return translate("systematization-slipped", language, **named,
                             milestone=self._milestone(payload.key, language), due=payload.due_on.isoformat(),
                             days=payload.days_late, code=self._code(item))

        return self.send("systematization-slipped", text, self.proposer(item),
                         await self.team(transaction, item.entity_id), self.coordinating(coordinators))

    async def _participants_recorded(self, event: ParticipantsRecorded, item: KnownItem, transaction: Transaction,
                                     coordinators: list[int]) -> list[Notification]:
        named, total = self._named(item), sum(event.payload.counts.values())
        return self.send("participants-recorded", lambda language: translate(
            "participants-recorded", language, **named, total=total), self.actor(event))

    # --- promotion ------------------------------------------------------------------------------------------------

    async def _promotion_planned(self, event: PromotionPlanned, item: KnownItem, transaction: Transaction,
                                 coordinators: list[int]) -> list[Notification]:
        payload, named = event.payload, self._named(item)
        return self.send("promotion-planned", lambda language: translate(
            "promotion-planned", language, **named, channel=translate(f"channel-{payload.channel.value}", language),
            name=payload.name, due=payload.target_on.isoformat()), self.actor(event))

    async def _promotion_recorded(self, event: PromotionRecorded, item: KnownItem, transaction: Transaction,
                                  coordinators: list[int]) -> list[Notification]:
        """Whoever recorded it, and the coordinators: the program counts these."""
        payload, named = event.payload, self._named(item)
        return self.send("promotion-recorded", lambda language: translate(
            "promotion-recorded", language, **named, channel=translate(f"channel-{payload.channel.value}", language),
            name=payload.name, held=payload.held_on.isoformat(), place=f"{payload.city}, {payload.country}",
            audience=payload.audience), self.actor(event), self.coordinating(coordinators))

    # --- companions and collaboration requests -------------------------------------------------------------------

    async def _companions_named(self, event: CompanionsNamed, item: KnownItem, transaction: Transaction,
                                coordinators: list[int]) -> list[Notification]:
        companions = await self.people(transaction, [str(person) for person in event.payload.companion_ids])
        named, reached = self._named(item), set()
        return [
            *self.send("companion-named", lambda language: translate(
                "companion-named", language, **named, code=self._code(item)), list(companions.values()),
                reached=reached),
            *self.send("companions-named", lambda language: translate(
                "companions-named", language, **named, count=len(event.payload.companion_ids)), self.actor(event),
                reached=reached),
        ]

    def _request(self, request: KnownRequest | None, language: str) -> dict:
        """Who asks, from where and for what, as the messages about a request name it."""
        if request is None:
            return {"requester": "—", "place": "—", "kind": "—"}
        return {"requester": request.requester, "place": f"{request.city}, {request.country}",
                "kind": translate(f"request-kind-{request.kind}", language)}

    async def _collaboration_requested(self, event: CollaborationRequested, item: KnownItem,
                                       transaction: Transaction, coordinators: list[int]) -> list[Notification]:
        """The coordinator who registered it, and the practice's entity, which someone abroad is asking about."""
        payload, named, reached = event.payload, self._named(item), set()
        request = KnownRequest(id=str(payload.request_id), item_id=item.id, requester=payload.requester,
                               city=payload.city, country=payload.country, kind=payload.kind.value,
                               description=payload.description)
        await transaction.collection(KNOWN_REQUESTS).save(request)
        return [
            *self.send("collaboration-requested", lambda language: translate(
                "collaboration-requested", language, **named, **self._request(request, language)),
                self.actor(event), reached=reached),
            *self.send("collaboration-requested-entity", lambda language: translate(
                "collaboration-requested-entity", language, **named, **self._request(request, language)),
                self.proposer(item), reached=reached),
        ]

    async def _collaboration_assigned(self, event: CollaborationAssigned, item: KnownItem, transaction: Transaction,
                                      coordinators: list[int]) -> list[Notification]:
        """The companion hears the whole request; whoever caused the assignment, that it is given."""
        payload, named, reached = event.payload, self._named(item), set()
        request = await transaction.collection(KNOWN_REQUESTS).get(str(payload.request_id))
        companion = list((await self.people(transaction, [str(payload.companion_id)])).values())
        description = request.description if request else "—"
        if len(description) > DESCRIPTION_SHOWN:
            description = description[:DESCRIPTION_SHOWN - 1] + "…"
        return [
            *self.send("collaboration-assigned-companion", lambda language: translate(
                "collaboration-assigned-companion", language, **named, **self._request(request, language),
                description=description, open=payload.open_requests, capacity=self.city.ensena.companion_capacity),
                companion, reached=reached),
            *self.send("collaboration-assigned", lambda language: translate(
                "collaboration-assigned", language, **named, **self._request(request, language),
                open=payload.open_requests, capacity=self.city.ensena.companion_capacity), self.actor(event),
                reached=reached),
        ]

    async def _collaboration_capacity_exhausted(self, event: CollaborationCapacityExhausted, item: KnownItem,
                                                transaction: Transaction,
                                                coordinators: list[int]) -> list[Notification]:
        """The coordinators' alert: the request waits in the queue."""
        payload, named = event.payload, self._named(item)
        request = await transaction.collection(KNOWN_REQUESTS).get(str(payload.request_id))
        return self.send("collaboration-capacity-exhausted", lambda language: translate(
            "collaboration-capacity-exhausted", language, **named, **self._request(request, language),
            companions=payload.companions, waiting=payload.waiting, capacity=self.city.ensena.companion_capacity),
            self.coordinating(coordinators))

    async def _collaboration_closed(self, event: CollaborationClosed, item: KnownItem, transaction: Transaction,
                                    coordinators: list[int]) -> list[Notification]:
        payload, named = event.payload, self._named(item)
        request = await transaction.collection(KNOWN_REQUESTS).get(str(payload.request_id))
        companion = list((await self.people(transaction, [str(payload.companion_id)])).values()) \
            if payload.companion_id else []
        return self.send("collaboration-closed", lambda language: translate(
            "collaboration-closed", language, **named, **self._request(request, language),
            outcome=translate(f"request-outcome-{payload.outcome.value}", language)), self.actor(event), companion)
