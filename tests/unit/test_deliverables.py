"""Deliverables in memory: each type's check (the bot's and phases' one function), and a phase that completes only
when its required deliverables are in, checked against the rules the item started with."""

from __future__ import annotations

from datetime import date

import pytest

from puente.contracts.deliverables import DeliverableRule, DeliverableType, InvalidDeliverable, checked_value
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from tests.handler_cases import NEED_SHEET

TODAY = date(2026, 11, 28)


def rule(kind: str, **options) -> DeliverableRule:
    return DeliverableRule(key="x", type=DeliverableType(kind), **options)


@pytest.mark.parametrize(("the_rule", "typed", "kept"), [
    (rule("number", minimum=1, maximum=200), " 12 ", "12"),
    (rule("number"), "1 500,5", "1500.5"),
    (rule("date", future=True), "2026-11-28", "2026-11-28"),
    (rule("date"), "2020-02-29", "2020-02-29"),
    (rule("choice", choices=["workshop", "study-visit"]), "workshop", "workshop"),
    (rule("link"), "https://example.org/informe", "https://example.org/informe"),
    (rule("text"), "  Un compromiso  ", "Un compromiso"),
])
def test_a_value_is_kept_in_its_plain_form(the_rule, typed, kept):
    assert checked_value(the_rule, typed, None, TODAY) == kept


@pytest.mark.parametrize(("the_rule", "typed", "reason"), [
    (rule("number", minimum=1, maximum=200), "0", "invalid-out-of-range"),
    (rule("number", minimum=1, maximum=200), "201", "invalid-out-of-range"),
    (rule("number"), "doce", "invalid-number"),
    (rule("number"), "nan", "invalid-number"),
    (rule("date"), "2026-02-30", "invalid-date"),
    (rule("date", future=True), "2026-11-27", "invalid-past-date"),
    (rule("choice", choices=["workshop"]), "party", "invalid-choice"),
    (rule("link"), "javascript:alert(1)", "invalid-link"),
    (rule("text"), "   ", "invalid-text"),
    (rule("document"), "a text where a file belongs", "invalid-document"),
])
def test_a_value_that_does_not_fit_is_refused_with_its_reason(the_rule, typed, reason):
    with pytest.raises(InvalidDeliverable, match=f"^{reason}$"):
        checked_value(the_rule, typed, None, TODAY)


def test_a_document_needs_a_document():
    assert checked_value(rule("document"), None, NEED_SHEET, TODAY) is None
    with pytest.raises(InvalidDeliverable):
        checked_value(rule("text"), None, NEED_SHEET, TODAY)


def test_the_city_file_types_every_deliverable_and_refuses_inconsistent_ones():
    city = load_city_config(Settings())
    demand = city.phases_of("aprende")[0]
    assert [(item.key, item.type.value, item.required) for item in demand.deliverables] == [
        ("need-sheet", "document", True), ("commitment", "text", True), ("technical-team", "number", False)]
    from puente.wiring.city import Deliverable
    with pytest.raises(ValueError, match="choices belong"):
        Deliverable(key="x", name={"es": "x", "en": "x"}, type="text", choices={"a": {"es": "a", "en": "a"}})
    with pytest.raises(ValueError, match="bounds belong"):
        Deliverable(key="x", name={"es": "x", "en": "x"}, type="date", minimum=1)
