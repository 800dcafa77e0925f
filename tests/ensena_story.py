"""One Bogotá Enseña practice's story as messages: the people it needs (a coordinator, staff of the practice's
entity, evaluators of other entities and one of its own, companions), and a builder for each command, so the unit
tests, the handler cases and the notifier's tests tell it the same way."""

from __future__ import annotations

import uuid
from datetime import date

from puente.contracts.collaboration import (
    AssignCollaboration,
    AssignCollaborationPayload,
    CloseCollaboration,
    CloseCollaborationPayload,
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
    NameCompanionsPayload,
    RequestCollaboration,
    RequestCollaborationPayload,
    RequestKind,
    RequestOutcome,
)
from puente.contracts.deliverables import DocumentRef
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.evaluation import (
    AssignEvaluators,
    AssignEvaluatorsPayload,
    DecidePractice,
    DecidePracticePayload,
    Decision,
    EvaluatorsAssigned,
    EvaluatorsAssignedPayload,
    PracticeDecided,
    PracticeDecidedPayload,
    ScorecardSubmitted,
    ScorecardSubmittedPayload,
    ScorePractice,
    ScorePracticePayload,
)
from puente.contracts.people import PersonJoined, PersonJoinedPayload
from puente.contracts.phases import AdvancePhase, PhaseStep, SubmitDeliverable, SubmitDeliverablePayload
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneMovedPayload,
    MilestoneReached,
    MilestoneReachedPayload,
    MoveMilestone,
    MoveMilestonePayload,
    ParticipantsRecorded,
    ParticipantsRecordedPayload,
    PlanPromotion,
    PlanPromotionPayload,
    PromotionChannel,
    PromotionPlanned,
    PromotionPlannedPayload,
    PromotionRecorded,
    PromotionRecordedPayload,
    RecordParticipants,
    RecordParticipantsPayload,
    RecordPromotion,
    RecordPromotionPayload,
    ReportMilestone,
    ReportMilestonePayload,
    ScheduledMilestone,
    SystematizationScheduled,
    SystematizationScheduledPayload,
    SystematizationSlipped,
    SystematizationSlippedPayload,
)
from services.intake.domain import proposal_from
from tests.factories import propose_practice

PRACTICE_COMMAND = propose_practice(title="Escuelas de padres")  # of the SED (sector education)
_, PRACTICE = proposal_from(PRACTICE_COMMAND)
PRACTICE_ID = PRACTICE.payload.item_id
DOCUMENT = DocumentRef(file_id="1" * 24, name="postulacion.pdf", size=2048, sha256="b" * 64,
                       media_type="application/pdf")


def joined(user_id: int, role: str, entity_id: str | None, name: str, sectors: tuple[str, ...] = (),
           topics: tuple[str, ...] = (), language: str = "es") -> PersonJoined:
    return PersonJoined.new(
        payload=PersonJoinedPayload(person_id=derived_id("person", user_id), telegram_user_id=user_id, role=role,
                                    entity_id=entity_id, name=name, language=language, sectors=list(sectors),
                                    topics=list(topics)),
        actor=Actor(role=ActorRole.guest, id=str(user_id)), city="bogota", event_id=derived_id("joined", user_id))


def person_id(user_id: int) -> uuid.UUID:
    return derived_id("person", user_id)


COORDINATOR = joined(7001, "coordinator", None, "Carlos")
STAFF = joined(5001, "staff", "sed", "Ana")
EVALUATORS = (joined(8001, "evaluator", "sds", "Eva", ("education",), ("familias",)),
              joined(8002, "evaluator", "sdm", "Ernesto", ("education", "mobility")),
              joined(8003, "evaluator", "sdis", "Elena", ("social-integration",), ("escuelas", "familias")))
OWN_EVALUATOR = joined(8004, "evaluator", "sed", "Octavio", ("education",))
COMPANIONS = (joined(5011, "staff", "sed", "Camila"), joined(5012, "staff", "sed", "Cristian"))
OTHER_STAFF = joined(5021, "staff", "sdm", "Sara")
PEOPLE = (COORDINATOR, STAFF, *EVALUATORS, OWN_EVALUATOR, *COMPANIONS, OTHER_STAFF)
CRITERIA = ("relevance", "participation", "impact", "transferability")


def actor(user_id: int, role: str = "coordinator", entity_id: str | None = None) -> Actor:
    return Actor(role=ActorRole(role), id=str(user_id), entity_id=entity_id)


COORDINATING = actor(7001)
EVALUATOR_ACTORS = tuple(actor(user_id, "evaluator", entity) for user_id, entity in
                         ((8001, "sds"), (8002, "sdm"), (8003, "sdis")))
STAFF_ACTOR = actor(5001, "staff", "sed")


def submit_application(item_id: uuid.UUID = PRACTICE_ID) -> SubmitDeliverable:
    return SubmitDeliverable.new(payload=SubmitDeliverablePayload(item_id=item_id, phase_number=1, key="application",
                                                                  document=DOCUMENT),
                                 actor=STAFF_ACTOR, city="bogota")


def assign_evaluators(*user_ids: int, by: Actor = COORDINATING) -> AssignEvaluators:
    return AssignEvaluators.new(payload=AssignEvaluatorsPayload(item_id=PRACTICE_ID,
                                                                evaluator_ids=[person_id(u) for u in user_ids]),
                                actor=by, city="bogota")


def score(by: Actor, *values: int, comment: str = "Sólida y transferible.") -> ScorePractice:
    scores = dict(zip(CRITERIA, values, strict=False))  # fewer values leave criteria out
    return ScorePractice.new(payload=ScorePracticePayload(item_id=PRACTICE_ID, scores=scores, comment=comment),
                             actor=by, city="bogota")


def decide(decision: Decision, note: str | None = None) -> DecidePractice:
    return DecidePractice.new(payload=DecidePracticePayload(item_id=PRACTICE_ID, decision=decision, note=note),
                              actor=COORDINATING, city="bogota")


def advance(phase_number: int) -> AdvancePhase:
    return AdvancePhase.new(payload=PhaseStep(item_id=PRACTICE_ID, phase_number=phase_number), actor=COORDINATING,
                            city="bogota")


def report(key: str, by: Actor = STAFF_ACTOR) -> ReportMilestone:
    return ReportMilestone.new(payload=ReportMilestonePayload(item_id=PRACTICE_ID, key=key), actor=by, city="bogota")


def move(key: str, due_on: date, reason: str = "El equipo técnico pidió más tiempo.") -> MoveMilestone:
    return MoveMilestone.new(payload=MoveMilestonePayload(item_id=PRACTICE_ID, key=key, due_on=due_on, reason=reason),
                             actor=COORDINATING, city="bogota")


def participants(by: Actor = STAFF_ACTOR, **counts: int) -> RecordParticipants:
    return RecordParticipants.new(payload=RecordParticipantsPayload(item_id=PRACTICE_ID, counts=counts), actor=by,
                                  city="bogota")


def plan_promotion(target_on: date, channel: PromotionChannel = PromotionChannel.international_event,
                   name: str = "Foro Urbano Mundial") -> PlanPromotion:
    return PlanPromotion.new(payload=PlanPromotionPayload(item_id=PRACTICE_ID, channel=channel, name=name,
                                                          target_on=target_on), actor=STAFF_ACTOR, city="bogota")


def record_promotion(held_on: date, channel: PromotionChannel = PromotionChannel.international_event,
                     name: str = "Foro Urbano Mundial", audience: int = 120) -> RecordPromotion:
    return RecordPromotion.new(payload=RecordPromotionPayload(
        item_id=PRACTICE_ID, channel=channel, name=name, held_on=held_on, city="El Cairo", country="EG",
        audience=audience), actor=STAFF_ACTOR, city="bogota")


def name_companions(*user_ids: int, by: Actor = STAFF_ACTOR) -> NameCompanions:
    return NameCompanions.new(payload=NameCompanionsPayload(item_id=PRACTICE_ID,
                                                            companion_ids=[person_id(u) for u in user_ids]),
                              actor=by, city="bogota")


def request_collaboration(number: int, item_id: uuid.UUID = PRACTICE_ID) -> RequestCollaboration:
    return RequestCollaboration.new(payload=RequestCollaborationPayload(
        item_id=item_id, request_id=derived_id("request", number), requester=f"Alcaldía de Quito {number}",
        city="Quito", country="EC", kind=RequestKind.technical_assistance,
        description="Quieren adaptar las escuelas de padres en sus colegios."), actor=COORDINATING, city="bogota")


def close_collaboration(number: int, by: Actor = COORDINATING,
                        outcome: RequestOutcome = RequestOutcome.information_shared) -> CloseCollaboration:
    return CloseCollaboration.new(payload=CloseCollaborationPayload(
        item_id=PRACTICE_ID, request_id=derived_id("request", number), outcome=outcome), actor=by, city="bogota")


def assign_collaboration(number: int, companion_user_id: int) -> AssignCollaboration:
    return AssignCollaboration.new(payload=AssignCollaborationPayload(
        item_id=PRACTICE_ID, request_id=derived_id("request", number), companion_id=person_id(companion_user_id)),
        actor=COORDINATING, city="bogota")


# The story up to each point, as the messages phases has seen.
PROPOSED = (PRACTICE, *PEOPLE)
ASSIGNED = (*PROPOSED, assign_evaluators(8001, 8002, 8003))
SCORED = (*ASSIGNED, score(EVALUATOR_ACTORS[0], 5, 4, 4, 5), score(EVALUATOR_ACTORS[1], 4, 4, 3, 5),
          score(EVALUATOR_ACTORS[2], 5, 5, 4, 4))
SELECTED = (*SCORED, decide(Decision.selected), submit_application())
SYSTEMATIZING = (*SELECTED, advance(1))
ACCOMPANIED = (*SYSTEMATIZING, name_companions(5011, 5012))


# --- what phases announces along the way, for the notifier's and the bot's cases ---------------------------------

def _announced(event_class, payload, name: str, by: Actor = COORDINATING):
    return event_class.new(payload=payload, actor=by, city="bogota", event_id=derived_id(PRACTICE_ID, name))


EVALUATORS_ASSIGNED = _announced(EvaluatorsAssigned, EvaluatorsAssignedPayload(
    item_id=PRACTICE_ID, evaluator_ids=[person_id(8001), person_id(8002)], due_on=date(2027, 1, 14)),
    "evaluators.assigned")
SCORECARD_SUBMITTED = _announced(ScorecardSubmitted, ScorecardSubmittedPayload(
    item_id=PRACTICE_ID, evaluator_id=person_id(8001), scores=dict(zip(CRITERIA, (5, 4, 4, 5), strict=True)),
    comment="Sólida.", waiting_for=0), "scorecard.submitted", EVALUATOR_ACTORS[0])
PRACTICE_DECIDED = _announced(PracticeDecided, PracticeDecidedPayload(
    item_id=PRACTICE_ID, decision=Decision.selected, averages=dict(zip(CRITERIA, (4.5, 4.0, 3.5, 5.0), strict=True)),
    overall=4.25, scorecards=2), "practice.decided")
SCHEDULED = _announced(SystematizationScheduled, SystematizationScheduledPayload(
    item_id=PRACTICE_ID, milestones=[ScheduledMilestone(key="draft", due_on=date(2027, 2, 1)),
                                     ScheduledMilestone(key="review", due_on=date(2027, 3, 1))]),
    "systematization.scheduled")
MILESTONE_MOVED = _announced(MilestoneMoved, MilestoneMovedPayload(
    item_id=PRACTICE_ID, key="draft", due_on=date(2027, 2, 10), previous_due_on=date(2027, 2, 1),
    reason="Vacaciones del equipo."), "milestone.moved")
MILESTONE_REACHED = _announced(MilestoneReached, MilestoneReachedPayload(
    item_id=PRACTICE_ID, key="draft", due_on=date(2027, 2, 10), reached_on=date(2027, 2, 9), pending=["review"]),
    "milestone.reached", STAFF_ACTOR)
SLIPPED = _announced(SystematizationSlipped, SystematizationSlippedPayload(
    item_id=PRACTICE_ID, key="review", due_on=date(2027, 3, 1), days_late=1), "systematization.slipped")
PARTICIPANTS_RECORDED = _announced(ParticipantsRecorded, ParticipantsRecordedPayload(
    item_id=PRACTICE_ID, phase_key="systematization", counts={"academia": 3, "public_local": 20}),
    "participants.recorded", STAFF_ACTOR)
PROMOTION_PLANNED = _announced(PromotionPlanned, PromotionPlannedPayload(
    item_id=PRACTICE_ID, promotion_id=derived_id("planned"), channel=PromotionChannel.network,
    name="Red de ciudades educadoras", target_on=date(2027, 6, 1)), "promotion.planned", STAFF_ACTOR)
PROMOTION_RECORDED = _announced(PromotionRecorded, PromotionRecordedPayload(
    item_id=PRACTICE_ID, promotion_id=derived_id("held"), channel=PromotionChannel.international_event,
    name="Foro Urbano Mundial", held_on=date(2026, 11, 5), city="El Cairo", country="EG", audience=120),
    "promotion.recorded", STAFF_ACTOR)
COMPANIONS_NAMED = _announced(CompanionsNamed, CompanionsNamedPayload(
    item_id=PRACTICE_ID, companion_ids=[person_id(5011), person_id(5012)]), "companions.named", STAFF_ACTOR)
REQUESTED = _announced(CollaborationRequested, CollaborationRequestedPayload(
    **request_collaboration(1).payload.model_dump()), "collaboration.requested")
REQUEST_ASSIGNED = _announced(CollaborationAssigned, CollaborationAssignedPayload(
    item_id=PRACTICE_ID, request_id=derived_id("request", 1), companion_id=person_id(5011), open_requests=1),
    "collaboration.assigned")
CAPACITY_EXHAUSTED = _announced(CollaborationCapacityExhausted, CollaborationCapacityExhaustedPayload(
    item_id=PRACTICE_ID, request_id=derived_id("request", 1), companions=2, waiting=1),
    "collaboration.capacity_exhausted")
REQUEST_CLOSED = _announced(CollaborationClosed, CollaborationClosedPayload(
    item_id=PRACTICE_ID, request_id=derived_id("request", 1), outcome=RequestOutcome.visit_hosted,
    companion_id=person_id(5011)), "collaboration.closed")
ANNOUNCED = (EVALUATORS_ASSIGNED, SCORECARD_SUBMITTED, PRACTICE_DECIDED, SCHEDULED, MILESTONE_MOVED,
             MILESTONE_REACHED, SLIPPED, PARTICIPANTS_RECORDED, PROMOTION_PLANNED, PROMOTION_RECORDED,
             COMPANIONS_NAMED, REQUESTED, REQUEST_ASSIGNED, CAPACITY_EXHAUSTED, REQUEST_CLOSED)
