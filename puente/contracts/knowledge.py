"""Bogotá Aprende's catalogue of knowledge: international practices a city can learn from, the experts who can teach
them, and the strategic allies who support exchanges. Intake keeps it; it is loaded from a file per city
(`puente catalogue load`) and coordinators add and correct entries from chat. An entry is recorded under its kind and
key: recording it again unchanged changes nothing, so loading the same file twice announces nothing the second time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from puente.contracts.common import CountryCode, Payload
from puente.contracts.envelope import LongText, Message, ShortText, Slug
from puente.contracts.topic_names import TopicName

MAX_TOPICS = 12
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
SourceLink = Annotated[str, StringConstraints(pattern=r"^https?://\S{3,500}$")]


class EntryKind(StrEnum):
    practice = "practice"
    expert = "expert"
    ally = "ally"


class OrganisationType(StrEnum):
    public_sector = "public_sector"
    private_sector = "private_sector"
    academia = "academia"
    international_organisation = "international_organisation"
    civil_society = "civil_society"


class SupportKind(StrEnum):
    technical = "technical"
    financial = "financial"
    both = "both"


class InternationalPractice(Payload):
    kind: Literal["practice"] = "practice"
    title: ShortText
    city: ShortText
    country: CountryCode
    organisation: ShortText
    sector: Slug
    topics: list[ShortText] = Field(default_factory=list, max_length=MAX_TOPICS)
    summary: LongText
    source: SourceLink | None = None


class Expert(Payload):
    kind: Literal["expert"] = "expert"
    name: ShortText
    organisation: ShortText
    organisation_type: OrganisationType
    country: CountryCode
    topics: list[ShortText] = Field(default_factory=list, max_length=MAX_TOPICS)
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)
    fee: ShortText | None = Field(None, description="What the expert expects to be paid, as they put it.")


class Ally(Payload):
    kind: Literal["ally"] = "ally"
    name: ShortText
    support: SupportKind
    cofunds: ShortText | None = Field(None, description="What the ally co-funds or contributes.")


Entry = Annotated[InternationalPractice | Expert | Ally, Field(discriminator="kind")]


def entry_id(kind: EntryKind | str, key: str) -> str:
    return f"{EntryKind(kind).value}:{key}"


# --- commands, to intake ---------------------------------------------------------------------------------------


class RecordCatalogueEntryPayload(Payload):
    key: Slug = Field(description="The entry's stable key within its kind, as the city's file or the bot gives it.")
    entry: Entry


class RecordCatalogueEntry(Message):
    """Add an entry to the catalogue, or correct one (the same kind and key): from the city's file, or a
    coordinator in chat."""

    topics: ClassVar = (TopicName.intake_commands,)
    type: Literal["record_catalogue_entry"] = "record_catalogue_entry"
    payload: RecordCatalogueEntryPayload

    def aggregate_id(self) -> str:
        return entry_id(self.payload.entry.kind, self.payload.key)


# --- facts, announced by intake --------------------------------------------------------------------------------


class CatalogueEntryRecordedPayload(Payload):
    key: Slug
    entry: Entry
    created: bool = Field(description="A new entry (else a correction of one).")


class CatalogueEntryRecorded(Message):
    topics: ClassVar = (TopicName.item_events,)
    type: Literal["catalogue.entry_recorded"] = "catalogue.entry_recorded"
    payload: CatalogueEntryRecordedPayload

    def aggregate_id(self) -> str:
        return entry_id(self.payload.entry.kind, self.payload.key)


MESSAGES = (RecordCatalogueEntry, CatalogueEntryRecorded)
