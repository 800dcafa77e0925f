"""One Bogotá Aprende exchange's story as messages: the people it needs (a coordinator, staff of the exchange's
entity who propose it and own its commitments, staff of another entity), the commands that bring it to its action
plan, and a builder for each Aprende command, so the unit tests, the handler cases and the notifier's tests tell it
the same way."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from puente.contracts.commitments import (
    CommitmentDue,
    CommitmentDuePayload,
    CommitmentOverdue,
    CommitmentOverduePayload,
    CommitmentRecorded,
    CommitmentRecordedPayload,
    CommitmentStatus,
    CommitmentUpdated,
    CommitmentUpdatedPayload,
    RecordCommitment,
    RecordCommitmentPayload,
    ReportProgress,
    ReportProgressPayload,
)
from puente.contracts.deliverables import DocumentRef
from puente.contracts.envelope import Actor, derived_id
from puente.contracts.exchanges import (
    PROGRAM,
    AddBudgetLine,
    AddBudgetLinePayload,
    AlliesRecorded,
    AlliesRecordedPayload,
    AssignLogistics,
    AssignLogisticsPayload,
    BudgetLineAdded,
    BudgetLineAddedPayload,
    BudgetLineRemoved,
    BudgetLineRemovedPayload,
    Currency,
    ExchangeParticipantsRecorded,
    ExchangeParticipantsRecordedPayload,
    ExchangePlanned,
    ExchangePlannedPayload,
    ExpertsRecorded,
    ExpertsRecordedPayload,
    Instrument,
    LogisticsAssigned,
    LogisticsAssignedPayload,
    LogisticsTask,
    Match,
    MatchReason,
    PlanExchange,
    PlanExchangePayload,
    ReasonKind,
    RecordAllies,
    RecordAlliesPayload,
    RecordExchangeParticipants,
    RecordExchangeParticipantsPayload,
    RecordExperts,
    RecordExpertsPayload,
    RemoveBudgetLine,
    RemoveBudgetLinePayload,
    Shortlist,
    ShortlistPayload,
    ShortlistRecorded,
    ShortlistRecordedPayload,
)
from puente.contracts.knowledge import (
    Ally,
    CatalogueEntryRecorded,
    CatalogueEntryRecordedPayload,
    Expert,
    InternationalPractice,
    OrganisationType,
    RecordCatalogueEntry,
    RecordCatalogueEntryPayload,
    SupportKind,
)
from puente.contracts.phases import AdvancePhase, PhaseStep, SubmitDeliverable, SubmitDeliverablePayload
from puente.contracts.surveys import (
    ANONYMOUS,
    AnswerSurvey,
    AnswerSurveyPayload,
    SurveyRequested,
    SurveyRequestedPayload,
    SurveyScoredLow,
    SurveyScoredLowPayload,
    SurveySubmitted,
    SurveySubmittedPayload,
    survey_code,
)
from services.intake.domain import proposal_from
from tests.ensena_story import COORDINATING, COORDINATOR, OTHER_STAFF, STAFF, STAFF_ACTOR, actor, joined, person_id
from tests.factories import propose_exchange

EXCHANGE_COMMAND = propose_exchange(title="Ciclorrutas seguras", sector="mobility", entity_id="sed")
_, EXCHANGE = proposal_from(EXCHANGE_COMMAND)
EXCHANGE_ID = EXCHANGE.payload.item_id
OWNER = joined(5031, "staff", "sed", "Olga")
OWNER_ACTOR = actor(5031, "staff", "sed")
PEOPLE = (COORDINATOR, STAFF, OWNER, OTHER_STAFF)
DOCUMENT = DocumentRef(file_id="2" * 24, name="documento.pdf", size=4096, sha256="c" * 64,
                       media_type="application/pdf")


def submit(phase_number: int, key: str, value: str | None = None) -> SubmitDeliverable:
    return SubmitDeliverable.new(payload=SubmitDeliverablePayload(
        item_id=EXCHANGE_ID, phase_number=phase_number, key=key, value=value,
        document=None if value is not None else DOCUMENT), actor=STAFF_ACTOR, city="bogota")


def advance(phase_number: int) -> AdvancePhase:
    return AdvancePhase.new(payload=PhaseStep(item_id=EXCHANGE_ID, phase_number=phase_number), actor=COORDINATING,
                            city="bogota")


def record_commitment(due_on: date, owner: int = 5031, action: str = "Diseñar la red de ciclorrutas escolares",
                      by: Actor = STAFF_ACTOR) -> RecordCommitment:
    return RecordCommitment.new(payload=RecordCommitmentPayload(
        item_id=EXCHANGE_ID, action=action, owner_id=person_id(owner), due_on=due_on,
        indicator="Kilómetros diseñados", target="25 km"), actor=by, city="bogota")


def report_progress(number: int, status: CommitmentStatus, percent: int, note: str | None = None,
                    by: Actor = OWNER_ACTOR) -> ReportProgress:
    return ReportProgress.new(payload=ReportProgressPayload(item_id=EXCHANGE_ID, number=number, status=status,
                                                            progress_percent=percent, note=note),
                              actor=by, city="bogota")


def plan_exchange(starts_on: date, ends_on: date, instrument: Instrument = Instrument.study_visit,
                  by: Actor = STAFF_ACTOR) -> PlanExchange:
    return PlanExchange.new(payload=PlanExchangePayload(item_id=EXCHANGE_ID, instrument=instrument,
                                                        starts_on=starts_on, ends_on=ends_on, city="Copenhague",
                                                        country="DK"), actor=by, city="bogota")


def record_participants(by: Actor = STAFF_ACTOR, **counts: int) -> RecordExchangeParticipants:
    return RecordExchangeParticipants.new(payload=RecordExchangeParticipantsPayload(item_id=EXCHANGE_ID,
                                                                                    counts=counts),
                                          actor=by, city="bogota")


def record_experts(*keys: str, by: Actor = STAFF_ACTOR) -> RecordExperts:
    return RecordExperts.new(payload=RecordExpertsPayload(item_id=EXCHANGE_ID, expert_keys=list(keys)), actor=by,
                             city="bogota")


def record_allies(*keys: str, by: Actor = STAFF_ACTOR) -> RecordAllies:
    return RecordAllies.new(payload=RecordAlliesPayload(item_id=EXCHANGE_ID, ally_keys=list(keys)), actor=by,
                            city="bogota")


def add_budget_line(number: int, amount: str, paid_by: str = PROGRAM, currency: Currency = Currency.EUR,
                    concept: str = "Honorarios de la experta") -> AddBudgetLine:
    return AddBudgetLine.new(payload=AddBudgetLinePayload(
        item_id=EXCHANGE_ID, line_id=derived_id("budget", number), concept=concept, amount=Decimal(amount),
        currency=currency, paid_by=paid_by), actor=STAFF_ACTOR, city="bogota")


def remove_budget_line(number: int) -> RemoveBudgetLine:
    return RemoveBudgetLine.new(payload=RemoveBudgetLinePayload(item_id=EXCHANGE_ID,
                                                                line_id=derived_id("budget", number)),
                                actor=STAFF_ACTOR, city="bogota")


def assign_logistics(task: LogisticsTask, owner: int, done: bool = False) -> AssignLogistics:
    return AssignLogistics.new(payload=AssignLogisticsPayload(item_id=EXCHANGE_ID, task=task,
                                                              owner_id=person_id(owner), done=done),
                               actor=STAFF_ACTOR, city="bogota")


def shortlist(practices: tuple[str, ...] = ("copenhagen",), experts: tuple[str, ...] = ("mette",),
              by: Actor = COORDINATING) -> Shortlist:
    reason = [MatchReason(kind=ReasonKind.sector, detail="mobility")]
    return Shortlist.new(payload=ShortlistPayload(
        item_id=EXCHANGE_ID, practices=[Match(key=key, name=key.title(), reasons=reason) for key in practices],
        experts=[Match(key=key, name=key.title(), reasons=reason) for key in experts]), actor=by, city="bogota")


CYCLING_PRACTICE = InternationalPractice(
    title="Supercykelstier", city="Copenhague", country="DK", organisation="Región Capital", sector="mobility",
    topics=["ciclismo", "bicicleta"], summary="Rutas rápidas y seguras para bicicletas.")


def known(kind: str, key: str) -> CatalogueEntryRecorded:
    """What phases hears of the catalogue: the entry's fields do not matter to it."""
    entries = {"practice": CYCLING_PRACTICE,
               "expert": Expert(name=key.title(), organisation="Org", organisation_type=OrganisationType.academia,
                                country="DK"),
               "ally": Ally(name=key.title(), support=SupportKind.both)}
    return CatalogueEntryRecorded.new(payload=CatalogueEntryRecordedPayload(key=key, entry=entries[kind],
                                                                           created=True),
                                      actor=COORDINATING, city="bogota", event_id=derived_id("known", kind, key))


CATALOGUE = (known("practice", "copenhagen"), known("expert", "mette"), known("expert", "pieter"),
             known("ally", "dutch-advisors"), known("ally", "british-council"))
QUESTIONS = ("usefulness", "experts", "organisation", "applicability")


def survey_id(phase_key: str = "exchange") -> uuid.UUID:
    return derived_id(EXCHANGE_ID, "survey", phase_key)


def respondent(number: int) -> str:
    return f"{number:064x}"


def answer(number: int, *ratings: int, phase_key: str = "exchange", comment: str | None = None) -> AnswerSurvey:
    return AnswerSurvey.new(payload=AnswerSurveyPayload(
        item_id=EXCHANGE_ID, survey_id=survey_id(phase_key), respondent=respondent(number),
        ratings=dict(zip(QUESTIONS, ratings, strict=False)), comment=comment), actor=ANONYMOUS, city="bogota")


def catalogue_entry(key: str, entry=CYCLING_PRACTICE, by: Actor = COORDINATING) -> RecordCatalogueEntry:
    return RecordCatalogueEntry.new(payload=RecordCatalogueEntryPayload(key=key, entry=entry), actor=by,
                                    city="bogota")


# The story up to each point, as the messages phases has seen. The exchange date is far ahead, so it stays valid.
PROPOSED = (EXCHANGE, *PEOPLE, *CATALOGUE)
IN_MATCHING = (*PROPOSED, submit(1, "need-sheet"), submit(1, "commitment", "La SED dedica dos personas."),
               advance(1))
IN_DESIGN = (*IN_MATCHING, submit(2, "terms-of-reference"), advance(2))
IN_ACTION_PLAN = (*IN_DESIGN, plan_exchange(date(2099, 3, 1), date(2099, 3, 5)), advance(3),
                  submit(4, "exchange-report"), record_participants(public_local=30, academia=4, international=2),
                  advance(4))


# --- what phases announces along the way, for the notifier's and the bot's cases ---------------------------------

def _announced(event_class, payload, name: str, by: Actor = STAFF_ACTOR):
    return event_class.new(payload=payload, actor=by, city="bogota", event_id=derived_id(EXCHANGE_ID, name))


COMMITMENT_ID = derived_id("commitment", 1)
TERMS = {"item_id": EXCHANGE_ID, "commitment_id": COMMITMENT_ID, "number": 1, "owner_id": person_id(5031),
         "entity_id": "sed", "action": "Diseñar la red de ciclorrutas escolares", "due_on": date(2027, 3, 1)}
COMMITMENT_RECORDED = _announced(CommitmentRecorded, CommitmentRecordedPayload(
    **TERMS, indicator="Kilómetros diseñados", target="25 km"), "commitment.recorded")
COMMITMENT_DUE = _announced(CommitmentDue, CommitmentDuePayload(**TERMS, days_left=3), "commitment.due")
COMMITMENT_OVERDUE = _announced(CommitmentOverdue, CommitmentOverduePayload(**TERMS, days_overdue=1, step=1),
                                "commitment.overdue")
COMMITMENT_BLOCKED = _announced(CommitmentUpdated, CommitmentUpdatedPayload(
    item_id=EXCHANGE_ID, commitment_id=COMMITMENT_ID, number=1, owner_id=person_id(5031),
    status=CommitmentStatus.blocked, progress_percent=40, note="Falta el presupuesto.", reported_by=person_id(5031)),
    "commitment.updated", OWNER_ACTOR)
SURVEY_REQUESTED = _announced(SurveyRequested, SurveyRequestedPayload(
    item_id=EXCHANGE_ID, survey_id=survey_id(), code=survey_code(survey_id()), phase_key="exchange",
    questions=list(QUESTIONS)), "survey.requested", COORDINATING)
SURVEY_SUBMITTED = _announced(SurveySubmitted, SurveySubmittedPayload(
    item_id=EXCHANGE_ID, survey_id=survey_id(), respondent=respondent(1), ratings=dict.fromkeys(QUESTIONS, 2),
    answers=3, average=2.0), "survey.submitted", ANONYMOUS)
SURVEY_SCORED_LOW = _announced(SurveyScoredLow, SurveyScoredLowPayload(
    item_id=EXCHANGE_ID, survey_id=survey_id(), phase_key="exchange", answers=3, average=2.0,
    averages=dict.fromkeys(QUESTIONS, 2.0), threshold=3.0), "survey.scored_low", ANONYMOUS)
def _as_event(event_class, payload_class, command, name: str):
    return _announced(event_class, payload_class(**command.payload.model_dump()), name)


SHORTLIST_RECORDED = _as_event(ShortlistRecorded, ShortlistRecordedPayload, shortlist(), "shortlist.recorded")
EXCHANGE_PLANNED = _as_event(ExchangePlanned, ExchangePlannedPayload, plan_exchange(date(2099, 3, 1),
                                                                                    date(2099, 3, 5)),
                             "exchange.planned")
EXPERTS_RECORDED = _as_event(ExpertsRecorded, ExpertsRecordedPayload, record_experts("mette"), "experts.recorded")
ALLIES_RECORDED = _as_event(AlliesRecorded, AlliesRecordedPayload, record_allies("dutch-advisors"),
                            "allies.recorded")
BUDGET_LINE_ADDED = _as_event(BudgetLineAdded, BudgetLineAddedPayload, add_budget_line(1, "1500.50"),
                              "budget_line.added")
BUDGET_LINE_REMOVED = _as_event(BudgetLineRemoved, BudgetLineRemovedPayload, remove_budget_line(1),
                                "budget_line.removed")
LOGISTICS_ASSIGNED = _as_event(LogisticsAssigned, LogisticsAssignedPayload,
                               assign_logistics(LogisticsTask.travel, 5031), "logistics.assigned")
PARTICIPANTS_RECORDED = _as_event(ExchangeParticipantsRecorded, ExchangeParticipantsRecordedPayload,
                                  record_participants(academia=3, public_local=20), "exchange_participants.recorded")
CATALOGUE_RECORDED = CatalogueEntryRecorded.new(payload=CatalogueEntryRecordedPayload(
    key="copenhagen", entry=CYCLING_PRACTICE, created=True), actor=COORDINATING, city="bogota",
    event_id=derived_id("catalogue.entry_recorded", "copenhagen"))
ANNOUNCED = (SHORTLIST_RECORDED, EXCHANGE_PLANNED, EXPERTS_RECORDED, ALLIES_RECORDED, BUDGET_LINE_ADDED,
             BUDGET_LINE_REMOVED, LOGISTICS_ASSIGNED, PARTICIPANTS_RECORDED, COMMITMENT_RECORDED, COMMITMENT_DUE,
             COMMITMENT_OVERDUE, COMMITMENT_BLOCKED, SURVEY_REQUESTED, SURVEY_SUBMITTED, SURVEY_SCORED_LOW)


def commitment_id(command: RecordCommitment) -> uuid.UUID:
    return derived_id(command.event_id, "commitment")
