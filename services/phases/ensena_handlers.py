"""Phases' handlers for Bogotá Enseña's commands: evaluation, systematization, promotion, companions and
collaboration requests. Each command is authorized against phases' own directory, decided by `ensena`'s rules and
announced in the command's transaction; a refusal is announced instead, and nothing changes.

Collaboration requests are kept apart from the practices (`collaboration_requests`), and each companion's open
requests in `companion_loads`, saved under optimistic concurrency: two replicas assigning the same companion at
once cannot both take their last free place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from puente.contracts.collaboration import (
    AssignCollaboration,
    CloseCollaboration,
    CollaborationAssigned,
    CollaborationCapacityExhausted,
    CollaborationClosed,
    CollaborationRequested,
    CompanionsNamed,
    NameCompanions,
    RequestCollaboration,
)
from puente.contracts.envelope import Message
from puente.contracts.evaluation import (
    AssignEvaluators,
    DecidePractice,
    EvaluatorsAssigned,
    PracticeDecided,
    ScorecardSubmitted,
    ScorePractice,
)
from puente.contracts.people import PersonForgotten, PersonRemoved
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneReached,
    MoveMilestone,
    ParticipantsRecorded,
    PlanPromotion,
    PromotionPlanned,
    PromotionRecorded,
    RecordParticipants,
    RecordPromotion,
    ReportMilestone,
    SystematizationScheduled,
    SystematizationSlipped,
)
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.storage import AlreadyStored, Stored
from puente.wiring.transaction import RetryLater, Transaction
from services.phases import domain, ensena
from services.phases.handlers import PEOPLE, PROCESSES, Steerer, acting_person, ensena_rules

log = get_logger(__name__)

REQUESTS = Stored("collaboration_requests", ensena.CollaborationRequest, indexed_by=[("status",), ("item_id",),
                                                                                      ("companion_id",)])
LOADS = Stored("companion_loads", ensena.CompanionLoad)

ANNOUNCES = (EvaluatorsAssigned, ScorecardSubmitted, PracticeDecided, SystematizationScheduled, MilestoneMoved,
             MilestoneReached, SystematizationSlipped, ParticipantsRecorded, PromotionPlanned, PromotionRecorded,
             CompanionsNamed, CollaborationRequested, CollaborationAssigned, CollaborationCapacityExhausted,
             CollaborationClosed)

PracticeCommand = (AssignEvaluators | ScorePractice | DecidePractice | MoveMilestone | ReportMilestone
                   | RecordParticipants | PlanPromotion | RecordPromotion | NameCompanions)
Refuse = Callable[[Message, PhasesRejectionReason, Transaction], Awaitable[str]]


class EnsenaHandlers:
    def __init__(self, topics: Topics, city: CityConfig, refuse: Refuse, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.rules = ensena_rules(city)
        self.refuse = refuse
        self.clock = clock

    def command_routes(self) -> Routes:
        return {AssignEvaluators: self.on_practice, ScorePractice: self.on_practice, DecidePractice: self.on_practice,
                MoveMilestone: self.on_practice, ReportMilestone: self.on_practice,
                RecordParticipants: self.on_practice, PlanPromotion: self.on_practice,
                RecordPromotion: self.on_practice, NameCompanions: self.on_practice,
                RequestCollaboration: self.request_collaboration, AssignCollaboration: self.assign_collaboration,
                CloseCollaboration: self.close_collaboration}

    async def _people(self, transaction: Transaction, ids) -> dict[str, Steerer]:
        people = transaction.collection(PEOPLE)
        found = {str(person_id): await people.get(str(person_id)) for person_id in ids}
        return {person_id: person for person_id, person in found.items() if person is not None}

    async def _announce(self, transaction: Transaction, events: list[Message]) -> None:
        for event in events:
            await transaction.announce(self.topics.phase_events, event)

    # --- a practice's evaluation, systematization, promotion and companions -------------------------------------

    async def on_practice(self, command: PracticeCommand, transaction: Transaction) -> str:
        processes = transaction.collection(PROCESSES)
        process = await processes.get(str(command.payload.item_id))
        now = self.clock()
        today = self.city.city.local_date(now)
        waiting: list[ensena.CollaborationRequest] = []
        try:
            acting = await acting_person(command, transaction)
            if isinstance(command, AssignEvaluators):
                evaluators = await self._people(transaction, command.payload.evaluator_ids)
                changed, events = ensena.assign_evaluators(process, command, acting, evaluators, self.rules, now)
            elif isinstance(command, ScorePractice):
                changed, events = ensena.score(process, command, acting, self.rules, now)
            elif isinstance(command, DecidePractice):
                changed, events = ensena.decide(process, command, acting, self.rules, now)
            elif isinstance(command, MoveMilestone):
                changed, events = ensena.move_milestone(process, command, acting, today, now)
            elif isinstance(command, ReportMilestone):
                changed, events = ensena.report_milestone(process, command, acting, today, now)
            elif isinstance(command, RecordParticipants):
                changed, events = ensena.record_participants(process, command, acting, now)
            elif isinstance(command, PlanPromotion):
                changed, events = ensena.plan_promotion(process, command, acting, today, now)
            elif isinstance(command, RecordPromotion):
                changed, events = ensena.record_promotion(process, command, acting, today, now)
            else:
                people = await self._people(transaction, command.payload.companion_ids)
                changed, events = ensena.name_companions(process, command, acting, people, now)
                waiting = await transaction.collection(REQUESTS).find(item_id=changed.id, status="waiting")
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await processes.save(changed)
        await self._announce(transaction, events)
        for registered in sorted(waiting, key=lambda kept: (kept.requested_at, kept.id)):
            if not await self._assign_free(registered, changed, command, transaction, now, alert=False):
                break  # the new companions are full too: the rest keep waiting
        log.info("practice changed", command_type=command.type, item_id=str(command.payload.item_id),
                 events=[event.type for event in events])
        return "applied"

    # --- collaboration requests -----------------------------------------------------------------------------------

    async def request_collaboration(self, command: RequestCollaboration, transaction: Transaction) -> str:
        """Register the request, then give it to a companion of the practice with free capacity, or alert the
        coordinators that nobody has any: it waits in the queue."""
        process = await transaction.collection(PROCESSES).get(str(command.payload.item_id))
        now = self.clock()
        try:
            acting = await acting_person(command, transaction)
            registered, requested = ensena.request(process, command, acting, now)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        requests = transaction.collection(REQUESTS)
        if await requests.get(registered.id) is not None:  # the same request registered by another command
            return await self.refuse(command, PhasesRejectionReason.already_registered, transaction)
        await requests.add(registered)
        await self._announce(transaction, [requested])
        await self._assign_free(registered, process, command, transaction, now, alert=True)
        log.info("collaboration requested", request_id=registered.id, item_id=registered.item_id)
        return "applied"

    async def _load(self, transaction: Transaction, companion_id: str) -> ensena.CompanionLoad:
        return await transaction.collection(LOADS).get(companion_id) or ensena.CompanionLoad(id=companion_id)

    async def _save_load(self, transaction: Transaction, before: ensena.CompanionLoad,
                         after: ensena.CompanionLoad) -> None:
        loads = transaction.collection(LOADS)
        if before.revision == 0 and await loads.get(before.id) is None:
            try:
                await loads.add(after)
            except AlreadyStored as taken:
                raise RetryLater(f"companion {before.id}'s load created meanwhile") from taken
        elif not await loads.save(after, expected_revision=before.revision):
            raise RetryLater(f"companion {before.id}'s load changed meanwhile")

    async def _assign_free(self, registered: ensena.CollaborationRequest, process: domain.Process,
                           cause: Message, transaction: Transaction, now: datetime, alert: bool) -> bool:
        """Give a waiting request to the practice's least busy active companion with capacity; when all are full,
        say so to the coordinators (`alert`) and leave it waiting. Returns whether it was assigned."""
        named = process.practice.companions if process.practice else []
        active = await self._people(transaction, named)
        companions = [companion for companion in named if companion in active and active[companion].active]
        loads = {companion: await self._load(transaction, companion) for companion in companions}
        chosen = ensena.free_companion(companions, loads, self.rules.companion_capacity)
        if chosen is None:
            # Every load read is written back as read: a replica freeing one of these companions at the same time
            # conflicts with this transaction, so one of the two starts again and sees the other's work (else the
            # request could wait while its companion has room).
            for load in loads.values():
                await self._save_load(transaction, load, load.model_copy(update={"revision": load.revision + 1}))
            if alert:
                waiting = await transaction.collection(REQUESTS).find(status="waiting")
                await self._announce(transaction, [ensena.capacity_exhausted(
                    registered, len(companions), len(waiting), cause, process.city, now)])
            return False
        assigned, taken, event = ensena.assign(registered, chosen, loads[chosen], cause, process.city, now,
                                               self.rules.companion_capacity)
        await self._save_load(transaction, loads[chosen], taken)
        await transaction.collection(REQUESTS).save(assigned)
        await self._announce(transaction, [event])
        return True

    # --- a companion who leaves --------------------------------------------------------------------------------

    def people_routes(self, directory: Routes) -> Routes:
        """Phases' directory routes, where a companion removed or forgotten also hands their open requests back:
        each goes to another companion of its practice with capacity, or waits (and the coordinators hear it)."""
        async def left(event: PersonRemoved | PersonForgotten, transaction: Transaction) -> str:
            outcome = await directory[type(event)](event, transaction)
            handed_back = await self.companion_left(str(event.payload.person_id), event, transaction)
            return "applied" if handed_back else outcome

        return {**directory, PersonRemoved: left, PersonForgotten: left}

    async def companion_left(self, person_id: str, cause: Message, transaction: Transaction) -> int:
        requests = transaction.collection(REQUESTS)
        held = [kept for kept in await requests.find(companion_id=person_id) if kept.status == "assigned"]
        # Written even when they hold nothing: a request being given to them at this moment writes this load too,
        # so one of the two starts again (else the request would go to someone who has left, and stay there).
        load = await self._load(transaction, person_id)
        await self._save_load(transaction, load, load.model_copy(update={"open_requests": [],
                                                                         "revision": load.revision + 1}))
        if not held:
            if load.revision == 0:  # they never had a load: the record written above is not kept (still a write)
                await transaction.collection(LOADS).delete(person_id)
            return 0
        processes = transaction.collection(PROCESSES)
        now = self.clock()
        for registered in sorted(held, key=lambda kept: (kept.requested_at, kept.id)):
            waiting = registered.model_copy(update={"status": "waiting", "companion_id": None})
            await requests.save(waiting)
            process = await processes.get(registered.item_id)
            if process is not None:
                await self._assign_free(waiting, process, cause, transaction, now, alert=True)
        log.info("companion's requests handed back", requests=len(held))
        return len(held)

    async def assign_collaboration(self, command: AssignCollaboration, transaction: Transaction) -> str:
        """A coordinator gives a request to a companion of its practice, within the companion's capacity; the
        earlier companion, if any, is freed."""
        process = await transaction.collection(PROCESSES).get(str(command.payload.item_id))
        requests = transaction.collection(REQUESTS)
        registered = await requests.get(str(command.payload.request_id))
        now = self.clock()
        companion_id = str(command.payload.companion_id)
        try:
            acting = await acting_person(command, transaction)
            ensena.may_assign(process, command, acting)
            companion = (await self._people(transaction, [companion_id])).get(companion_id)
            if companion is None or not companion.active:
                raise domain.Refused(PhasesRejectionReason.not_a_companion)
            if registered is None or registered.item_id != process.id:
                raise domain.Refused(PhasesRejectionReason.unknown_request)
            load = await self._load(transaction, companion_id)
            assigned, taken, event = ensena.assign(registered, companion_id, load, command, process.city, now,
                                                   self.rules.companion_capacity)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await self._save_load(transaction, load, taken)
        await requests.save(assigned)
        await self._announce(transaction, [event])
        if registered.companion_id not in (None, companion_id):
            await self._release(transaction, registered.companion_id, registered.id)
            await self._offer_freed_place(registered.companion_id, command, transaction, now)
        return "applied"

    async def _release(self, transaction: Transaction, companion_id: str, request_id: str) -> None:
        load = await self._load(transaction, companion_id)
        freed = load.model_copy(update={"open_requests": [kept for kept in load.open_requests if kept != request_id],
                                        "revision": load.revision + 1})
        await self._save_load(transaction, load, freed)

    async def close_collaboration(self, command: CloseCollaboration, transaction: Transaction) -> str:
        """Close a request with its outcome; its companion's freed place goes to the oldest waiting request among
        the practices they accompany."""
        requests = transaction.collection(REQUESTS)
        registered = await requests.get(str(command.payload.request_id))
        now = self.clock()
        try:
            acting = await acting_person(command, transaction)
            closed, event = ensena.close(registered, command, acting, now)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await requests.save(closed)
        await self._announce(transaction, [event])
        if registered.companion_id is None:
            return "applied"
        await self._release(transaction, registered.companion_id, registered.id)
        await self._offer_freed_place(registered.companion_id, command, transaction, now)
        return "applied"

    async def _offer_freed_place(self, companion_id: str, cause: Message, transaction: Transaction,
                                 now: datetime) -> None:
        """A companion's place came free: the oldest waiting request of a practice they accompany (and which has
        not ended) is assigned."""
        processes = transaction.collection(PROCESSES)
        requests = transaction.collection(REQUESTS)
        for waiting in sorted(await requests.find(status="waiting"), key=lambda kept: (kept.requested_at, kept.id)):
            practice = await processes.get(waiting.item_id)
            if practice is not None and practice.status not in domain.ENDED and practice.practice is not None and \
                    companion_id in practice.practice.companions:
                await self._assign_free(waiting, practice, cause, transaction, now, alert=False)
                return
