"""One Bogotá Aprende exchange's story as messages: the people it needs (a coordinator, staff of the exchange's
entity who propose it and own its commitments, staff of another entity), the commands that bring it to its action
plan, and a builder for each Aprende command, so the unit tests, the handler cases and the notifier's tests tell it
the same way."""

from __future__ import annotations

import uuid
from datetime import date

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
from puente.contracts.knowledge import InternationalPractice, RecordCatalogueEntry, RecordCatalogueEntryPayload
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


QUESTIONS = ("usefulness", "experts", "organisation", "applicability")


def survey_id(phase_key: str = "exchange") -> uuid.UUID:
    return derived_id(EXCHANGE_ID, "survey", phase_key)


def respondent(number: int) -> str:
    return f"{number:064x}"


def answer(number: int, *ratings: int, phase_key: str = "exchange", comment: str | None = None) -> AnswerSurvey:
    return AnswerSurvey.new(payload=AnswerSurveyPayload(
        item_id=EXCHANGE_ID, survey_id=survey_id(phase_key), respondent=respondent(number),
        ratings=dict(zip(QUESTIONS, ratings, strict=False)), comment=comment), actor=ANONYMOUS, city="bogota")


CYCLING_PRACTICE = InternationalPractice(
    title="Supercykelstier", city="Copenhague", country="DK", organisation="Región Capital", sector="mobility",
    topics=["ciclismo", "bicicleta"], summary="Rutas rápidas y seguras para bicicletas.")


def catalogue_entry(key: str, entry=CYCLING_PRACTICE, by: Actor = COORDINATING) -> RecordCatalogueEntry:
    return RecordCatalogueEntry.new(payload=RecordCatalogueEntryPayload(key=key, entry=entry), actor=by,
                                    city="bogota")


# The story up to each point, as the messages phases has seen. The exchange date is far ahead, so it stays valid.
PROPOSED = (EXCHANGE, *PEOPLE)
IN_ACTION_PLAN = (*PROPOSED, submit(1, "need-sheet"), submit(1, "commitment", "La SED dedica dos personas."),
                  advance(1), submit(2, "terms-of-reference"), advance(2), submit(3, "instrument", "study-visit"),
                  submit(3, "exchange-date", "2099-03-01"), advance(3), submit(4, "exchange-report"),
                  submit(4, "attendance", "40"), advance(4))


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
ANNOUNCED = (COMMITMENT_RECORDED, COMMITMENT_DUE, COMMITMENT_OVERDUE, COMMITMENT_BLOCKED, SURVEY_REQUESTED,
             SURVEY_SUBMITTED, SURVEY_SCORED_LOW)


def commitment_id(command: RecordCommitment) -> uuid.UUID:
    return derived_id(command.event_id, "commitment")
