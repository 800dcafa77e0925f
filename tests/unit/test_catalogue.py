"""Bogotá Aprende's catalogue in intake, in memory: the city's file is read with a reason for every entry it gets
wrong (the good ones are still loaded); an entry recorded again unchanged changes nothing; a changed one is a
correction; only coordinators and administrators record entries from chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.contracts.knowledge import Ally, CatalogueEntryRecorded, RecordCatalogueEntry, SupportKind
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR
from services.intake.catalogue import CATALOGUE, CatalogueFileError, catalogue_path, read_file
from services.intake.handlers import IntakeHandlers
from tests import aprende_story as story
from tests.helpers import in_memory_service, seat

BOGOTA = catalogue_path(DEFAULT_CITY_CONFIG_DIR, "bogota")


def test_bogotas_file_names_the_allies_of_the_seed_and_every_entry_is_valid():
    entries, refused = read_file(BOGOTA)
    assert refused == []
    allies = {entry.entry.name for entry in entries if entry.entry.kind == "ally"}
    for named in ("Dutch Advisors Programme", "Expert Advisory Service of Germany", "Secretaría Distrital de Educación",
                  "Agencia Presidencial de Cooperación Internacional", "Kadaster", "Bloomberg Associates",
                  "British Council", "Invest in Bogotá"):
        assert any(named in ally for ally in allies), named
    assert len(allies) == 8


def test_a_file_with_mistakes_reports_each_one_and_keeps_the_good_entries(tmp_path: Path):
    path = tmp_path / "catalogue.toml"
    path.write_text('''
[[allies]]
key = "good-ally"
name = "Good ally"
support = "both"

[[allies]]
key = "good-ally"
name = "The same key again"
support = "technical"

[[experts]]
key = "no-country"
name = "Nadie"
organisation = "Ninguna"
organisation_type = "government"
country = "Colombia"

[[practices]]
title = "No key"
''', encoding="utf-8")
    entries, refused = read_file(path)
    assert [entry.key for entry in entries] == ["good-ally"]
    assert refused[0].startswith("practices[1] (no key): key: ") and "; city: Field required" in refused[0]
    assert refused[1].startswith("experts[1] (no-country): organisation_type: ") and "; country: " in refused[1]
    assert refused[2] == "allies[2] (good-ally): the key repeats within allies"
    with pytest.raises(CatalogueFileError, match="unknown sections"):
        (tmp_path / "wrong.toml").write_text("[[people]]\nname = 'x'\n", encoding="utf-8")
        read_file(tmp_path / "wrong.toml")


async def test_an_entry_recorded_twice_is_one_entry_and_a_change_is_a_correction(settings):
    intake = in_memory_service("intake", settings)
    handlers = IntakeHandlers(settings.topics, story_city(settings))
    entries, _ = read_file(BOGOTA)

    async def load() -> list[str]:
        outcomes = []
        for entry in entries:
            command = RecordCatalogueEntry.new(payload=entry, actor=story.COORDINATING, city="bogota")
            outcomes.append(await intake.unit_of_work.run(lambda t, c=command: handlers.record_as_operator(c, t)))
        return outcomes

    assert set(await load()) == {"applied"}
    assert set(await load()) == {"ignored"}, "the same file again changes nothing"
    assert len(intake.unit_of_work.stored(CATALOGUE)) == len(entries)
    recorded = [event for event in intake.unit_of_work.announced() if isinstance(event, CatalogueEntryRecorded)]
    assert len(recorded) == len(entries) and all(event.payload.created for event in recorded)

    corrected = story.catalogue_entry("british-council", Ally(name="British Council Colombia",
                                                              support=SupportKind.both))
    assert await intake.unit_of_work.run(lambda t: handlers.record_as_operator(corrected, t)) == "applied"
    [correction] = [event for event in intake.unit_of_work.announced()
                    if isinstance(event, CatalogueEntryRecorded)][len(entries):]
    assert not correction.payload.created and correction.payload.entry.name == "British Council Colombia"
    assert len(intake.unit_of_work.stored(CATALOGUE)) == len(entries)
    assert await intake.dispatch(story.catalogue_entry("british-council", by=story.STAFF_ACTOR)) == "rejected"


def story_city(settings):
    from puente.wiring.city import load_city_config

    return load_city_config(settings)


async def test_a_coordinators_correction_in_chat_outlives_the_file_unless_forced(settings):
    intake = in_memory_service("intake", settings)
    await seat(intake, 7001, "coordinator", None)
    handlers = IntakeHandlers(settings.topics, story_city(settings))
    [from_file] = [entry for entry in read_file(BOGOTA)[0] if entry.key == "british-council"]

    async def load(force: bool = False) -> str:
        command = RecordCatalogueEntry.new(payload=from_file, actor=story.COORDINATING, city="bogota")
        return await intake.unit_of_work.run(lambda t: handlers.record_as_operator(command, t, force))

    assert await load() == "applied"
    corrected = Ally(name="British Council Colombia", support=SupportKind.both)
    assert await intake.dispatch(story.catalogue_entry("british-council", corrected)) == "applied"
    assert await load() == "kept", "the file does not undo a coordinator's correction"
    [kept] = intake.unit_of_work.stored(CATALOGUE)
    assert kept.entry.name == "British Council Colombia" and kept.source == "chat"
    assert await load(force=True) == "applied"
    assert intake.unit_of_work.stored(CATALOGUE)[0].entry == from_file.entry
