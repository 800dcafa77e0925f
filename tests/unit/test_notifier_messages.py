"""Who the notifier tells what: the proposer in their language, coordinators in the city's language."""

from __future__ import annotations

from datetime import date

from puente.contracts.common import Line
from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, derived_id
from puente.contracts.items import IntakeRejectionReason
from puente.contracts.phases import PhasePayload, PhaseStarted
from puente.contracts.rejections import CommandRejected, CommandRejectedPayload
from puente.wiring.city import Coordinators, load_city_config
from puente.wiring.settings import Settings
from services.intake.domain import proposal_from
from services.notifier import messages
from tests.factories import propose_exchange, staff


def city_with_coordinators(*chat_ids: int):
    city = load_city_config(Settings())
    coordinators = Coordinators.model_construct(chat_ids=list(chat_ids))  # skips validation, as a bug might
    return city.model_copy(update={"coordinators": coordinators})


def test_a_proposal_tells_the_proposer_in_their_language():
    _, event = proposal_from(
        propose_exchange(actor=staff("sed", user_id="5001", language="en"), title="Open classrooms")
    )
    [notification] = messages.for_item_proposed(event, city_with_coordinators(9001))
    assert (notification.chat_id, notification.kind) == (5001, "proposal-registered")
    assert notification.text == (
        '✅ Your proposal "Open classrooms" is registered. It is in phase 1: Demand and anchoring.'
    )


def started(event, due_on: date, phase_number: int = 1) -> PhaseStarted:
    return PhaseStarted.new(
        payload=PhasePayload(item_id=event.payload.item_id, line=Line.aprende, phase_number=phase_number,
                             phase_key="demand", due_on=due_on),
        actor=SYSTEM_ACTOR, city="bogota", caused_by=event,
    )


def test_coordinators_are_alerted_once_each_with_the_due_date_phases_set():
    _, event = proposal_from(
        propose_exchange(actor=staff("sed", user_id="5001", language="en"), title="Open classrooms")
    )
    # A configuration that slipped past validation, with a repeated coordinator and one who proposed.
    city = city_with_coordinators(9001, 5001, 9001, 9002)
    notifications = messages.for_process_started(started(event, date(2027, 1, 4)), messages.known_item(event), city,
                                                 city.coordinators.chat_ids)
    assert [(n.chat_id, n.kind) for n in notifications] == [
        (9001, "coordinator-new-proposal"),
        (9002, "coordinator-new-proposal"),
    ], "each coordinator once; a coordinator who proposed already heard it as the proposer"
    assert notifications[0].text == (
        "🆕 Nueva propuesta de Secretaría Distrital de Educación en Bogotá Aprende: "
        "«Open classrooms». Fase 1: Demanda y anclaje, vence el 2027-01-04."
    ), "the due date is the one phases computed, not one the notifier recomputes"
    later_phase = started(event, date(2027, 2, 1), phase_number=2)
    assert messages.for_process_started(later_phase, messages.known_item(event), city, [9001]) == []


def test_a_rejection_tells_the_person_why_in_their_language_and_services_hear_nothing():
    command = propose_exchange(actor=staff("sed", user_id="5001", language="es"))
    rejected = CommandRejected.new(
        payload=CommandRejectedPayload(
            command_id=command.event_id, command_type=command.type, service="intake",
            reason=IntakeRejectionReason.not_your_entity,
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


def test_an_items_course_is_told_to_its_proposer_in_their_language_and_to_coordinators_in_the_citys():
    from services.notifier.messages import KnownItem, for_course_changed
    from tests.handler_cases import CLOSED, NEXT_PHASE_STARTED, ON_HOLD, PHASE_RETURNED, RESUMED, WITHDRAWN

    item = KnownItem(id=str(NEXT_PHASE_STARTED.payload.item_id), reference="AP-2026-0007", line="aprende",
                     entity_id="sed", title="Aulas abiertas", proposer_chat_id=5001, proposer_language="en")
    city = load_city_config(Settings())
    [to_proposer, to_coordinator] = for_course_changed(NEXT_PHASE_STARTED, item, city, [9001, 5001])
    assert (to_proposer.chat_id, to_coordinator.chat_id) == (5001, 9001)
    due = NEXT_PHASE_STARTED.payload.due_on.isoformat()
    assert to_proposer.text == (f"➡️ AP-2026-0007 “Aulas abiertas” completed phase 1 and moved to phase 2 of 6: "
                                f"Definition and matching, due on {due}.")
    assert to_coordinator.text == (f"➡️ AP-2026-0007 «Aulas abiertas» completó la fase 1 y pasó a la fase 2 de 6: "
                                   f"Definición y emparejamiento, vence el {due}.")
    texts = {event.type: for_course_changed(event, item, city, [])[0].text
             for event in (PHASE_RETURNED, ON_HOLD, RESUMED, WITHDRAWN, CLOSED)}
    assert texts["phase.returned"].startswith("↩️ AP-2026-0007 “Aulas abiertas” went back to phase 1 of 6: Demand")
    assert texts["phase.returned"].endswith("Note: Falta la ficha.")
    assert texts["item.on_hold"] == ("⏸ AP-2026-0007 “Aulas abiertas” is on hold in phase 1: Demand and anchoring. "
                                     "Reason: Cambio de equipo.")
    assert texts["item.resumed"].startswith("▶️ AP-2026-0007 “Aulas abiertas” resumed in phase 1: Demand")
    assert texts["item.withdrawn"].endswith("was withdrawn from the program. Reason: La entidad desistió.")
    assert texts["item.closed"] == "🏁 AP-2026-0007 “Aulas abiertas” completed its 6 phases and is closed."
