"""Bogotá Enseña's rules, free of Kafka and MongoDB: who evaluates a practice and how it is scored and decided, the
systematization's dated milestones and their slips, the participants and the promotion of a selected practice,
and the collaboration requests its promotion brings in, each with a companion within the city's capacity.

The city's choices arrive as plain values (`EnsenaRules`); who acts arrives as `Acting` (phases' directory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from puente.contracts.collaboration import (
    AssignCollaboration,
    CloseCollaboration,
    CollaborationAssigned,
    CollaborationAssignedPayload,
    CollaborationCapacityExhausted,
    CollaborationCapacityExhaustedPayload,
    CollaborationClosed,
    CollaborationClosedPayload,
    CollaborationRequested,
    CollaborationRequestedPayload,
    CompanionsNamed,
    CompanionsNamedPayload,
    NameCompanions,
    RequestCollaboration,
)
from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.evaluation import (
    AssignEvaluators,
    DecidePractice,
    Decision,
    EvaluatorsAssigned,
    EvaluatorsAssignedPayload,
    PracticeDecided,
    PracticeDecidedPayload,
    ScorecardSubmitted,
    ScorecardSubmittedPayload,
    ScorePractice,
)
from puente.contracts.people import Role
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneMovedPayload,
    MilestoneReached,
    MilestoneReachedPayload,
    MoveMilestone,
    ParticipantsRecorded,
    ParticipantsRecordedPayload,
    PlanPromotion,
    PromotionPlanned,
    PromotionPlannedPayload,
    PromotionRecorded,
    PromotionRecordedPayload,
    RecordParticipants,
    RecordPromotion,
    ReportMilestone,
    ScheduledMilestone,
    SystematizationScheduled,
    SystematizationScheduledPayload,
    SystematizationSlipped,
    SystematizationSlippedPayload,
)
from services.phases.domain import (
    ENDED,
    HeldPromotion,
    MilestoneProgress,
    PlannedPromotion,
    PracticeRecord,
    Process,
    Refused,
    Scorecard,
)

STEERING_ROLES = frozenset({Role.coordinator, Role.administrator})
FINAL_DECISIONS = (Decision.selected.value, Decision.not_selected.value)


@dataclass(frozen=True)
class EnsenaRules:
    """The city's Enseña choices, as plain values."""

    evaluation_phase: str
    systematization_phase: str
    evaluators_min: int
    evaluators_max: int
    scale_min: int
    scale_max: int
    criteria: tuple[str, ...]
    milestones: tuple[tuple[str, int], ...]  # (key, days after the systematization phase starts)
    companion_capacity: int


class Acting(Protocol):
    """A person of phases' directory."""

    id: str
    role: Role
    entity_id: str | None
    active: bool


def _event(event_class, payload, command: Message, process: Process, now: datetime, name: str) -> Message:
    return event_class.new(payload=payload, actor=command.actor, city=process.city, caused_by=command,
                           event_id=derived_id(command.event_id, name), occurred_at=now)


def _practice(process: Process | None) -> tuple[Process, PracticeRecord]:
    """The practice a command names, which has not ended; refused for an exchange or an unknown item."""
    if process is None or process.line is not Line.ensena:
        raise Refused(PhasesRejectionReason.unknown_practice)
    if process.status in ENDED:
        raise Refused(PhasesRejectionReason.item_ended)
    return process, process.practice or PracticeRecord()


def _coordinating(acting: Acting) -> None:
    if acting.role not in STEERING_ROLES:
        raise Refused(PhasesRejectionReason.not_allowed)


def of_the_entity(acting: Acting, process: Process) -> None:
    """Coordinators, or staff of the item's entity (a practice's, or an exchange's)."""
    if acting.role in STEERING_ROLES:
        return
    if acting.role is not Role.staff:
        raise Refused(PhasesRejectionReason.not_allowed)
    if acting.entity_id != process.entity_id:
        raise Refused(PhasesRejectionReason.not_your_entity)


def _selected(record: PracticeRecord) -> None:
    if record.decision != Decision.selected.value:
        raise Refused(PhasesRejectionReason.not_selected)


def _in_evaluation(process: Process, record: PracticeRecord, rules: EnsenaRules) -> None:
    if process.current().key != rules.evaluation_phase:
        raise Refused(PhasesRejectionReason.wrong_phase)
    if record.decision in FINAL_DECISIONS:
        raise Refused(PhasesRejectionReason.already_decided)


def _kept(process: Process, record: PracticeRecord) -> Process:
    return process.model_copy(update={"practice": record})


# --- evaluation ------------------------------------------------------------------------------------------------


def assign_evaluators(process: Process | None, command: AssignEvaluators, acting: Acting,
                      evaluators: dict[str, Acting], rules: EnsenaRules,
                      now: datetime) -> tuple[Process, list[Message]]:
    """A coordinator names two or three evaluators (the city file says how many), none of the practice's own
    entity. A new team replaces the earlier one; the scorecards of evaluators who stay are kept."""
    _coordinating(acting)
    process, record = _practice(process)
    _in_evaluation(process, record, rules)
    chosen = [str(evaluator_id) for evaluator_id in command.payload.evaluator_ids]
    if not rules.evaluators_min <= len(chosen) <= rules.evaluators_max:
        raise Refused(PhasesRejectionReason.evaluators_count)
    for evaluator_id in chosen:
        evaluator = evaluators.get(evaluator_id)
        if evaluator is None or not evaluator.active or evaluator.role is not Role.evaluator:
            raise Refused(PhasesRejectionReason.not_an_evaluator)
        if evaluator.entity_id == process.entity_id:
            raise Refused(PhasesRejectionReason.own_entity)
    record = record.model_copy(update={
        "evaluators": chosen,
        "scorecards": {key: card for key, card in record.scorecards.items() if key in chosen},
    })
    event = _event(EvaluatorsAssigned, EvaluatorsAssignedPayload(
        item_id=process.id, evaluator_ids=command.payload.evaluator_ids, due_on=process.current().due_on,
    ), command, process, now, "evaluators.assigned")
    return _kept(process, record), [event]


def score(process: Process | None, command: ScorePractice, acting: Acting, rules: EnsenaRules,
          now: datetime) -> tuple[Process, list[Message]]:
    """An assigned evaluator scores every criterion on the city's scale, with a comment, once."""
    process, record = _practice(process)
    _in_evaluation(process, record, rules)
    if acting.id not in record.evaluators:
        raise Refused(PhasesRejectionReason.not_assigned)
    if acting.entity_id == process.entity_id:
        raise Refused(PhasesRejectionReason.own_entity)
    if acting.id in record.scorecards:
        raise Refused(PhasesRejectionReason.already_scored)
    scores = command.payload.scores
    if set(scores) != set(rules.criteria) or \
            not all(rules.scale_min <= value <= rules.scale_max for value in scores.values()):
        raise Refused(PhasesRejectionReason.out_of_scale)
    record = record.model_copy(update={"scorecards": {
        **record.scorecards, acting.id: Scorecard(scores=dict(scores), comment=command.payload.comment, at=now)}})
    waiting_for = len([evaluator for evaluator in record.evaluators if evaluator not in record.scorecards])
    event = _event(ScorecardSubmitted, ScorecardSubmittedPayload(
        item_id=process.id, evaluator_id=acting.id, scores=scores, comment=command.payload.comment,
        waiting_for=waiting_for,
    ), command, process, now, "scorecard.submitted")
    return _kept(process, record), [event]


def averages(record: PracticeRecord, rules: EnsenaRules) -> tuple[dict[str, float], float]:
    """Each criterion's average over the team's scorecards, and the average of those (rounded to hundredths)."""
    cards = [card for evaluator, card in record.scorecards.items() if evaluator in record.evaluators]
    if not cards:
        return {}, 0.0
    by_criterion = {key: round(fmean(card.scores[key] for card in cards), 2) for key in rules.criteria}
    return by_criterion, round(fmean(by_criterion.values()), 2)


def decide(process: Process | None, command: DecidePractice, acting: Acting, rules: EnsenaRules,
           now: datetime) -> tuple[Process, list[Message]]:
    """Once every assigned evaluator has scored, a coordinator decides. Not selected ends the practice's course;
    more information needed leaves it open: the team scores again, once the entity has added what was missing, and
    the coordinator decides again."""
    _coordinating(acting)
    process, record = _practice(process)
    _in_evaluation(process, record, rules)
    if len(record.evaluators) < rules.evaluators_min or \
            any(evaluator not in record.scorecards for evaluator in record.evaluators):
        raise Refused(PhasesRejectionReason.scorecards_missing)
    decision = command.payload.decision
    by_criterion, overall = averages(record, rules)
    again = {"scorecards": {}} if decision is Decision.more_information else {}  # the team scores again
    process = _kept(process, record.model_copy(update={"decision": decision.value, **again}))
    if decision is Decision.not_selected:
        process = process.model_copy(update={"status": "not_selected", "open": False})
    event = _event(PracticeDecided, PracticeDecidedPayload(
        item_id=process.id, decision=decision, note=command.payload.note, averages=by_criterion, overall=overall,
        scorecards=len(record.evaluators),
    ), command, process, now, "practice.decided")
    return process, [event]


def may_complete_phase(process: Process, rules: EnsenaRules) -> None:
    """The evaluation phase ends only for a selected practice."""
    in_evaluation = process.line is Line.ensena and process.current().key == rules.evaluation_phase
    if in_evaluation and (process.practice is None or process.practice.decision != Decision.selected.value):
        raise Refused(PhasesRejectionReason.decision_missing)


# --- systematization -------------------------------------------------------------------------------------------


def schedule(process: Process, rules: EnsenaRules, today: date, now: datetime,
             cause: Message) -> tuple[Process, list[Message]]:
    """When a practice's systematization phase starts for the first time, its milestones are dated from today."""
    if process.line is not Line.ensena or process.current().key != rules.systematization_phase:
        return process, []
    record = process.practice or PracticeRecord()
    if record.milestones:
        return process, []  # returned to and started again: the schedule stands
    milestones = [MilestoneProgress(key=key, due_on=today + timedelta(days=days)) for key, days in rules.milestones]
    event = SystematizationScheduled.new(
        payload=SystematizationScheduledPayload(item_id=process.id, milestones=[
            ScheduledMilestone(key=milestone.key, due_on=milestone.due_on) for milestone in milestones]),
        actor=cause.actor, city=process.city, caused_by=cause,
        event_id=derived_id(cause.event_id, "systematization.scheduled"), occurred_at=now,
    )
    return _kept(process, record.model_copy(update={"milestones": milestones})), [event]


def _milestone(record: PracticeRecord, key: str) -> int:
    index = next((index for index, milestone in enumerate(record.milestones) if milestone.key == key), None)
    if index is None:
        raise Refused(PhasesRejectionReason.unknown_milestone)
    if record.milestones[index].reached_on is not None:
        raise Refused(PhasesRejectionReason.milestone_done)
    return index


def _with_milestone(record: PracticeRecord, index: int, changed: MilestoneProgress) -> PracticeRecord:
    milestones = list(record.milestones)
    milestones[index] = changed
    return record.model_copy(update={"milestones": milestones})


def move_milestone(process: Process | None, command: MoveMilestone, acting: Acting, today: date,
                   now: datetime) -> tuple[Process, list[Message]]:
    """A coordinator moves a milestone, saying why: to today or later, after the previous milestone and before the
    next. Its slip, if any, may be announced again for the new date."""
    _coordinating(acting)
    process, record = _practice(process)
    index = _milestone(record, command.payload.key)
    due_on = command.payload.due_on
    if due_on < today:
        raise Refused(PhasesRejectionReason.past_date)
    previous = record.milestones[index - 1] if index > 0 else None
    following = record.milestones[index + 1] if index + 1 < len(record.milestones) else None
    if (previous is not None and due_on <= previous.due_on) or (following is not None and due_on >= following.due_on):
        raise Refused(PhasesRejectionReason.milestone_out_of_order)
    milestone = record.milestones[index]
    record = _with_milestone(record, index, milestone.model_copy(update={"due_on": due_on, "slipped_for": None}))
    event = _event(MilestoneMoved, MilestoneMovedPayload(
        item_id=process.id, key=milestone.key, due_on=due_on, previous_due_on=milestone.due_on,
        reason=command.payload.reason,
    ), command, process, now, "milestone.moved")
    return _kept(process, record), [event]


def report_milestone(process: Process | None, command: ReportMilestone, acting: Acting, today: date,
                     now: datetime) -> tuple[Process, list[Message]]:
    """The practice's entity (or a coordinator) reports a milestone done, in order."""
    process, record = _practice(process)
    of_the_entity(acting, process)
    index = _milestone(record, command.payload.key)
    if any(milestone.reached_on is None for milestone in record.milestones[:index]):
        raise Refused(PhasesRejectionReason.earlier_milestone_pending)
    milestone = record.milestones[index]
    record = _with_milestone(record, index, milestone.model_copy(update={"reached_on": today}))
    pending = [kept.key for kept in record.milestones if kept.reached_on is None]
    event = _event(MilestoneReached, MilestoneReachedPayload(
        item_id=process.id, key=milestone.key, due_on=milestone.due_on, reached_on=today, pending=pending,
    ), command, process, now, "milestone.reached")
    return _kept(process, record), [event]


def slipped(process: Process, rules: EnsenaRules, today: date, now: datetime) -> tuple[Process, list[Message]]:
    """The daily scan: each milestone past its date and not reached is announced once per date, while the practice
    is active in its systematization phase."""
    record = process.practice
    if record is None or process.status != "active" or process.current().key != rules.systematization_phase:
        return process, []
    events: list[Message] = []
    for index, milestone in enumerate(record.milestones):
        if milestone.reached_on is not None or today <= milestone.due_on or milestone.slipped_for == milestone.due_on:
            continue
        record = _with_milestone(record, index, milestone.model_copy(update={"slipped_for": milestone.due_on}))
        events.append(SystematizationSlipped.new(
            payload=SystematizationSlippedPayload(item_id=process.id, key=milestone.key, due_on=milestone.due_on,
                                                  days_late=(today - milestone.due_on).days),
            actor=SYSTEM_ACTOR, city=process.city,
            event_id=derived_id(process.id, "systematization.slipped", milestone.key, milestone.due_on),
            occurred_at=now,
        ))
    return _kept(process, record), events


def record_participants(process: Process | None, command: RecordParticipants, acting: Acting,
                        now: datetime) -> tuple[Process, list[Message]]:
    """Who took part in a selected practice's systematization, by type; a new count replaces the earlier one."""
    process, record = _practice(process)
    of_the_entity(acting, process)
    _selected(record)
    counts = {kind.value: count for kind, count in command.payload.counts.items()}
    event = _event(ParticipantsRecorded, ParticipantsRecordedPayload(
        item_id=process.id, phase_key=process.current().key, counts=command.payload.counts,
    ), command, process, now, "participants.recorded")
    return _kept(process, record.model_copy(update={"participants": counts})), [event]


# --- promotion -------------------------------------------------------------------------------------------------


def plan_promotion(process: Process | None, command: PlanPromotion, acting: Acting, today: date,
                   now: datetime) -> tuple[Process, list[Message]]:
    process, record = _practice(process)
    of_the_entity(acting, process)
    _selected(record)
    payload = command.payload
    if payload.target_on < today:
        raise Refused(PhasesRejectionReason.past_date)
    promotion_id = derived_id(command.event_id, "promotion")
    planned = PlannedPromotion(id=str(promotion_id), channel=payload.channel.value, name=payload.name,
                               target_on=payload.target_on)
    event = _event(PromotionPlanned, PromotionPlannedPayload(**payload.model_dump(), promotion_id=promotion_id),
                   command, process, now, "promotion.planned")
    return _kept(process, record.model_copy(update={"planned": [*record.planned, planned]})), [event]


def record_promotion(process: Process | None, command: RecordPromotion, acting: Acting, today: date,
                     now: datetime) -> tuple[Process, list[Message]]:
    process, record = _practice(process)
    of_the_entity(acting, process)
    _selected(record)
    payload = command.payload
    if payload.held_on > today:
        raise Refused(PhasesRejectionReason.not_held_yet)
    promotion_id = derived_id(command.event_id, "promotion")
    held = HeldPromotion(id=str(promotion_id), channel=payload.channel.value, name=payload.name,
                         held_on=payload.held_on, city=payload.city, country=payload.country,
                         audience=payload.audience)
    event = _event(PromotionRecorded, PromotionRecordedPayload(**payload.model_dump(), promotion_id=promotion_id),
                   command, process, now, "promotion.recorded")
    return _kept(process, record.model_copy(update={"promotions": [*record.promotions, held]})), [event]


# --- companions and collaboration requests ---------------------------------------------------------------------


class CollaborationRequest(BaseModel):
    """A request about a practice: waiting for a companion, assigned to one, or closed with an outcome."""

    model_config = ConfigDict(frozen=True)

    id: str
    item_id: str
    entity_id: str
    requester: str
    city: str
    country: str
    kind: str
    description: str
    requested_at: datetime
    status: str = "waiting"  # waiting, assigned, closed
    companion_id: str | None = None
    outcome: str | None = None
    closed_at: datetime | None = None


class CompanionLoad(BaseModel):
    """The open requests one companion holds; its revision guards the capacity against two replicas assigning at
    once."""

    model_config = ConfigDict(frozen=True)

    id: str  # the companion's person id
    open_requests: list[str] = []
    revision: int = 0


def name_companions(process: Process | None, command: NameCompanions, acting: Acting, people: dict[str, Acting],
                    now: datetime) -> tuple[Process, list[Message]]:
    """The practice's entity (or a coordinator) names its companions: active staff of that entity."""
    process, record = _practice(process)
    of_the_entity(acting, process)
    chosen = [str(companion_id) for companion_id in command.payload.companion_ids]
    for companion_id in chosen:
        person = people.get(companion_id)
        if person is None or not person.active or person.role is not Role.staff or \
                person.entity_id != process.entity_id:
            raise Refused(PhasesRejectionReason.not_a_companion)
    event = _event(CompanionsNamed, CompanionsNamedPayload(item_id=process.id,
                                                           companion_ids=command.payload.companion_ids),
                   command, process, now, "companions.named")
    return _kept(process, record.model_copy(update={"companions": chosen})), [event]


def request(process: Process | None, command: RequestCollaboration, acting: Acting,
            now: datetime) -> tuple[CollaborationRequest, Message]:
    """A coordinator registers a request about a practice."""
    _coordinating(acting)
    process, _ = _practice(process)
    payload = command.payload
    registered = CollaborationRequest(
        id=str(payload.request_id), item_id=process.id, entity_id=process.entity_id, requester=payload.requester,
        city=payload.city, country=payload.country, kind=payload.kind.value, description=payload.description,
        requested_at=now,
    )
    event = _event(CollaborationRequested, CollaborationRequestedPayload(**payload.model_dump()), command, process,
                   now, "collaboration.requested")
    return registered, event


def free_companion(companions: list[str], loads: dict[str, CompanionLoad], capacity: int) -> str | None:
    """The companion with the fewest open requests below capacity (the first named, on a tie); None if all are full."""
    free = [companion for companion in companions if len(loads[companion].open_requests) < capacity]
    return min(free, key=lambda companion: len(loads[companion].open_requests)) if free else None


def assign(registered: CollaborationRequest, companion_id: str, load: CompanionLoad, cause: Message, city: str,
           now: datetime, capacity: int) -> tuple[CollaborationRequest, CompanionLoad, Message]:
    """Give an open request to a companion with free capacity (refused beyond it)."""
    if registered.status == "closed":
        raise Refused(PhasesRejectionReason.request_closed)
    if registered.id not in load.open_requests and len(load.open_requests) >= capacity:
        raise Refused(PhasesRejectionReason.over_capacity)
    assigned = registered.model_copy(update={"status": "assigned", "companion_id": companion_id})
    taken = load.model_copy(update={"open_requests": sorted({*load.open_requests, registered.id}),
                                    "revision": load.revision + 1})
    event = CollaborationAssigned.new(
        payload=CollaborationAssignedPayload(
            item_id=registered.item_id, request_id=registered.id, companion_id=companion_id,
            previous_companion_id=registered.companion_id if registered.companion_id != companion_id else None,
            open_requests=len(taken.open_requests)),
        actor=cause.actor, city=city, caused_by=cause,
        event_id=derived_id(cause.event_id, "collaboration.assigned", registered.id), occurred_at=now,
    )
    return assigned, taken, event


def capacity_exhausted(registered: CollaborationRequest, companions: int, waiting: int, cause: Message, city: str,
                       now: datetime) -> Message:
    return CollaborationCapacityExhausted.new(
        payload=CollaborationCapacityExhaustedPayload(item_id=registered.item_id, request_id=registered.id,
                                                      companions=companions, waiting=waiting),
        actor=cause.actor, city=city, caused_by=cause,
        event_id=derived_id(cause.event_id, "collaboration.capacity_exhausted", registered.id), occurred_at=now,
    )


def may_assign(process: Process | None, command: AssignCollaboration, acting: Acting) -> None:
    """A coordinator assigns a request to one of its practice's companions."""
    _coordinating(acting)
    _, record = _practice(process)
    if str(command.payload.companion_id) not in record.companions:
        raise Refused(PhasesRejectionReason.not_a_companion)


def close(registered: CollaborationRequest | None, command: CloseCollaboration, acting: Acting,
          now: datetime) -> tuple[CollaborationRequest, Message]:
    """A coordinator, or the request's companion, closes it with its outcome."""
    if registered is None or registered.item_id != str(command.payload.item_id):
        raise Refused(PhasesRejectionReason.unknown_request)
    if acting.role not in STEERING_ROLES and acting.id != registered.companion_id:
        raise Refused(PhasesRejectionReason.not_allowed)
    if registered.status == "closed":
        raise Refused(PhasesRejectionReason.request_closed)
    closed = registered.model_copy(update={"status": "closed", "outcome": command.payload.outcome.value,
                                           "closed_at": now})
    event = CollaborationClosed.new(
        payload=CollaborationClosedPayload(item_id=registered.item_id, request_id=registered.id,
                                           outcome=command.payload.outcome, companion_id=registered.companion_id),
        actor=command.actor, city=command.city, caused_by=command,
        event_id=derived_id(command.event_id, "collaboration.closed"), occurred_at=now,
    )
    return closed, event
