"""The program's indicators for a period, read from the items' facts against the city file. Pure: facts in,
figures out, so the dashboard, the digest, the exports and a rebuild all count the same way.

What counts, and when (the README says the same for people):
- An exchange is a good practice *implemented* once its `aprende.participants_phase` (the exchange itself) is
  completed within the period. Its sector, entity, experts (and their organisation types and countries), allies and
  participants count for Aprende. Distinct counts are of distinct keys: an expert in two exchanges counts once.
- A practice is *systematized* once its `ensena.systematization_phase` is completed within the period. Its sector,
  entity and participants count for Enseña. Promotion channels are the distinct promotions held within the period.
- *Identified and shared* (against the target) are the practices systematized in the period that were also promoted
  or asked about (a promotion or a collaboration request, at any time).
- *Opportunities for learning and teaching* (against the target) are the exchanges implemented, the collaboration
  requests received and the promotions at international events and networks, each within the period.
- The pipeline, what is overdue, deadlines, collaboration requests waiting and decisions waiting are as of today,
  of live work only: items of the history import count in their periods, but nobody steers them now.
- Days are the city's: a moment is read in the city file's timezone (an exchange completed at 20:00 in Bogotá on
  31 December counts on that day, in that administration).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.commitments import CommitmentStatus
from puente.contracts.common import Line, ParticipantType
from puente.wiring.city import CityConfig, Period
from services.reporting.projections import ACTIVE, ON_HOLD, CatalogueFacts, ItemFacts

TEACHING_CHANNELS = ("international_event", "network")
MAX_LISTED = 150  # rows of one list in a report; the rest are counted ("and 20 more")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class AprendeFigures(Frozen):
    implemented: int = 0
    sectors: int = 0
    experts: int = 0
    experts_by_type: dict[str, int] = Field(default_factory=dict)
    countries: int = 0
    allies: int = 0
    entities: int = 0
    participants: int = 0
    participants_by_type: dict[str, int] = Field(default_factory=dict)


class EnsenaFigures(Frozen):
    systematized: int = 0
    sectors: int = 0
    entities: int = 0
    participants: int = 0
    participants_by_type: dict[str, int] = Field(default_factory=dict)
    channels: int = 0
    channels_by_kind: dict[str, int] = Field(default_factory=dict)


class Target(Frozen):
    value: int
    target: int

    @property
    def share(self) -> float:
        return self.value / self.target if self.target else 1.0


class Due(Frozen):
    """Something with a date: a phase, a commitment or a milestone of one item."""

    kind: str  # "phase", "commitment", "milestone"
    item_id: str
    reference: str | None
    title: str | None
    entity_id: str
    what: str  # the phase's or milestone's key, or the commitment's action
    due_on: date
    days: int  # late by (overdue) or left (deadlines)


class Waiting(Frozen):
    item_id: str
    reference: str | None
    title: str | None
    what: str  # COMPLETE_PHASE, DECIDE, or "assign" for a collaboration request
    detail: str  # the phase's key, or the requester


class OpenRequest(Frozen):
    item_id: str
    reference: str | None
    title: str | None
    requester: str
    country: str
    requested_on: date  # in the city's timezone
    assigned: bool


class SurveyFigures(Frozen):
    surveys: int = 0
    answers: int = 0
    average: float | None = None
    lowest: list[tuple[str, float]] = Field(default_factory=list)  # (reference, average), lowest first


class Indicators(Frozen):
    city: str
    period: str
    starts_on: date
    ends_on: date
    as_of: date
    aprende: AprendeFigures
    ensena: EnsenaFigures
    shared: Target
    opportunities: Target
    pipeline: dict[str, dict[str, int]]  # line -> phase key -> items there (active or on hold)
    on_hold: dict[str, int]
    overdue: list[Due]
    deadlines: list[Due]
    requests_open: int
    requests_unassigned: int
    open_requests: list[OpenRequest]  # the collaboration queue, oldest first
    waiting: list[Waiting]
    surveys: SurveyFigures


def local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def _in(period: Period, as_of: date, day: date | None) -> bool:
    return day is not None and period.starts_on <= day <= min(period.ends_on, as_of)


def _by_type(totals: Iterable[dict[ParticipantType, int]]) -> dict[str, int]:
    counter: Counter[str] = Counter()
    for counts in totals:
        for kind, count in counts.items():
            counter[ParticipantType(kind).value] += count
    return dict(sorted(counter.items()))


def aprende_figures(exchanges: list[ItemFacts], catalogue: Mapping[str, CatalogueFacts]) -> AprendeFigures:
    experts = sorted({key for exchange in exchanges for key in exchange.experts})
    known = [catalogue.get(f"expert:{key}") for key in experts]
    by_type = Counter(entry.organisation_type or "unknown" if entry else "unknown" for entry in known)
    countries = {entry.country for entry in known if entry and entry.country}
    participants = _by_type(exchange.participant_totals() for exchange in exchanges)
    return AprendeFigures(
        implemented=len(exchanges),
        sectors=len({exchange.sector for exchange in exchanges if exchange.sector}),
        experts=len(experts), experts_by_type=dict(sorted(by_type.items())), countries=len(countries),
        allies=len({key for exchange in exchanges for key in exchange.allies}),
        entities=len({exchange.entity_id for exchange in exchanges if exchange.entity_id}),
        participants=sum(participants.values()), participants_by_type=participants,
    )


def ensena_figures(practices: list[ItemFacts], promotions: list[tuple[str, str]]) -> EnsenaFigures:
    participants = _by_type(practice.participant_totals() for practice in practices)
    channels = Counter(channel for channel, _ in set(promotions))
    return EnsenaFigures(
        systematized=len(practices),
        sectors=len({practice.sector for practice in practices if practice.sector}),
        entities=len({practice.entity_id for practice in practices if practice.entity_id}),
        participants=sum(participants.values()), participants_by_type=participants,
        channels=sum(channels.values()), channels_by_kind=dict(sorted(channels.items())),
    )


def _due(kind: str, facts: ItemFacts, what: str, due_on: date, days: int, entity_id: str | None = None) -> Due:
    return Due(kind=kind, item_id=facts.id, reference=facts.reference, title=facts.title,
               entity_id=entity_id or facts.entity_id or "", what=what, due_on=due_on, days=days)


def dates_of(facts: ItemFacts) -> list[tuple[str, str, date, str | None]]:
    """(kind, what, due date, entity) of everything still open on an active item."""
    if facts.status != ACTIVE:
        return []
    dates = []
    if facts.phase_due_on is not None and facts.phase_key is not None:
        dates.append(("phase", facts.phase_key, facts.phase_due_on, None))
    dates += [("commitment", commitment.action, commitment.due_on, commitment.entity_id)
              for commitment in facts.commitments if commitment.status is not CommitmentStatus.done]
    dates += [("milestone", milestone.key, milestone.due_on, None)
              for milestone in facts.milestones if milestone.reached_on is None]
    return dates


def compute_indicators(items: Iterable[ItemFacts], catalogue: Mapping[str, CatalogueFacts], city: CityConfig,
                       period: Period, today: date) -> Indicators:
    zone = ZoneInfo(city.city.timezone)
    implemented_phase = city.aprende.participants_phase
    systematized_phase = city.ensena.systematization_phase
    horizon = today + timedelta(days=city.reporting.deadline_days)
    implemented, systematized, overdue, deadlines, waiting = [], [], [], [], []
    promotions: list[tuple[str, str]] = []
    open_requests: list[OpenRequest] = []
    shared = learning = teaching = requests_open = requests_unassigned = 0
    pipeline: dict[str, Counter[str]] = {line.value: Counter() for line in Line}
    on_hold: Counter[str] = Counter()
    surveys = []
    for facts in items:
        if facts.city != city.city.slug or facts.line is None:
            continue
        held = [promotion for promotion in facts.promotions if _in(period, today, promotion.held_on)]
        promotions += [(promotion.channel, f"{promotion.channel}:{promotion.name.casefold()}") for promotion in held]
        teaching += sum(1 for promotion in held if promotion.channel in TEACHING_CHANNELS)
        teaching += sum(1 for request in facts.requests if _in(period, today, local_day(request.requested_at, zone)))
        if facts.line is Line.aprende and _in(period, today, local_day(facts.completed.get(implemented_phase), zone)):
            implemented.append(facts)
            learning += 1
        if facts.line is Line.ensena and _in(period, today, local_day(facts.completed.get(systematized_phase), zone)):
            systematized.append(facts)
            if facts.promotions or facts.requests:
                shared += 1
        if facts.imported:  # past work: it counts in its period, but nobody steers it now
            continue
        line = facts.line.value
        if facts.status in (ACTIVE, ON_HOLD) and facts.phase_key is not None:
            pipeline[line][facts.phase_key] += 1
            if facts.status == ON_HOLD:
                on_hold[line] += 1
        for request in facts.requests:
            if request.closed_at is None:
                requests_open += 1
                open_requests.append(OpenRequest(item_id=facts.id, reference=facts.reference, title=facts.title,
                                                 requester=request.requester, country=request.country,
                                                 requested_on=local_day(request.requested_at, zone),
                                                 assigned=request.assigned))
                if not request.assigned:
                    requests_unassigned += 1
                    waiting.append(Waiting(item_id=facts.id, reference=facts.reference, title=facts.title,
                                           what="assign", detail=request.requester))
        for kind, what, due_on, entity_id in dates_of(facts):
            if due_on < today:
                overdue.append(_due(kind, facts, what, due_on, (today - due_on).days, entity_id))
            elif due_on <= horizon:
                deadlines.append(_due(kind, facts, what, due_on, (due_on - today).days, entity_id))
        if facts.awaiting is not None and facts.status == ACTIVE:
            waiting.append(Waiting(item_id=facts.id, reference=facts.reference, title=facts.title,
                                   what=facts.awaiting, detail=facts.phase_key or ""))
        surveys += [(facts.reference or facts.id[:8], survey) for survey in facts.surveys
                    if survey.answers >= city.aprende.survey_min_answers]
    answers = sum(survey.answers for _, survey in surveys)
    phase_order = {line.value: [phase.key for phase in city.phases_of(line)] for line in Line}
    return Indicators(
        city=city.city.slug, period=period.key, starts_on=period.starts_on, ends_on=period.ends_on, as_of=today,
        aprende=aprende_figures(implemented, catalogue),
        ensena=ensena_figures(systematized, promotions),
        shared=Target(value=shared, target=city.targets.practices_identified_and_shared),
        opportunities=Target(value=learning + teaching, target=city.targets.learning_and_teaching_opportunities),
        pipeline={line: {key: pipeline[line][key] for key in phase_order[line] if pipeline[line][key]}
                  for line in pipeline},
        on_hold=dict(on_hold),
        overdue=sorted(overdue, key=lambda due: (due.entity_id, -due.days, due.reference or "")),
        deadlines=sorted(deadlines, key=lambda due: (due.due_on, due.entity_id, due.reference or "")),
        requests_open=requests_open, requests_unassigned=requests_unassigned,
        open_requests=sorted(open_requests, key=lambda request: (request.requested_on, request.item_id)),
        waiting=sorted(waiting, key=lambda waiting: (waiting.what, waiting.reference or "")),
        surveys=SurveyFigures(
            surveys=len(surveys), answers=answers,
            average=round(sum(survey.average * survey.answers for _, survey in surveys) / answers, 2)
            if answers else None,
            lowest=sorted(((reference, survey.average) for reference, survey in surveys), key=lambda pair: pair[1])[:5],
        ),
    )
