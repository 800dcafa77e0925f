"""Bogotá Aprende's rules, free of Kafka and MongoDB: the shortlist of catalogue practices and experts matched to an
exchange's need, the exchange's record (plan, experts, allies, budget, logistics, participants), the participants'
surveys after the exchange and at closure, the action plan's commitments, their reminders before and after their
due dates, and the progress their owners report.

The city's choices arrive as plain values (`AprendeRules`); who acts arrives as `Acting` (phases' directory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from puente.contracts.commitments import (
    MAX_COMMITMENTS,
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
    ReportProgress,
)
from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.exchanges import (
    MAX_BUDGET_LINES,
    PROGRAM,
    AddBudgetLine,
    AlliesRecorded,
    AlliesRecordedPayload,
    AssignLogistics,
    BudgetLineAdded,
    BudgetLineAddedPayload,
    BudgetLineRemoved,
    BudgetLineRemovedPayload,
    ExchangeParticipantsRecorded,
    ExchangeParticipantsRecordedPayload,
    ExchangePlanned,
    ExchangePlannedPayload,
    ExpertsRecorded,
    ExpertsRecordedPayload,
    LogisticsAssigned,
    LogisticsAssignedPayload,
    PlanExchange,
    RecordAllies,
    RecordExchangeParticipants,
    RecordExperts,
    RemoveBudgetLine,
    Shortlist,
    ShortlistRecorded,
    ShortlistRecordedPayload,
)
from puente.contracts.people import Role
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.surveys import (
    MAX_ANSWERS,
    AnswerSurvey,
    SurveyRequested,
    SurveyRequestedPayload,
    SurveyScoredLow,
    SurveyScoredLowPayload,
    SurveySubmitted,
    SurveySubmittedPayload,
    survey_code,
)
from services.phases.domain import (
    ENDED,
    BudgetEntry,
    Commitment,
    ExchangePlan,
    ExchangeRecord,
    FollowUp,
    LogisticsEntry,
    Process,
    Refused,
    ShortlistedEntry,
    SurveyRecord,
)
from services.phases.ensena import STEERING_ROLES, Acting, of_the_entity


@dataclass(frozen=True)
class AprendeRules:
    """The city's Aprende choices, as plain values."""

    matching_phase: str
    record_phases: tuple[str, ...]
    plan_phase: str
    participants_phase: str
    action_plan_phase: str
    survey_phases: tuple[str, ...]
    questions: tuple[str, ...]
    low_average: float
    min_answers: int


def _event(event_class, payload, command: Message, process: Process, now: datetime, name: str) -> Message:
    return event_class.new(payload=payload, actor=command.actor, city=process.city, caused_by=command,
                           event_id=derived_id(command.event_id, name), occurred_at=now)


def _exchange(process: Process | None) -> tuple[Process, ExchangeRecord]:
    """The exchange a command names, which has not ended; refused for a practice or an unknown item."""
    if process is None or process.line is not Line.aprende:
        raise Refused(PhasesRejectionReason.unknown_exchange)
    if process.status in ENDED:
        raise Refused(PhasesRejectionReason.item_ended)
    return process, process.exchange or ExchangeRecord()


def _phase_index(process: Process, key: str) -> int:
    return next((phase.number for phase in process.phases if phase.key == key), 0)


def _reached(process: Process, key: str) -> None:
    """The exchange is in the phase `key` or a later one."""
    if process.current_phase < _phase_index(process, key) or _phase_index(process, key) == 0:
        raise Refused(PhasesRejectionReason.wrong_phase)


def _in_record_phase(process: Process, rules: AprendeRules) -> None:
    if process.current().key not in rules.record_phases:
        raise Refused(PhasesRejectionReason.wrong_phase)


def _with_record(process: Process, record: ExchangeRecord, **changes) -> Process:
    return process.model_copy(update={"exchange": record.model_copy(update=changes)})


def may_complete_phase(process: Process | None, rules: AprendeRules) -> None:
    """The plan's phase completes once the exchange's plan is recorded; the participants' phase once they are."""
    if process is None or process.line is not Line.aprende:
        return
    record = process.exchange or ExchangeRecord()
    phase = process.current().key
    if phase == rules.plan_phase and record.plan is None:
        raise Refused(PhasesRejectionReason.plan_missing)
    if phase == rules.participants_phase and not record.participants:
        raise Refused(PhasesRejectionReason.participants_missing)


# --- matching and the exchange's record --------------------------------------------------------------------------

Known = set[str]  # the catalogue's entries phases knows, as "<kind>:<key>"


def _known(keys, kind: str, known: Known) -> None:
    if any(f"{kind}:{key}" not in known for key in keys):
        raise Refused(PhasesRejectionReason.unknown_catalogue_entry)


def shortlist(process: Process | None, command: Shortlist, acting: Acting, known: Known, rules: AprendeRules,
              now: datetime) -> tuple[Process, list[Message]]:
    """A coordinator keeps the matches that fit, in the matching phase; it replaces an earlier shortlist."""
    process, record = _exchange(process)
    if acting.role not in STEERING_ROLES:
        raise Refused(PhasesRejectionReason.not_allowed)
    if process.current().key != rules.matching_phase:
        raise Refused(PhasesRejectionReason.wrong_phase)
    payload = command.payload
    _known([match.key for match in payload.practices], "practice", known)
    _known([match.key for match in payload.experts], "expert", known)

    def kept(matches) -> list[ShortlistedEntry]:
        return [ShortlistedEntry(key=match.key, name=match.name,
                                 reasons=[reason.model_dump(mode="json") for reason in match.reasons])
                for match in matches]

    changed = _with_record(process, record, shortlisted_practices=kept(payload.practices),
                           shortlisted_experts=kept(payload.experts))
    return changed, [_event(ShortlistRecorded, ShortlistRecordedPayload(**payload.model_dump()), command, process,
                            now, "shortlist.recorded")]


def plan_exchange(process: Process | None, command: PlanExchange, acting: Acting, rules: AprendeRules,
                  now: datetime) -> tuple[Process, list[Message]]:
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    payload = command.payload
    plan = ExchangePlan(instrument=payload.instrument.value, starts_on=payload.starts_on, ends_on=payload.ends_on,
                        city=payload.city, country=payload.country)
    return _with_record(process, record, plan=plan), [_event(
        ExchangePlanned, ExchangePlannedPayload(**payload.model_dump()), command, process, now, "exchange.planned")]


def record_experts(process: Process | None, command: RecordExperts, acting: Acting, known: Known,
                   rules: AprendeRules, now: datetime) -> tuple[Process, list[Message]]:
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    keys = list(dict.fromkeys(command.payload.expert_keys))
    _known(keys, "expert", known)
    return _with_record(process, record, experts=keys), [_event(
        ExpertsRecorded, ExpertsRecordedPayload(item_id=process.id, expert_keys=keys), command, process, now,
        "experts.recorded")]


def record_allies(process: Process | None, command: RecordAllies, acting: Acting, known: Known,
                  now: datetime) -> tuple[Process, list[Message]]:
    """Allies can be recorded from the exchange's first phase; one paying a budget line stays."""
    process, record = _exchange(process)
    of_the_entity(acting, process)
    keys = list(dict.fromkeys(command.payload.ally_keys))
    _known(keys, "ally", known)
    if any(line.paid_by not in (PROGRAM, *keys) for line in record.budget):
        raise Refused(PhasesRejectionReason.ally_not_involved)
    return _with_record(process, record, allies=keys), [_event(
        AlliesRecorded, AlliesRecordedPayload(item_id=process.id, ally_keys=keys), command, process, now,
        "allies.recorded")]


def add_budget_line(process: Process | None, command: AddBudgetLine, acting: Acting, rules: AprendeRules,
                    now: datetime) -> tuple[Process, list[Message]]:
    """A budget line, paid by the program or by an ally involved in the exchange (its co-funding)."""
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    payload = command.payload
    if payload.paid_by != PROGRAM and payload.paid_by not in record.allies:
        raise Refused(PhasesRejectionReason.ally_not_involved)
    if any(line.id == str(payload.line_id) for line in record.budget):
        raise Refused(PhasesRejectionReason.already_registered)
    if len(record.budget) >= MAX_BUDGET_LINES:
        raise Refused(PhasesRejectionReason.too_many_budget_lines)
    line = BudgetEntry(id=str(payload.line_id), concept=payload.concept, amount=payload.amount,
                       currency=payload.currency.value, paid_by=payload.paid_by)
    return _with_record(process, record, budget=[*record.budget, line]), [_event(
        BudgetLineAdded, BudgetLineAddedPayload(**payload.model_dump()), command, process, now, "budget_line.added")]


def remove_budget_line(process: Process | None, command: RemoveBudgetLine, acting: Acting, rules: AprendeRules,
                       now: datetime) -> tuple[Process, list[Message]]:
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    line_id = str(command.payload.line_id)
    if all(line.id != line_id for line in record.budget):
        raise Refused(PhasesRejectionReason.unknown_budget_line)
    return _with_record(process, record, budget=[line for line in record.budget if line.id != line_id]), [_event(
        BudgetLineRemoved, BudgetLineRemovedPayload(**command.payload.model_dump()), command, process, now,
        "budget_line.removed")]


def assign_logistics(process: Process | None, command: AssignLogistics, acting: Acting, owner: Acting | None,
                     rules: AprendeRules, now: datetime) -> tuple[Process, list[Message]]:
    """A logistics task's owner is an active person of the exchange's entity, or a coordinator."""
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    payload = command.payload
    if owner is None or not owner.active or not (owner.role in STEERING_ROLES or (
            owner.role is Role.staff and owner.entity_id == process.entity_id)):
        raise Refused(PhasesRejectionReason.owner_not_of_entity)
    logistics = {**record.logistics, payload.task.value: LogisticsEntry(owner_id=str(payload.owner_id),
                                                                        done=payload.done)}
    return _with_record(process, record, logistics=logistics), [_event(
        LogisticsAssigned, LogisticsAssignedPayload(**payload.model_dump()), command, process, now,
        "logistics.assigned")]


def record_participants(process: Process | None, command: RecordExchangeParticipants, acting: Acting,
                        rules: AprendeRules, now: datetime) -> tuple[Process, list[Message]]:
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _in_record_phase(process, rules)
    counts = {kind.value: count for kind, count in command.payload.counts.items()}
    return _with_record(process, record, participants=counts), [_event(
        ExchangeParticipantsRecorded, ExchangeParticipantsRecordedPayload(**command.payload.model_dump()), command,
        process, now, "exchange_participants.recorded")]


# --- the action plan -------------------------------------------------------------------------------------------


def record_commitment(process: Process | None, command: RecordCommitment, acting: Acting, owner: Acting | None,
                      rules: AprendeRules, today: date, now: datetime) -> tuple[Process, list[Message]]:
    """A commitment joins the action plan, from its phase on: its owner is an active person of the exchange's
    entity, its due date is not past."""
    process, record = _exchange(process)
    of_the_entity(acting, process)
    _reached(process, rules.action_plan_phase)
    payload = command.payload
    if owner is None or not owner.active or owner.entity_id != process.entity_id:
        raise Refused(PhasesRejectionReason.owner_not_of_entity)
    if payload.due_on < today:
        raise Refused(PhasesRejectionReason.past_date)
    if len(record.commitments) >= MAX_COMMITMENTS:
        raise Refused(PhasesRejectionReason.too_many_commitments)
    commitment = Commitment(id=str(derived_id(command.event_id, "commitment")), number=len(record.commitments) + 1,
                            action=payload.action, owner_id=str(payload.owner_id), due_on=payload.due_on,
                            indicator=payload.indicator, target=payload.target)
    changed = process.model_copy(update={"exchange": record.model_copy(
        update={"commitments": [*record.commitments, commitment]})})
    event = _event(CommitmentRecorded, CommitmentRecordedPayload(
        item_id=process.id, commitment_id=commitment.id, number=commitment.number, entity_id=process.entity_id,
        action=payload.action, owner_id=payload.owner_id, due_on=payload.due_on, indicator=payload.indicator,
        target=payload.target), command, process, now, "commitment.recorded")
    return changed, [event]


def report_progress(process: Process | None, command: ReportProgress, acting: Acting,
                    now: datetime) -> tuple[Process, list[Message]]:
    """Its owner, staff of its entity or a coordinator report a commitment's progress; one done takes no more."""
    process, record = _exchange(process)
    payload = command.payload
    commitment = next((kept for kept in record.commitments if kept.number == payload.number), None)
    if commitment is None:
        raise Refused(PhasesRejectionReason.unknown_commitment)
    if acting.id != commitment.owner_id:
        of_the_entity(acting, process)
    if commitment.status == CommitmentStatus.done:
        raise Refused(PhasesRejectionReason.commitment_done)
    changed_commitment = commitment.model_copy(update={
        "status": payload.status.value, "progress_percent": payload.progress_percent, "note": payload.note})
    changed = _with_commitment(process, record, changed_commitment)
    event = _event(CommitmentUpdated, CommitmentUpdatedPayload(
        item_id=process.id, commitment_id=commitment.id, number=commitment.number, owner_id=commitment.owner_id,
        status=payload.status, progress_percent=payload.progress_percent, note=payload.note, reported_by=acting.id),
        command, process, now, "commitment.updated")
    return changed, [event]


def _with_commitment(process: Process, record: ExchangeRecord, changed: Commitment) -> Process:
    commitments = [changed if kept.number == changed.number else kept for kept in record.commitments]
    return process.model_copy(update={"exchange": record.model_copy(update={"commitments": commitments})})


def commitments_due(process: Process, today: date, now: datetime,
                    follow_up: FollowUp) -> tuple[Process, list[Message]]:
    """The daily scan's part: each commitment not done that is due within `due_soon_days` is announced once per due
    date; one past its due date, the day after and then on the city's cadence, each step once (ids derived from
    the commitment, its due date and the step, so a repeated run repeats nothing)."""
    if process.exchange is None or not process.open or process.status != "active":
        return process, []
    record = process.exchange
    events: list[Message] = []
    for commitment in record.commitments:
        if commitment.status == CommitmentStatus.done:
            continue
        days_left = (commitment.due_on - today).days
        facts = {"item_id": process.id, "commitment_id": commitment.id, "number": commitment.number,
                 "owner_id": commitment.owner_id, "entity_id": process.entity_id, "action": commitment.action,
                 "due_on": commitment.due_on}
        if 0 <= days_left <= follow_up.due_soon_days and commitment.due_soon_for != commitment.due_on:
            commitment = commitment.model_copy(update={"due_soon_for": commitment.due_on})
            events.append(CommitmentDue.new(
                payload=CommitmentDuePayload(**facts, days_left=days_left), actor=SYSTEM_ACTOR, city=process.city,
                event_id=derived_id(process.id, "commitment.due", commitment.id, commitment.due_on), occurred_at=now))
        elif days_left < 0:
            step = 1 + (-days_left - 1) // follow_up.overdue_every_days
            told = commitment.overdue_steps if commitment.overdue_for == commitment.due_on else 0
            if step <= told:
                continue
            commitment = commitment.model_copy(update={"overdue_for": commitment.due_on, "overdue_steps": step})
            events.append(CommitmentOverdue.new(
                payload=CommitmentOverduePayload(**facts, days_overdue=-days_left, step=step), actor=SYSTEM_ACTOR,
                city=process.city, occurred_at=now,
                event_id=derived_id(process.id, "commitment.overdue", commitment.id, commitment.due_on, step)))
        else:
            continue
        process = _with_commitment(process, process.exchange, commitment)
    return process, events


# --- surveys ---------------------------------------------------------------------------------------------------


def open_surveys(before: Process, after: Process, rules: AprendeRules, command: Message,
                 now: datetime) -> tuple[Process, list[Message]]:
    """A survey phase that has just completed opens its survey, once per phase (a phase sent back and completed
    again keeps the first one)."""
    if after.line is not Line.aprende:
        return after, []
    record = after.exchange or ExchangeRecord()
    completed = [phase.key for phase, earlier in zip(after.phases, before.phases, strict=True)
                 if phase.status == "completed" and earlier.status != "completed" and phase.key in rules.survey_phases]
    events: list[Message] = []
    for phase_key in completed:
        if any(survey.phase_key == phase_key for survey in record.surveys):
            continue
        survey_id = derived_id(after.id, "survey", phase_key)
        survey = SurveyRecord(id=str(survey_id), code=survey_code(survey_id), phase_key=phase_key,
                              questions=list(rules.questions))
        record = record.model_copy(update={"surveys": [*record.surveys, survey]})
        events.append(SurveyRequested.new(
            payload=SurveyRequestedPayload(item_id=after.id, survey_id=survey_id, code=survey.code,
                                           phase_key=phase_key, questions=survey.questions),
            actor=command.actor, city=after.city, caused_by=command, occurred_at=now,
            event_id=derived_id(command.event_id, "survey.requested", phase_key)))
    if not events:
        return after, []
    return after.model_copy(update={"exchange": record}), events


def answer_survey(process: Process | None, command: AnswerSurvey, rules: AprendeRules,
                  now: datetime) -> tuple[Process, list[Message]]:
    """One answer per respondent, rating every question of the survey; a survey whose average falls below the
    city's threshold once it has enough answers alerts the coordinators, once. A survey stays open after the
    exchange closes (the closure survey opens then)."""
    if process is None or process.line is not Line.aprende:
        raise Refused(PhasesRejectionReason.unknown_exchange)
    record = process.exchange or ExchangeRecord()
    payload = command.payload
    survey = next((kept for kept in record.surveys if kept.id == str(payload.survey_id)), None)
    if survey is None:
        raise Refused(PhasesRejectionReason.unknown_survey)
    if payload.respondent in survey.respondents:
        raise Refused(PhasesRejectionReason.already_answered)
    if set(payload.ratings) != set(survey.questions):
        raise Refused(PhasesRejectionReason.invalid_answer)
    if len(survey.respondents) >= MAX_ANSWERS:
        raise Refused(PhasesRejectionReason.survey_full)
    answered = survey.model_copy(update={
        "respondents": [*survey.respondents, payload.respondent],
        "totals": {question: survey.totals.get(question, 0) + payload.ratings[question]
                   for question in survey.questions}})
    events: list[Message] = [_event(SurveySubmitted, SurveySubmittedPayload(
        item_id=process.id, survey_id=payload.survey_id, respondent=payload.respondent, ratings=payload.ratings,
        comment=payload.comment, answers=len(answered.respondents), average=answered.average()),
        command, process, now, "survey.submitted")]
    if not answered.alerted and len(answered.respondents) >= rules.min_answers and \
            answered.average() < rules.low_average:
        answered = answered.model_copy(update={"alerted": True})
        events.append(_event(SurveyScoredLow, SurveyScoredLowPayload(
            item_id=process.id, survey_id=payload.survey_id, phase_key=survey.phase_key,
            answers=len(answered.respondents), average=answered.average(), averages=answered.averages(),
            threshold=rules.low_average), command, process, now, "survey.scored_low"))
    surveys = [answered if kept.id == survey.id else kept for kept in record.surveys]
    return process.model_copy(update={"exchange": record.model_copy(update={"surveys": surveys})}), events
