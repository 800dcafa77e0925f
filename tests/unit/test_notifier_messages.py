"""Who the notifier tells what: the proposer in their language, coordinators in the city's language."""

from __future__ import annotations

from datetime import date

from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.events import CommandRejected, CommandRejectedPayload, RejectionReason
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.notifier import messages
from tests.factories import propose_exchange, staff


def city_with_coordinators(*chat_ids: int):
    city = load_city_config(Settings())
    return city.model_copy(update={"coordinators": city.coordinators.model_copy(update={"chat_ids": list(chat_ids)})})


def test_a_proposal_tells_the_proposer_and_alerts_each_coordinator_once():
    _, event = proposal_from(
        propose_exchange(actor=staff("sed", user_id="5001", language="en"), title="Open classrooms")
    )
    city = city_with_coordinators(9001, 5001)
    notifications = messages.for_item_proposed(event, city, date(2026, 11, 28))
    assert [(n.chat_id, n.kind) for n in notifications] == [
        (5001, "proposal-registered"),
        (9001, "coordinator-new-proposal"),
    ], "a coordinator who proposed is told once, as the proposer"
    assert (
        notifications[0].text
        == '✅ Your proposal "Open classrooms" is registered. It is in phase 1: Demand and anchoring.'
    )
    assert notifications[1].text == (
        "🆕 Nueva propuesta de Secretaría Distrital de Educación en Aprende: "
        "«Open classrooms». Fase 1: Demanda y anclaje, vence el 2026-12-28."
    )


def test_a_rejection_tells_the_person_why_in_their_language_and_services_hear_nothing():
    command = propose_exchange(actor=staff("sed", user_id="5001", language="es"))
    rejected = CommandRejected.new(
        payload=CommandRejectedPayload(
            command_id=command.event_id, command_type=command.type, reason=RejectionReason.not_your_entity
        ),
        actor=command.actor,
        city="bogota",
        event_id=derived_id(command.event_id, "command.rejected"),
    )
    [notification] = messages.for_command_rejected(rejected)
    assert notification.chat_id == 5001
    assert notification.text == (
        "⚠️ No pude registrar tu solicitud: solo puedes actuar sobre los elementos de tu propia entidad."
    )
    from_a_service = rejected.model_copy(update={"actor": Actor(role=ActorRole.system, id="importer")})
    assert messages.for_command_rejected(from_a_service) == []
