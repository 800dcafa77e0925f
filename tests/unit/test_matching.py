"""Aprende's matching, on Bogotá's catalogue file: BM25 over Spanish and English stems (accents and case aside),
the shared sector, the countries of interest and an expert's track record, each suggestion with its reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.matching import Candidate, Need, candidate_of, need_of, rank, tokens
from bot.projection import CatalogueView, ItemView
from puente.contracts.knowledge import entry_id
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR
from services.intake.catalogue import catalogue_path, read_file

ENTRIES, _ = read_file(catalogue_path(DEFAULT_CITY_CONFIG_DIR, "bogota"))
VIEWS = [CatalogueView(id=entry_id(entry.entry.kind, entry.key), kind=entry.entry.kind, key=entry.key,
                       entry=entry.entry, recorded_at=datetime(2026, 11, 1, tzinfo=UTC)) for entry in ENTRIES]
CYCLING = ItemView(id="x", title="Ciclorrutas seguras", topic="movilidad en bicicleta", sector="mobility",
                   about="Queremos aprender de ciudades donde el ciclismo urbano es seguro y masivo.",
                   countries=["DK", "NL"])


def of_kind(kind: str, history=None) -> list[Candidate]:
    return [candidate_of(view, history) for view in VIEWS if view.kind == kind]


def test_words_meet_across_accents_case_and_languages():
    assert set(tokens("Bicicleta")) & set(tokens("bicicletas")) and set(tokens("CYCLING")) & set(tokens("cycle"))
    assert tokens("Movilidad") == tokens("movilidad") == tokens("MOVILIDÁD")
    assert tokens("de la y the of") == (), "stop words do not count"


def test_a_cycling_need_ranks_the_cycling_practice_and_a_mobility_expert_first_with_their_reasons():
    practices = rank(need_of(CYCLING), of_kind("practice"))
    first = practices[0]
    assert first.candidate.key == "copenhagen-cycle-superhighways"
    kinds = {reason.kind.value: reason.detail for reason in first.reasons}
    assert kinds["sector"] == "mobility" and "ciclismo" in kinds["words"]
    assert kinds["country"] == "DK" and kinds["words"].count("bicicleta") == 1, "one word for each stem"
    assert practices[1].candidate.key == "utrecht-bicycle-parking"
    assert all(suggestion.candidate.sector != "education" for suggestion in practices)
    assert "netherlands-land-registry" not in [suggestion.candidate.key for suggestion in practices], \
        "a country of interest alone is no match"

    experts = rank(need_of(CYCLING), of_kind("expert"))
    assert experts[0].candidate.key == "mette-jensen"
    assert "ciclismo" in {reason.kind.value: reason.detail for reason in experts[0].reasons}["words"]
    assert "aino-virtanen" not in [suggestion.candidate.key for suggestion in experts], "nothing in common"


def test_an_experts_earlier_exchanges_and_their_surveys_count_and_are_given_as_a_reason():
    history = {"pieter-de-vries": (3, 4.8)}
    experts = rank(need_of(CYCLING), of_kind("expert", history))
    pieter = next(suggestion for suggestion in experts if suggestion.candidate.key == "pieter-de-vries")
    assert {reason.kind.value: reason.detail for reason in pieter.reasons}["history"] == "3:4.80"
    without = next(suggestion for suggestion in rank(need_of(CYCLING), of_kind("expert"))
                   if suggestion.candidate.key == "pieter-de-vries")
    assert pieter.score > without.score
    poorly = rank(need_of(CYCLING), of_kind("expert", {"pieter-de-vries": (1, 1.5)}))
    assert next(s for s in poorly if s.candidate.key == "pieter-de-vries").score < pieter.score


def test_a_need_with_nothing_in_common_suggests_nothing():
    assert rank(Need(text="zzzz qqqq", sector="women"), of_kind("practice")) == []
    assert rank(Need(text=""), []) == []
