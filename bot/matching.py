"""Aprende's matching: the catalogue's international practices and experts ranked for an exchange's need, each with
the reasons it ranks where it does.

Text relevance is BM25 (`bm25s`) over words folded to lower case without accents, stripped of Spanish and English
stop words (bm25s' lists) and reduced to their Spanish and English Snowball stems (`snowballstemmer`), so "ciclismo",
"ciclistas" and "cycling" meet. BM25 scores are scaled to the best candidate's, and the need's other facts add to
them: the same sector, a country of interest, and an expert's earlier exchanges and their survey scores. A
suggestion needs the sector or a word in common; a country or a track record alone does not make one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import bm25s
import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from bot.projection import CatalogueView, ItemView
from puente.contracts.exchanges import MatchReason, ReasonKind

TEXT_WEIGHT = 1.0  # the best text match scores this much; the others in proportion
SECTOR_WEIGHT = 0.5
COUNTRY_WEIGHT = 0.3
EXCHANGE_WEIGHT = 0.1  # for each earlier exchange of an expert, up to COUNTED_EXCHANGES
COUNTED_EXCHANGES = 3
SURVEY_WEIGHT = 0.1  # for each point of an expert's survey average above (or below) the middle of the scale
SURVEY_MIDDLE = 3.0
WORDS_SHOWN = 4
STEMMERS = (snowballstemmer.stemmer("spanish"), snowballstemmer.stemmer("english"))


def fold(text: str) -> str:
    """Lower case without accents: "Movilidad Activa" and "movilidad activa" are the same words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


STOPWORDS = frozenset(fold(word) for word in (*STOPWORDS_SPANISH, *STOPWORDS_EN))
WORD = re.compile(r"\w{2,}")


@lru_cache(maxsize=20_000)
def words(text: str) -> tuple[tuple[str, str], ...]:
    """Each word of a text that is not a stop word: (as written, in lower case; folded)."""
    found = [(word, fold(word)) for word in WORD.findall(text.lower())]
    return tuple((word, folded) for word, folded in found if folded not in STOPWORDS and not folded.isdigit())


@lru_cache(maxsize=65_536)
def stems(folded: str) -> frozenset[str]:
    """A word's Spanish and English stems. Snowball in pure Python takes about 0.1 ms a word, and a catalogue
    repeats its words: each is stemmed once per process."""
    return frozenset(stemmer.stemWord(folded) for stemmer in STEMMERS)


@lru_cache(maxsize=20_000)
def tokens(text: str) -> tuple[str, ...]:
    """A text's stems, in order (an entry's are computed once, not for every need)."""
    return tuple(stem for _, folded in words(text) for stem in sorted(stems(folded)))


@dataclass(frozen=True)
class Need:
    """What an exchange wants to learn: its title, need and topic as one text, its sector and countries of interest."""

    text: str
    sector: str | None = None
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A catalogue practice or expert, as matching reads it."""

    key: str
    name: str
    text: str  # what its words are matched against: title, topics and summary; an expert's topics and organisation
    country: str
    sector: str | None = None  # a practice's
    exchanges: int = 0  # an expert's earlier exchanges in the program
    survey_average: float | None = None  # and their surveys' average


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: float
    reasons: list[MatchReason] = field(default_factory=list)


def _text_scores(need: Need, candidates: list[Candidate]) -> list[float]:
    corpus = [list(tokens(candidate.text)) for candidate in candidates]
    query = sorted(set(tokens(need.text)))
    if not query or not any(corpus):
        return [0.0] * len(candidates)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = [float(score) for score in retriever.get_scores(query)]
    best = max(scores)
    return [TEXT_WEIGHT * score / best if best > 0 else 0.0 for score in scores]


def _shared_words(need: Need, candidate: Candidate) -> list[str]:
    """The candidate's words (as it writes them) whose stems the need shares, one word per stem."""
    wanted = {stem for _, folded in words(need.text) for stem in stems(folded)}
    shared, seen = [], set()
    for word, folded in words(candidate.text):
        found = stems(folded) & wanted
        if found and not found & seen:
            shared.append(word)
            seen |= found
    return shared[:WORDS_SHOWN]


def _track_record(candidate: Candidate) -> tuple[float, MatchReason | None]:
    if not candidate.exchanges:
        return 0.0, None
    score = EXCHANGE_WEIGHT * min(candidate.exchanges, COUNTED_EXCHANGES)
    detail = str(candidate.exchanges)
    if candidate.survey_average is not None:
        score += SURVEY_WEIGHT * (candidate.survey_average - SURVEY_MIDDLE)
        detail += f":{candidate.survey_average:.2f}"
    return score, MatchReason(kind=ReasonKind.history, detail=detail)


def rank(need: Need, candidates: list[Candidate], limit: int = 5) -> list[Suggestion]:
    """The candidates that match the need at all, best first (ties by name), at most `limit`; the reasons are
    worked out for those shown only."""
    scored = []
    for candidate, text_score in zip(candidates, _text_scores(need, candidates), strict=True):
        same_sector = candidate.sector is not None and candidate.sector == need.sector
        if not same_sector and text_score <= 0:
            continue  # neither the sector nor a word in common: a country or a track record alone is no match
        score = text_score + (SECTOR_WEIGHT if same_sector else 0.0) + \
            (COUNTRY_WEIGHT if candidate.country in need.countries else 0.0) + _track_record(candidate)[0]
        scored.append((round(score, 4), candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    suggestions = []
    for score, candidate in scored[:limit]:
        reasons = []
        if candidate.sector is not None and candidate.sector == need.sector:
            reasons.append(MatchReason(kind=ReasonKind.sector, detail=candidate.sector))
        shared = _shared_words(need, candidate)
        if shared:
            reasons.append(MatchReason(kind=ReasonKind.words, detail=", ".join(shared)))
        if candidate.country in need.countries:
            reasons.append(MatchReason(kind=ReasonKind.country, detail=candidate.country))
        history = _track_record(candidate)[1]
        if history is not None:
            reasons.append(history)
        suggestions.append(Suggestion(candidate, score, reasons))
    return suggestions


def need_of(item: ItemView) -> Need:
    return Need(text=" ".join(part for part in (item.title, item.topic, item.about) if part), sector=item.sector,
                countries=tuple(item.countries))


def candidate_of(view: CatalogueView, history: dict[str, tuple[int, float | None]] | None = None) -> Candidate:
    """A practice is matched on its title, topics, summary and organisation; an expert on their topics and
    organisation, with their earlier exchanges."""
    entry = view.entry
    if entry.kind == "practice":
        return Candidate(key=view.key, name=entry.title, country=entry.country, sector=entry.sector,
                         text=" ".join([entry.title, *entry.topics, entry.summary, entry.organisation, entry.city]))
    exchanges, average = (history or {}).get(view.key, (0, None))
    return Candidate(key=view.key, name=entry.name, country=entry.country, exchanges=exchanges,
                     survey_average=average, text=" ".join([*entry.topics, entry.organisation]))
