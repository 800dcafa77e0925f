"""Phases' handlers and timed jobs: plain functions over a validated event, command (or a run) and a transaction,
and their routing tables.

Phases follows the item events (a proposal starts its line's first phase), carries out coordinators' commands on an
item's course, and keeps its own view of the directory to authorize them: only an active coordinator or
administrator steers an item, whatever role a command claims.
"""

from __future__ import annotations

from datetime import datetime, time

from pydantic import BaseModel, ConfigDict

from puente.contracts.common import Line
from puente.contracts.envelope import Message, derived_id
from puente.contracts.items import ExchangeProposed, PracticeProposed
from puente.contracts.people import Role
from puente.contracts.phases import (
    AdvancePhase,
    DeliverableSubmitted,
    HoldItem,
    ItemClosed,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    MoveDueDate,
    PhaseCompleted,
    PhaseDueDateMoved,
    PhaseDueSoon,
    PhaseOverdue,
    PhaseReturned,
    PhasesRejectionReason,
    PhaseStarted,
    ResumeItem,
    ReturnPhase,
    SubmitDeliverable,
    WithdrawItem,
)
from puente.contracts.rejections import CommandRejected, CommandRejectedPayload
from puente.contracts.topics import Topics
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock, utc_now
from puente.wiring.directory_view import DirectoryView
from puente.wiring.dispatch import Routes
from puente.wiring.logging import get_logger
from puente.wiring.scheduler import Job, daily_at
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.phases import aprende, domain, ensena

log = get_logger(__name__)


class Steerer(BaseModel):
    """Who is in the directory, as far as phases needs: their Telegram account, role and whether active."""

    model_config = ConfigDict(frozen=True)

    id: str  # the person's id
    telegram_user_id: int
    role: Role
    entity_id: str | None = None
    active: bool = True


PROCESSES = Stored("processes", domain.Process, indexed_by=[("open",)])
PEOPLE = Stored("people", Steerer, indexed_by=[("telegram_user_id",)])
LINE_OF_PROPOSAL = {ExchangeProposed: Line.aprende, PracticeProposed: Line.ensena}
OVERDUE_SCAN_AT = time(6, 0)  # city time: coordinators and entities hear of late phases at the start of the day
STEERING_ROLES = frozenset({Role.coordinator, Role.administrator})


# The events phases announces (the AsyncAPI catalogue lists these), next to the handlers that announce them.
ANNOUNCES = (PhaseStarted, PhaseCompleted, PhaseReturned, PhaseDueSoon, PhaseOverdue, PhaseDueDateMoved,
             DeliverableSubmitted, ItemOnHold, ItemResumed, ItemWithdrawn, ItemClosed, CommandRejected)
CourseCommand = AdvancePhase | ReturnPhase | HoldItem | ResumeItem | WithdrawItem | SubmitDeliverable | MoveDueDate


async def acting_person(command: Message, transaction: Transaction) -> Steerer:
    """The active person of phases' directory behind the command's Telegram account; refused for anyone else."""
    people = await transaction.collection(PEOPLE).find(telegram_user_id=int(command.actor.id)) \
        if command.actor.id.isdigit() else []
    active = [person for person in people if person.active]
    if not active:
        raise domain.Refused(PhasesRejectionReason.not_a_member)
    return active[0]


def ensena_rules(city: CityConfig) -> ensena.EnsenaRules:
    config = city.ensena
    return ensena.EnsenaRules(
        evaluation_phase=config.evaluation_phase, systematization_phase=config.systematization_phase,
        evaluators_min=config.evaluators_min, evaluators_max=config.evaluators_max, scale_min=config.scale_min,
        scale_max=config.scale_max, criteria=tuple(criterion.key for criterion in config.criteria),
        milestones=tuple((milestone.key, milestone.days_after_start) for milestone in config.milestones),
        companion_capacity=config.companion_capacity,
    )


def aprende_rules(city: CityConfig) -> aprende.AprendeRules:
    config = city.aprende
    return aprende.AprendeRules(
        matching_phase=config.matching_phase, record_phases=tuple(config.record_phases),
        plan_phase=config.plan_phase, participants_phase=config.participants_phase,
        action_plan_phase=config.action_plan_phase, survey_phases=tuple(config.survey_phases),
        questions=tuple(question.key for question in config.survey_questions),
        low_average=config.survey_low_average, min_answers=config.survey_min_answers,
    )


class PhasesHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock = utc_now) -> None:
        self.topics = topics
        self.city = city
        self.clock = clock
        self.calendar = city.calendar
        self.follow_up = domain.FollowUp(city.calendar.due_soon_days, city.calendar.overdue_every_days)
        self.ensena = ensena_rules(city)
        self.aprende = aprende_rules(city)

    def routes(self) -> Routes:
        return {ExchangeProposed: self.item_proposed, PracticeProposed: self.item_proposed}

    def command_routes(self) -> Routes:
        return {AdvancePhase: self.steer, ReturnPhase: self.steer, HoldItem: self.steer, ResumeItem: self.steer,
                WithdrawItem: self.steer, SubmitDeliverable: self.steer, MoveDueDate: self.steer}

    def people_routes(self) -> Routes:
        """Phases' view of the directory (who may steer), kept from the people events."""
        return DirectoryView(PEOPLE).routes()

    def jobs(self) -> list[Job]:
        return [Job("phases.overdue-scan", daily_at(OVERDUE_SCAN_AT, self.city.city.timezone), self.announce_overdue)]

    def plan_of(self, line: Line) -> list[domain.PhasePlan]:
        return [domain.PhasePlan(phase.key, phase.duration_days, tuple(rule.rule() for rule in phase.deliverables),
                                 phase.working_days)
                for phase in self.city.phases_of(line)]

    async def item_proposed(self, event: ExchangeProposed | PracticeProposed, transaction: Transaction) -> str:
        line = LINE_OF_PROPOSAL[type(event)]
        now = self.clock()
        process, started = domain.start_process(
            str(event.payload.item_id), line, event, self.plan_of(line), now, self.city.city.local_date(now),
            self.calendar,
        )
        await transaction.collection(PROCESSES).add(process)
        await transaction.announce(self.topics.phase_events, started)
        return "applied"

    # --- a coordinator steers an item's course ----------------------------------------------------------------

    async def steer(self, command: CourseCommand, transaction: Transaction) -> str:
        """Advance, return, hold, resume or withdraw (or deliver, or move a due date): authorized against phases'
        own directory, decided by the domain's rules, and announced; a refusal is announced instead, and nothing
        changes."""
        processes = transaction.collection(PROCESSES)
        process = await processes.get(str(command.payload.item_id))
        now = self.clock()
        today = self.city.city.local_date(now)
        try:
            person = await self._authorize(command, process, transaction)
            plan = self.plan_of(process.line)
            if isinstance(command, SubmitDeliverable):
                changed, events = domain.submit(process, command, person.id, today, now)
            elif isinstance(command, AdvancePhase):
                changed, events = domain.advance(process, command, plan, today, now, self.calendar)
                ensena.may_complete_phase(process, self.ensena)
                aprende.may_complete_phase(process, self.aprende)
                changed, scheduled = ensena.schedule(changed, self.ensena, today, now, command)
                changed, surveys = aprende.open_surveys(process, changed, self.aprende, command, now)
                events += scheduled + surveys
            elif isinstance(command, ReturnPhase):
                changed, events = domain.return_to_previous(process, command, plan, today, now, self.calendar)
            elif isinstance(command, MoveDueDate):
                changed, events = domain.move_due_date(process, command, today, now)
            elif isinstance(command, HoldItem):
                changed, events = domain.hold(process, command, today, now)
            elif isinstance(command, ResumeItem):
                changed, events = domain.resume(process, command, plan, today, now, self.calendar)
            else:
                changed, events = domain.withdraw(process, command, now)
        except domain.Refused as refused:
            return await self.refuse(command, refused.reason, transaction)
        await processes.save(changed)
        for event in events:
            await transaction.announce(self.topics.phase_events, event)
        log.info("item course changed", command_type=command.type, item_id=str(command.payload.item_id),
                 events=[event.type for event in events])
        return "applied"

    async def _authorize(self, command: CourseCommand, process: domain.Process | None,
                         transaction: Transaction) -> Steerer:
        """Who acts, as phases' directory says: coordinators and administrators steer every item; staff of the
        item's entity fill in its deliverables, and nothing else."""
        person = await acting_person(command, transaction)
        if process is None:
            raise domain.Refused(PhasesRejectionReason.unknown_item)
        if person.role in STEERING_ROLES:
            return person
        if not isinstance(command, SubmitDeliverable) or person.role is not Role.staff:
            raise domain.Refused(PhasesRejectionReason.not_allowed)
        if person.entity_id != process.entity_id:
            raise domain.Refused(PhasesRejectionReason.not_your_entity)
        return person

    async def refuse(self, command: Message, reason: PhasesRejectionReason, transaction: Transaction) -> str:
        event = CommandRejected.new(
            payload=CommandRejectedPayload(command_id=command.event_id, command_type=command.type, service="phases",
                                           reason=reason, item_id=command.payload.item_id),
            actor=command.actor, city=command.city, caused_by=command,
            event_id=derived_id(command.event_id, "command.rejected"),
        )
        await transaction.announce(self.topics.phase_events, event)
        log.info("command rejected", command_type=command.type, command_id=str(command.event_id),
                 reason=reason.value)
        return "rejected"

    # --- the daily scan ------------------------------------------------------------------------------------------

    async def announce_overdue(self, transaction: Transaction, run_key: str, now: datetime) -> int:
        """The daily scan: each open item whose current phase is due soon is announced once per due date; one past
        its due date, the day after and then on the city's cadence, each step once; a systematization milestone past
        its date, once per date; an action plan's commitments, due soon and late, like phases."""
        processes = transaction.collection(PROCESSES)
        today = self.city.city.local_date(now)
        announced = 0
        for process in await processes.find(open=True):
            for rule in (domain.due_soon, domain.overdue):
                found = rule(process, today, now, self.follow_up)
                if found is None:
                    continue
                process, event = found
                await processes.save(process)
                await transaction.announce(self.topics.phase_events, event)
                announced += 1
            process, slips = ensena.slipped(process, self.ensena, today, now)
            process, reminders = aprende.commitments_due(process, today, now, self.follow_up)
            slips += reminders
            if slips:
                await processes.save(process)
            for event in slips:
                await transaction.announce(self.topics.phase_events, event)
            announced += len(slips)
        return announced
