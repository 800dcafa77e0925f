"""Intake's rules: who may propose or change what, what is stored, and that the history keeps every change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.items import IntakeRejectionReason
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake import domain
from tests.factories import propose_exchange, propose_practice, staff, update_item

CITY = load_city_config(Settings())
RULES = domain.ProposalRules(
    city=CITY.city.slug, entity_ids=frozenset(CITY.entities), sector_ids=frozenset(CITY.sectors)
)


def test_a_proposal_becomes_an_item_with_ids_derived_from_the_command():
    command = propose_exchange()
    item, event = domain.proposal_from(command)
    again, event_again = domain.proposal_from(command)
    assert item.id == str(derived_id(command.event_id, "item")) == again.id
    assert event.event_id == event_again.event_id, "a redelivered command announces the same event id"
    assert item.line == "aprende" and item.status == "proposed" and item.revision == 1
    assert item.entity_id == "sed" and item.history == []
    assert item.countries_of_interest == ["FI", "CL"] and item.proposed_by == command.actor
    assert event.causation_id == command.event_id and str(event.payload.item_id) == item.id


def test_a_practice_becomes_an_ensena_item_announced_as_practice_proposed():
    command = propose_practice()
    item, event = domain.proposal_from(command)
    assert item.line == "ensena" and item.title == "Escuelas de padres" and item.need is None
    assert item.summary.startswith("Encuentros mensuales")
    assert event.type == "practice.proposed" and str(event.payload.item_id) == item.id
    assert event.event_id == derived_id(command.event_id, "practice.proposed")


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (propose_exchange(entity_id="sds", actor=staff("sed")), IntakeRejectionReason.not_your_entity),
        (propose_exchange(entity_id="nasa", actor=staff("nasa")), IntakeRejectionReason.unknown_entity),
        (propose_exchange(sector="space"), IntakeRejectionReason.unknown_sector),
        (propose_exchange(city="medellin"), IntakeRejectionReason.wrong_city),
    ],
)
def test_proposals_that_cannot_be_carried_out_are_rejected(command, reason):
    with pytest.raises(domain.Rejected) as rejected:
        domain.check_proposal(command, RULES, command.actor)
    assert rejected.value.reason is reason


def test_a_coordinator_may_propose_for_any_entity():
    coordinator = Actor(role=ActorRole.coordinator, id="9001")
    domain.check_proposal(propose_exchange(entity_id="sds", actor=coordinator), RULES, coordinator)


def test_an_update_keeps_the_earlier_values_in_the_history():
    item, _ = domain.proposal_from(propose_exchange())
    now = datetime(2026, 11, 28, tzinfo=UTC)
    command = update_item(item.id, title="Aulas abiertas rurales", need="Nueva necesidad", summary="ignored")
    changed, event = domain.apply_update(item, command, now, command.actor)
    assert (changed.title, changed.need, changed.summary) == ("Aulas abiertas rurales", "Nueva necesidad", None)
    assert changed.revision == 2 and changed.updated_at == now and item.revision == 1
    [history] = changed.history
    assert history.previous == {"title": "Aulas abiertas", "need": item.need}
    assert history.revision == 2 and history.changed_by.id == "5001"
    assert event.payload.revision == 2 and event.payload.changes.title == "Aulas abiertas rurales"
    assert event.payload.changes.summary is None, "an exchange has a need, not a summary"


def test_an_exchanges_countries_of_interest_change_and_a_practice_has_none():
    item, _ = domain.proposal_from(propose_exchange())  # interested in FI and CL
    now = datetime(2026, 11, 28, tzinfo=UTC)
    changed, event = domain.apply_update(item, update_item(item.id, countries_of_interest=["DK", "NL"]), now,
                                         staff("sed"))
    assert changed.countries_of_interest == ["DK", "NL"] and event.payload.changes.countries_of_interest == ["DK", "NL"]
    assert changed.history[0].previous == {"countries_of_interest": ["FI", "CL"]}
    practice, _ = domain.proposal_from(propose_practice())
    with pytest.raises(domain.Rejected) as unchanged:
        domain.apply_update(practice, update_item(practice.id, countries_of_interest=["DK"]), now, staff("sed"))
    assert unchanged.value.reason is IntakeRejectionReason.nothing_to_change


def test_staff_cannot_update_another_entitys_item_and_empty_changes_are_refused():
    item, _ = domain.proposal_from(propose_exchange())
    now = datetime.now(UTC)
    with pytest.raises(domain.Rejected) as other_entity:
        domain.apply_update(item, update_item(item.id, title="Otro"), now, staff("sds"))
    assert other_entity.value.reason is IntakeRejectionReason.not_your_entity
    with pytest.raises(domain.Rejected) as unchanged:
        domain.apply_update(item, update_item(item.id, title=item.title), now, staff("sed"))
    assert unchanged.value.reason is IntakeRejectionReason.nothing_to_change
