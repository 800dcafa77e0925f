"""How a match's reasons read, in a person's language: the bot shows them beside each suggestion, and the notifier
in the shortlist it sends the exchange's team."""

from __future__ import annotations

from collections.abc import Iterable

from puente.contracts.exchanges import MatchReason, ReasonKind
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig


def reason_text(reason: MatchReason, city: CityConfig, language: str) -> str:
    if reason.kind is ReasonKind.sector:
        sector = city.sectors.get(reason.detail)
        return translate("match-reason-sector", language,
                         sector=sector.in_language(language) if sector else reason.detail)
    if reason.kind is ReasonKind.words:
        return translate("match-reason-words", language, words=reason.detail)
    if reason.kind is ReasonKind.country:
        return translate("match-reason-country", language, country=reason.detail)
    count, _, average = reason.detail.partition(":")
    if average:
        return translate("match-reason-history-scored", language, count=int(count),
                         average=decimal(float(average), language))
    return translate("match-reason-history", language, count=int(count))


def reasons_text(reasons: Iterable[MatchReason], city: CityConfig, language: str) -> str:
    return "; ".join(reason_text(reason, city, language) for reason in reasons)
