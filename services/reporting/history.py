"""The years a city ran its program before Puente, as a file of past exchanges and practices, turned into the very
events live work announces, so every service sees them and the indicators count them like anything else.

The file is JSON Lines: one exchange or practice per line (the README describes every field; an example is
`config/history/bogota-example.jsonl`). A row that is wrong is reported with its line number and reason; the good rows
still go in. Every event's id derives from the row's key, what it is and the row's content: importing the same file
again announces the same ids, which every consumer has already handled, and the importer skips rows it has seen.

The events carry the importer as their actor (`IMPORT_ACTOR`): phases does not start a live course for them and the
notifier tells no one; reporting and the bot keep them as they keep everything else.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from puente.contracts.collaboration import (
    CollaborationClosed,
    CollaborationClosedPayload,
    CollaborationRequested,
    CollaborationRequestedPayload,
    RequestKind,
    RequestOutcome,
)
from puente.contracts.common import CountryCode, Line, ParticipantType
from puente.contracts.envelope import IMPORT_ACTOR, LongText, Message, ShortText, Slug, derived_id
from puente.contracts.exchanges import (
    AlliesRecorded,
    AlliesRecordedPayload,
    ExchangeParticipantsRecorded,
    ExchangeParticipantsRecordedPayload,
    ExpertsRecorded,
    ExpertsRecordedPayload,
)
from puente.contracts.items import (
    ExchangeProposed,
    ExchangeProposedPayload,
    PracticeProposed,
    PracticeProposedPayload,
    Reference,
    reference_code,
)
from puente.contracts.knowledge import Ally, Expert, OrganisationType, RecordCatalogueEntryPayload, SupportKind
from puente.contracts.parsing import describe_validation_error
from puente.contracts.phases import ItemClosed, ItemCoursePayload, PhaseCompleted, PhasePayload, PhaseStarted
from puente.contracts.systematization import (
    MAX_AUDIENCE,
    ParticipantsRecorded,
    ParticipantsRecordedPayload,
    PromotionChannel,
    PromotionRecorded,
    PromotionRecordedPayload,
)
from puente.wiring.city import CityConfig

MAX_ROW_BYTES = 64 * 1024


class PastExpert(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: Slug
    name: ShortText
    organisation: ShortText
    organisation_type: OrganisationType
    country: CountryCode


class PastAlly(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: Slug
    name: ShortText
    support: SupportKind = SupportKind.both


class PastPromotion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: PromotionChannel
    name: ShortText
    held_on: date
    city: ShortText
    country: CountryCode
    audience: int = Field(0, ge=0, le=MAX_AUDIENCE)


class PastRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requester: ShortText
    city: ShortText
    country: CountryCode
    kind: RequestKind
    description: LongText
    requested_on: date
    outcome: RequestOutcome | None = None
    closed_on: date | None = None

    @model_validator(mode="after")
    def _closed_with_outcome(self) -> PastRequest:
        if (self.outcome is None) != (self.closed_on is None):
            raise ValueError("a closed request has both an outcome and the day it was closed")
        if self.closed_on is not None and self.closed_on < self.requested_on:
            raise ValueError("a request is closed on or after the day it was made")
        return self


class HistoryRow(BaseModel):
    """One past exchange (Aprende) or practice (Enseña)."""

    model_config = ConfigDict(extra="forbid")
    key: Slug = Field(description="The row's stable key in the city's history, e.g. 'ap-2017-03'.")
    line: Line
    reference: Reference | None = None
    entity: Slug
    sector: Slug
    title: ShortText
    description: LongText = Field(description="The exchange's need, or what the practice does.")
    proposed_on: date
    phases_completed: dict[Slug, date] = Field(default_factory=dict,
                                               description="The line's phases completed, first to last, with dates.")
    experts: list[PastExpert] = Field(default_factory=list, max_length=30)
    allies: list[PastAlly] = Field(default_factory=list, max_length=20)
    participants: dict[ParticipantType, int] = Field(default_factory=dict)
    promotions: list[PastPromotion] = Field(default_factory=list, max_length=50)
    collaboration_requests: list[PastRequest] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> HistoryRow:
        if any(not 0 <= count <= 100_000 for count in self.participants.values()):
            raise ValueError("participants of one type are a whole number from 0 to 100000")
        days = list(self.phases_completed.values())
        if days != sorted(days) or (days and days[0] < self.proposed_on):
            raise ValueError("phases are completed in order, on or after the day of the proposal")
        if self.line is Line.ensena and (self.experts or self.allies):
            raise ValueError("experts and allies belong to exchanges (Aprende)")
        if self.line is Line.aprende and (self.promotions or self.collaboration_requests):
            raise ValueError("promotions and collaboration requests belong to practices (Enseña)")
        return self


@dataclass(frozen=True)
class RowError:
    line_number: int
    reason: str


@dataclass(frozen=True)
class PastItem:
    """A valid row and what it becomes: the catalogue entries it names, and the events that tell its story."""

    line_number: int
    row: HistoryRow
    fingerprint: str
    catalogue: list[RecordCatalogueEntryPayload]
    events: list[Message]


def read_rows(path: Path) -> tuple[list[tuple[int, HistoryRow]], list[RowError]]:
    """Every row of the file that parses, and a reason for each that does not (numbered from 1, blank lines
    skipped). No row, however broken, stops the others."""
    rows, errors = [], []
    with path.open("rb") as file:
        for number, raw in enumerate(file, start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_ROW_BYTES:
                errors.append(RowError(number, f"the row is longer than {MAX_ROW_BYTES // 1024} KiB"))
                continue
            try:
                rows.append((number, HistoryRow.model_validate(json.loads(raw.decode("utf-8")))))
            except UnicodeDecodeError:
                errors.append(RowError(number, "not UTF-8 text"))
            except json.JSONDecodeError as error:
                errors.append(RowError(number, f"not JSON: {error.msg} at column {error.colno}"))
            except ValidationError as error:
                errors.append(RowError(number, describe_validation_error(error)))
            except (RecursionError, ValueError) as error:  # nested too deep, a number too long
                errors.append(RowError(number, f"not a history row: {type(error).__name__}"))
    return rows, errors


def check_against_city(row: HistoryRow, city: CityConfig) -> str | None:
    """Why the row does not fit the city's program, or None."""
    if row.entity not in city.entities:
        return f"unknown entity {row.entity!r}"
    if row.sector not in city.sectors:
        return f"unknown sector {row.sector!r}"
    keys = [phase.key for phase in city.phases_of(row.line)]
    completed = list(row.phases_completed)
    if completed != keys[:len(completed)]:
        return f"phases_completed must be the first phases of the line, in order: {keys}"
    return None


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def fingerprint(row: HistoryRow) -> str:
    return hashlib.sha256(row.model_dump_json().encode()).hexdigest()[:16]


def past_item(line_number: int, row: HistoryRow, city: CityConfig) -> PastItem:
    slug = city.city.slug
    item_id = derived_id("history-item", slug, row.key)
    print_ = fingerprint(row)
    slots: dict[str, int] = {}

    def event(cls: type[Message], payload: BaseModel, day: date, slot: str) -> Message:
        slots[slot] = slots.get(slot, 0) + 1
        return cls.new(payload=payload, actor=IMPORT_ACTOR, city=slug, occurred_at=_at(day),
                       event_id=derived_id("history", slug, row.key, print_, slot, slots[slot]))

    events: list[Message] = []
    if row.line is Line.aprende:
        events.append(event(ExchangeProposed, ExchangeProposedPayload(
            item_id=item_id, reference=reference_of(row, city), entity_id=row.entity, sector=row.sector,
            title=row.title, need=row.description), row.proposed_on, "proposed"))
    else:
        events.append(event(PracticeProposed, PracticeProposedPayload(
            item_id=item_id, reference=reference_of(row, city), entity_id=row.entity, sector=row.sector,
            title=row.title, summary=row.description), row.proposed_on, "proposed"))
    phases = city.phases_of(row.line)
    course = [(number, phase.key) for number, phase in enumerate(phases, start=1)]
    events.append(event(PhaseStarted, PhasePayload(item_id=item_id, line=row.line, phase_number=1,
                                                   phase_key=course[0][1]), row.proposed_on, "started"))
    last_day = row.proposed_on
    for number, key in course[:len(row.phases_completed)]:
        last_day = row.phases_completed[key]
        events.append(event(PhaseCompleted, PhasePayload(item_id=item_id, line=row.line, phase_number=number,
                                                         phase_key=key), last_day, "completed"))
        if number < len(course):
            events.append(event(PhaseStarted, PhasePayload(item_id=item_id, line=row.line, phase_number=number + 1,
                                                           phase_key=course[number][1]), last_day, "started"))
    record_day = last_day
    if row.experts:
        events.append(event(ExpertsRecorded, ExpertsRecordedPayload(
            item_id=item_id, expert_keys=[expert.key for expert in row.experts]), record_day, "experts"))
    if row.allies:
        events.append(event(AlliesRecorded, AlliesRecordedPayload(
            item_id=item_id, ally_keys=[ally.key for ally in row.allies]), record_day, "allies"))
    if row.participants and sum(row.participants.values()) > 0:
        if row.line is Line.aprende:
            events.append(event(ExchangeParticipantsRecorded, ExchangeParticipantsRecordedPayload(
                item_id=item_id, counts=row.participants), record_day, "participants"))
        else:
            events.append(event(ParticipantsRecorded, ParticipantsRecordedPayload(
                item_id=item_id, phase_key=city.ensena.systematization_phase, counts=row.participants),
                record_day, "participants"))
    for number, promotion in enumerate(row.promotions, start=1):
        events.append(event(PromotionRecorded, PromotionRecordedPayload(
            item_id=item_id, promotion_id=derived_id("history-promotion", slug, row.key, number),
            **promotion.model_dump()), promotion.held_on, "promotion"))
    for number, request in enumerate(row.collaboration_requests, start=1):
        request_id = derived_id("history-request", slug, row.key, number)
        events.append(event(CollaborationRequested, CollaborationRequestedPayload(
            item_id=item_id, request_id=request_id, requester=request.requester, city=request.city,
            country=request.country, kind=request.kind, description=request.description),
            request.requested_on, "request"))
        if request.outcome is not None and request.closed_on is not None:
            events.append(event(CollaborationClosed, CollaborationClosedPayload(
                item_id=item_id, request_id=request_id, outcome=request.outcome), request.closed_on, "closed"))
    if len(row.phases_completed) == len(course):
        last_number, last_key = course[-1]
        events.append(event(ItemClosed, ItemCoursePayload(item_id=item_id, line=row.line, phase_number=last_number,
                                                          phase_key=last_key), last_day, "item-closed"))
    catalogue = [RecordCatalogueEntryPayload(key=expert.key, entry=Expert(
        name=expert.name, organisation=expert.organisation, organisation_type=expert.organisation_type,
        country=expert.country)) for expert in row.experts]
    catalogue += [RecordCatalogueEntryPayload(key=ally.key, entry=Ally(name=ally.name, support=ally.support))
                  for ally in row.allies]
    return PastItem(line_number, row, print_, catalogue, events)


def reference_of(row: HistoryRow, city: CityConfig) -> str:
    """The row's code, or one made from its key: the line's prefix, the year proposed and six digits of the key's
    hash (live codes count up from 0001 each year, so they do not meet these), e.g. AP-2017-482913."""
    if row.reference is not None:
        return row.reference
    digits = int(hashlib.sha256(f"{city.city.slug}:{row.key}".encode()).hexdigest(), 16) % 900_000 + 100_000
    return reference_code(city.lines[row.line].reference_prefix, row.proposed_on.year, digits)


def past_items(path: Path, city: CityConfig) -> tuple[list[PastItem], list[RowError]]:
    """The file's valid rows as past items, and every row refused with its reason (a key or a code used twice is
    refused the second time)."""
    rows, errors = read_rows(path)
    items, seen, codes = [], set(), set()
    for number, row in rows:
        reason = check_against_city(row, city)
        if reason is None and row.key in seen:
            reason = f"the key {row.key!r} is used by an earlier row"
        if reason is None and reference_of(row, city) in codes:
            reason = f"the code {reference_of(row, city)} is used by an earlier row (give this row a `reference`)"
        if reason is not None:
            errors.append(RowError(number, reason))
            continue
        try:
            item = past_item(number, row, city)
        except ValidationError as error:  # what the events' own contracts refuse (e.g. too many participants)
            errors.append(RowError(number, describe_validation_error(error)))
            continue
        seen.add(row.key)
        codes.add(reference_of(row, city))
        items.append(item)
    return items, sorted(errors, key=lambda error: error.line_number)


def history_item_id(city: str, key: str) -> uuid.UUID:
    return derived_id("history-item", city, key)

