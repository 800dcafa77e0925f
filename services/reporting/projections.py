"""Reporting's own view of the program, kept from the other services' events: one fact sheet per item (its
proposal, its course, the people and results recorded on it) and the catalogue's experts and allies. Pure
functions: a fact sheet and an event in, the new fact sheet out. Nothing here knows the city file; the indicators
(`indicators.py`) read these facts against it.

Each fact sheet counts the events applied to it (`revision`); the journal (`handlers.py`) keeps each event with that
number, so a rebuild applies them again in the very order they were applied live."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field

from puente.contracts.collaboration import (
    CollaborationAssigned,
    CollaborationClosed,
    CollaborationRequested,
)
from puente.contracts.commitments import CommitmentRecorded, CommitmentStatus, CommitmentUpdated
from puente.contracts.common import Line, ParticipantType
from puente.contracts.envelope import IMPORT_ACTOR, Message
from puente.contracts.evaluation import PracticeDecided, ScorecardSubmitted
from puente.contracts.exchanges import (
    AlliesRecorded,
    ExchangeParticipantsRecorded,
    ExchangePlanned,
    ExpertsRecorded,
)
from puente.contracts.items import ExchangeProposed, ItemUpdated, PracticeProposed
from puente.contracts.knowledge import CatalogueEntryRecorded
from puente.contracts.phases import (
    DeliverableSubmitted,
    ItemClosed,
    ItemOnHold,
    ItemResumed,
    ItemWithdrawn,
    PhaseCompleted,
    PhaseDueDateMoved,
    PhaseReturned,
    PhaseStarted,
)
from puente.contracts.surveys import SurveySubmitted
from puente.contracts.systematization import (
    MilestoneMoved,
    MilestoneReached,
    ParticipantsRecorded,
    PromotionRecorded,
    SystematizationScheduled,
)

ACTIVE, ON_HOLD, WITHDRAWN, CLOSED = "active", "on_hold", "withdrawn", "closed"
COMPLETE_PHASE, DECIDE = "complete_phase", "decide"  # what a coordinator is waiting to do


class Promotion(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    channel: str
    name: str
    held_on: date
    country: str


class Request(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    requested_at: datetime
    requester: str
    country: str
    assigned: bool = False
    closed_at: datetime | None = None
    outcome: str | None = None


class Commitment(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    number: int
    entity_id: str
    action: str
    due_on: date
    status: CommitmentStatus = CommitmentStatus.not_started
    progress_percent: int = 0


class Survey(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    answers: int
    average: float


class MilestoneDate(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    due_on: date
    reached_on: date | None = None


class ItemFacts(BaseModel):
    """What reporting knows of one exchange or practice. Events of the item may come before its proposal (they
    travel on another topic), so every field but the id has a default until its event arrives."""

    model_config = ConfigDict(frozen=True)

    id: str  # the item's id
    city: str
    line: Line | None = None
    reference: str | None = None
    entity_id: str | None = None
    sector: str | None = None
    title: str | None = None
    proposed_at: datetime | None = None
    imported: bool = False  # told by the history import: past work, not steered live
    status: str = ACTIVE
    phase_number: int | None = None
    phase_key: str | None = None
    phase_due_on: date | None = None
    awaiting: str | None = None  # COMPLETE_PHASE or DECIDE: a coordinator's move is due
    completed: dict[str, datetime] = Field(default_factory=dict)  # phase key -> when it was (last) completed
    closed_at: datetime | None = None
    decision: str | None = None
    experts: list[str] = Field(default_factory=list)  # catalogue keys
    allies: list[str] = Field(default_factory=list)
    exchange_country: str | None = None
    participants: dict[str, dict[ParticipantType, int]] = Field(default_factory=dict)  # by phase key ("" Aprende's)
    promotions: list[Promotion] = Field(default_factory=list)
    requests: list[Request] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    surveys: list[Survey] = Field(default_factory=list)
    milestones: list[MilestoneDate] = Field(default_factory=list)
    revision: int = 0

    def participant_totals(self) -> dict[ParticipantType, int]:
        totals: dict[ParticipantType, int] = {}
        for counts in self.participants.values():
            for kind, count in counts.items():
                totals[kind] = totals.get(kind, 0) + count
        return totals


class CatalogueFacts(BaseModel):
    """A catalogue entry as reports need it: an expert's organisation type and country, an ally's name."""

    model_config = ConfigDict(frozen=True)
    id: str  # "<kind>:<key>"
    city: str
    kind: str
    key: str
    name: str
    organisation_type: str | None = None
    country: str | None = None
    revision: int = 0


def when(event: Message) -> datetime:
    """When it happened (UTC), to the millisecond as the database keeps it (so facts rebuilt in memory equal the
    stored ones): the indicators read it as a day of the city's own timezone."""
    moment = event.occurred_at
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _replace(items: list, new, key: str = "id") -> list:
    return [*[kept for kept in items if getattr(kept, key) != getattr(new, key)], new]


def _proposal(facts: ItemFacts, event: ExchangeProposed | PracticeProposed) -> dict:
    payload = event.payload
    return {"line": Line.aprende if isinstance(event, ExchangeProposed) else Line.ensena,
            "reference": payload.reference, "entity_id": payload.entity_id, "sector": payload.sector,
            "title": payload.title, "proposed_at": when(event), "imported": event.actor == IMPORT_ACTOR}


def _phase_started(facts: ItemFacts, event: PhaseStarted | PhaseReturned) -> dict:
    payload = event.payload
    return {"line": payload.line, "phase_number": payload.phase_number, "phase_key": payload.phase_key,
            "phase_due_on": payload.due_on, "awaiting": None, "status": ACTIVE}


def _phase_completed(facts: ItemFacts, event: PhaseCompleted) -> dict:
    awaiting = None if facts.phase_key == event.payload.phase_key else facts.awaiting
    return {"completed": {**facts.completed, event.payload.phase_key: when(event)}, "awaiting": awaiting}


def _course(status: str):
    def change(facts: ItemFacts, event: ItemOnHold | ItemResumed | ItemWithdrawn | ItemClosed) -> dict:
        changes: dict = {"status": status, "phase_number": event.payload.phase_number,
                         "phase_key": event.payload.phase_key}
        if event.payload.due_on is not None:
            changes["phase_due_on"] = event.payload.due_on
        if status in (CLOSED, WITHDRAWN):
            changes.update(closed_at=when(event), awaiting=None)
        return changes
    return change


def _deliverable(facts: ItemFacts, event: DeliverableSubmitted) -> dict:
    if event.payload.phase_key != facts.phase_key:
        return {}
    return {"awaiting": COMPLETE_PHASE if not event.payload.missing else None}


def _scorecard(facts: ItemFacts, event: ScorecardSubmitted) -> dict:
    return {"awaiting": DECIDE if event.payload.waiting_for == 0 else None}


def _decided(facts: ItemFacts, event: PracticeDecided) -> dict:
    return {"decision": event.payload.decision.value, "awaiting": None}


def _participants(facts: ItemFacts, event: ExchangeParticipantsRecorded | ParticipantsRecorded) -> dict:
    phase_key = getattr(event.payload, "phase_key", "")
    return {"participants": {**facts.participants, phase_key: dict(event.payload.counts)}}


def _promotion(facts: ItemFacts, event: PromotionRecorded) -> dict:
    payload = event.payload
    promotion = Promotion(id=str(payload.promotion_id), channel=payload.channel.value, name=payload.name,
                          held_on=payload.held_on, country=payload.country)
    return {"promotions": _replace(facts.promotions, promotion)}


def _requested(facts: ItemFacts, event: CollaborationRequested) -> dict:
    payload = event.payload
    earlier = next((request for request in facts.requests if request.id == str(payload.request_id)), None)
    request = Request(id=str(payload.request_id), requested_at=when(event), requester=payload.requester,
                      country=payload.country, assigned=earlier.assigned if earlier else False,
                      closed_at=earlier.closed_at if earlier else None, outcome=earlier.outcome if earlier else None)
    return {"requests": _replace(facts.requests, request)}


def _request_changed(facts: ItemFacts, request_id: str, **changes) -> dict:
    earlier = next((request for request in facts.requests if request.id == request_id), None)
    if earlier is None:  # the request's own event is applied first on the same partition; keep what we can
        earlier = Request(id=request_id, requested_at=datetime.min.replace(tzinfo=UTC), requester="", country="ZZ")
    return {"requests": _replace(facts.requests, earlier.model_copy(update=changes))}


def _assigned(facts: ItemFacts, event: CollaborationAssigned) -> dict:
    return _request_changed(facts, str(event.payload.request_id), assigned=True)


def _request_closed(facts: ItemFacts, event: CollaborationClosed) -> dict:
    return _request_changed(facts, str(event.payload.request_id), closed_at=when(event),
                            outcome=event.payload.outcome.value)


def _commitment(facts: ItemFacts, event: CommitmentRecorded) -> dict:
    payload = event.payload
    commitment = Commitment(id=str(payload.commitment_id), number=payload.number, entity_id=payload.entity_id,
                            action=payload.action, due_on=payload.due_on)
    return {"commitments": _replace(facts.commitments, commitment)}


def _progress(facts: ItemFacts, event: CommitmentUpdated) -> dict:
    payload = event.payload
    earlier = next((kept for kept in facts.commitments if kept.id == str(payload.commitment_id)), None)
    if earlier is None:
        return {}
    updated = earlier.model_copy(update={"status": payload.status, "progress_percent": payload.progress_percent})
    return {"commitments": _replace(facts.commitments, updated)}


def _survey(facts: ItemFacts, event: SurveySubmitted) -> dict:
    payload = event.payload
    earlier = next((kept for kept in facts.surveys if kept.id == str(payload.survey_id)), None)
    if earlier is not None and earlier.answers >= payload.answers:
        return {}
    survey = Survey(id=str(payload.survey_id), answers=payload.answers, average=payload.average)
    return {"surveys": _replace(facts.surveys, survey)}


def _scheduled(facts: ItemFacts, event: SystematizationScheduled) -> dict:
    return {"milestones": [MilestoneDate(key=milestone.key, due_on=milestone.due_on)
                           for milestone in event.payload.milestones]}


def _milestone(facts: ItemFacts, key: str, **changes) -> dict:
    return {"milestones": [milestone.model_copy(update=changes) if milestone.key == key else milestone
                           for milestone in facts.milestones]}


def _milestone_moved(facts: ItemFacts, event: MilestoneMoved) -> dict:
    return _milestone(facts, event.payload.key, due_on=event.payload.due_on)


def _milestone_reached(facts: ItemFacts, event: MilestoneReached) -> dict:
    return _milestone(facts, event.payload.key, reached_on=event.payload.reached_on)


ITEM_RULES = {
    ExchangeProposed: _proposal,
    PracticeProposed: _proposal,
    ItemUpdated: lambda facts, event: ({"title": event.payload.changes.title} if event.payload.changes.title else {}),
    PhaseStarted: _phase_started,
    PhaseReturned: _phase_started,
    PhaseCompleted: _phase_completed,
    PhaseDueDateMoved: lambda facts, event: {"phase_due_on": event.payload.due_on},
    ItemOnHold: _course(ON_HOLD),
    ItemResumed: _course(ACTIVE),
    ItemWithdrawn: _course(WITHDRAWN),
    ItemClosed: _course(CLOSED),
    DeliverableSubmitted: _deliverable,
    ScorecardSubmitted: _scorecard,
    PracticeDecided: _decided,
    ExpertsRecorded: lambda facts, event: {"experts": sorted(set(event.payload.expert_keys))},
    AlliesRecorded: lambda facts, event: {"allies": sorted(set(event.payload.ally_keys))},
    ExchangePlanned: lambda facts, event: {"exchange_country": event.payload.country},
    ExchangeParticipantsRecorded: _participants,
    ParticipantsRecorded: _participants,
    PromotionRecorded: _promotion,
    CollaborationRequested: _requested,
    CollaborationAssigned: _assigned,
    CollaborationClosed: _request_closed,
    CommitmentRecorded: _commitment,
    CommitmentUpdated: _progress,
    SurveySubmitted: _survey,
    SystematizationScheduled: _scheduled,
    MilestoneMoved: _milestone_moved,
    MilestoneReached: _milestone_reached,
}


def item_id_of(event: Message) -> str:
    return str(event.payload.item_id)


def apply_to_item(current: ItemFacts | None, event: Message) -> ItemFacts:
    """The item's facts with `event` applied (and one more revision)."""
    facts = current or ItemFacts(id=item_id_of(event), city=event.city)
    changes = ITEM_RULES[type(event)](facts, event)
    return facts.model_copy(update={**changes, "revision": facts.revision + 1})


def apply_to_catalogue(current: CatalogueFacts | None, event: CatalogueEntryRecorded) -> CatalogueFacts:
    payload = event.payload
    entry = payload.entry
    return CatalogueFacts(
        id=f"{entry.kind}:{payload.key}", city=event.city, kind=entry.kind, key=payload.key,
        name=getattr(entry, "name", None) or getattr(entry, "title", payload.key),
        organisation_type=getattr(getattr(entry, "organisation_type", None), "value", None),
        country=getattr(entry, "country", None),
        revision=(current.revision if current else 0) + 1,
    )
