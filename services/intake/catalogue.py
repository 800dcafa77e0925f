"""Bogotá Aprende's catalogue in intake: international practices, experts and strategic allies, each kept under its
kind and key. Recording an entry again unchanged changes nothing and announces nothing, so loading the city's file
twice leaves one copy of each entry; a changed entry is a correction, announced as such.

Coordinators and administrators record entries from chat; the operator at the command line loads the city's file
(`puente catalogue load`) through `record_as_operator`, which no message on Kafka can reach."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from puente.contracts.envelope import derived_id
from puente.contracts.items import IntakeRejectionReason
from puente.contracts.knowledge import (
    CatalogueEntryRecorded,
    CatalogueEntryRecordedPayload,
    Entry,
    EntryKind,
    RecordCatalogueEntry,
    RecordCatalogueEntryPayload,
    entry_id,
)
from puente.contracts.people import Role
from puente.wiring.storage import Stored
from services.intake.domain import Rejected

RECORDING_ROLES = frozenset({Role.coordinator, Role.administrator})
FILE_SECTIONS = {"practices": EntryKind.practice, "experts": EntryKind.expert, "allies": EntryKind.ally}


class CatalogueRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # "<kind>:<key>"
    kind: EntryKind
    key: str
    entry: Entry
    recorded_at: datetime
    source: str = "file"  # file: the city's file; chat: a coordinator's entry or correction, which a load keeps


CATALOGUE = Stored("catalogue", CatalogueRecord, indexed_by=[("kind",)])


class KeptFromChat(Exception):
    """The file would undo a coordinator's entry or correction from chat; a load keeps it unless forced."""


def record(command: RecordCatalogueEntry, kept: CatalogueRecord | None, sector_ids: frozenset[str],
           now: datetime, source: str, force: bool = False) -> tuple[CatalogueRecord, CatalogueEntryRecorded] | None:
    """The entry as recorded and its announcement; None when it is recorded already exactly so. The file does not
    overwrite what a coordinator recorded from chat, unless `force`."""
    payload = command.payload
    if payload.entry.kind == EntryKind.practice and payload.entry.sector not in sector_ids:
        raise Rejected(IntakeRejectionReason.unknown_sector)
    if kept is not None and kept.entry == payload.entry:
        return None
    if source == "file" and kept is not None and kept.source == "chat" and not force:
        raise KeptFromChat(kept.id)
    changed = CatalogueRecord(id=entry_id(payload.entry.kind, payload.key), kind=EntryKind(payload.entry.kind),
                              key=payload.key, entry=payload.entry, recorded_at=now, source=source)
    event = CatalogueEntryRecorded.new(
        payload=CatalogueEntryRecordedPayload(key=payload.key, entry=payload.entry, created=kept is None),
        actor=command.actor, city=command.city, caused_by=command, occurred_at=now,
        event_id=derived_id(command.event_id, "catalogue.entry_recorded"))
    return changed, event


def may_record(role: Role) -> None:
    if role not in RECORDING_ROLES:
        raise Rejected(IntakeRejectionReason.not_allowed)


class CatalogueFileError(ValueError):
    """The catalogue file cannot be read; the message says where."""


def read_file(path: Path) -> tuple[list[RecordCatalogueEntryPayload], list[str]]:
    """The entries of a city's catalogue file (TOML: [[practices]], [[experts]], [[allies]], each with a `key`), and
    a line for each entry that is refused, with the reason; the good ones are still loaded."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise CatalogueFileError(f"{path} does not exist") from missing
    except tomllib.TOMLDecodeError as error:
        raise CatalogueFileError(f"{path} is not valid TOML: {error}") from error
    unknown = sorted(set(document) - set(FILE_SECTIONS))
    if unknown:
        raise CatalogueFileError(f"{path}: unknown sections {unknown}; expected {sorted(FILE_SECTIONS)}")
    entries, refused, seen = [], [], set()
    adapter = TypeAdapter(RecordCatalogueEntryPayload)
    for section, kind in FILE_SECTIONS.items():
        for number, raw in enumerate(document.get(section, []), start=1):
            fields = {name: value for name, value in raw.items() if name != "key"}
            where = f"{section}[{number}] ({raw.get('key', 'no key')})"
            try:
                entry = adapter.validate_python({"key": raw.get("key"), "entry": {**fields, "kind": kind.value}})
            except ValidationError as error:
                problems = "; ".join(f"{_field(problem['loc'])}: {problem['msg']}" for problem in error.errors())
                refused.append(f"{where}: {problems}")
                continue
            if (kind, entry.key) in seen:
                refused.append(f"{where}: the key repeats within {section}")
                continue
            seen.add((kind, entry.key))
            entries.append(entry)
    return entries, refused


def _field(location: tuple) -> str:
    """The field a validation error names, as the file spells it: ("entry", "expert", "country") is "country"."""
    parts = location[2:] if location and location[0] == "entry" else location
    return ".".join(str(part) for part in parts) or "entry"


def catalogue_path(config_dir: Path, city: str) -> Path:
    """A city's catalogue file sits beside the cities' folder: config/catalogues/<city>.toml."""
    return config_dir.parent / "catalogues" / f"{city}.toml"
