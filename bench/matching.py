"""Aprende's matching: how long ranking takes for one exchange's need as the catalogue grows, and the memory it
takes (`.venv/bin/python -m bench.matching`). No servers: ranking happens in the bot, over its own view.

The catalogues are Bogotá's file, repeated with each copy's words shuffled among the entries, so the vocabulary
and the text lengths stay those of real entries."""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from datetime import UTC, datetime

from bot.matching import candidate_of, need_of, rank
from bot.projection import CatalogueView, ItemView
from puente.contracts.knowledge import entry_id
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR
from services.intake.catalogue import catalogue_path, read_file

SIZES = (100, 1_000, 10_000)
REPEATS = 5
NEED = ItemView(id="bench", title="Ciclorrutas seguras", topic="movilidad en bicicleta", sector="mobility",
                about="Queremos aprender de ciudades donde el ciclismo urbano es seguro y masivo.", countries=["DK"])


def catalogue(size: int) -> list[CatalogueView]:
    entries, _ = read_file(catalogue_path(DEFAULT_CITY_CONFIG_DIR, "bogota"))
    practices = [entry for entry in entries if entry.entry.kind == "practice"]
    words = [word for entry in practices for word in entry.entry.summary.split()]
    shuffle = random.Random(7)
    views = []
    for number in range(size):
        entry = practices[number % len(practices)].entry
        summary = " ".join(shuffle.sample(words, k=min(len(words), 25)))
        views.append(CatalogueView(id=entry_id("practice", f"p{number}"), kind="practice", key=f"p{number}",
                                   entry=entry.model_copy(update={"summary": summary}),
                                   recorded_at=datetime(2026, 11, 1, tzinfo=UTC)))
    return views


def main() -> None:
    print("Aprende's matching: one need ranked against the catalogue's practices")
    print(f"{'practices':>10} {'median ms':>10} {'max ms':>8} {'peak MiB (first ranking)':>25}")
    need = need_of(NEED)
    for size in SIZES:
        candidates = [candidate_of(view) for view in catalogue(size)]
        tracemalloc.start()  # the first ranking, traced: it stems the catalogue's words (later ones reuse them)
        rank(need, candidates)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            ranked = rank(need, candidates)
            timings.append((time.perf_counter() - started) * 1000)
        assert ranked, "the need matches something"
        print(f"{size:>10,} {statistics.median(timings):>10.1f} {max(timings):>8.1f} {peak / 2**20:>25.1f}")


if __name__ == "__main__":
    main()
