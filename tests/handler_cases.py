"""The table of cases every handler is tested with: the service, what it has seen before, the message delivered
twice, and the first delivery's outcome. `tests/unit/test_every_handler_once.py` runs it in memory,
`tests/integration/test_every_handler_once.py` on the real servers; both check that every routed type has a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from puente.contracts.commitments import CommitmentStatus
from puente.contracts.common import Line
from puente.contracts.deliverables import DocumentRef
from puente.contracts.envelope import SYSTEM_ACTOR, Actor, ActorRole, Message, derived_id
from puente.contracts.evaluation import Decision
from puente.contracts.items import (
    ExchangeProposed,
    IntakeRejectionReason,
    ItemUpdated,
    ItemUpdatedPayload,
    PracticeProposed,
)
from puente.contracts.knowledge import CatalogueEntryRecorded
from puente.contracts.people import (
    ChangePerson,
    ChangePersonPayload,
    ForgetMe,
    ForgetMePayload,
    RemovePerson,
    RemovePersonPayload,
    Role,
)
from puente.contracts.phases import (
    AdvancePhase,
    HoldItem,
    ItemPayload,
    ItemReasonPayload,
    MoveDueDate,
    MoveDueDatePayload,
    PhaseStep,
    ResumeItem,
    ReturnPhase,
    ReturnPhasePayload,
    SubmitDeliverable,
    SubmitDeliverablePayload,
    WithdrawItem,
)
from puente.contracts.reporting import (
    DigestGenerated,
    DigestGeneratedPayload,
    ReportFile,
    ReportGenerated,
    ReportGeneratedPayload,
    RequestReport,
    RequestReportPayload,
)
from puente.wiring.city import load_city_config
from puente.wiring.settings import Settings
from services.intake.directory import (
    InvitationRules,
    Person,
    WrongCodes,
    change,
    forgotten,
    invite,
    redeem,
    remove,
)
from services.intake.domain import apply_update, proposal_from, rejection
from services.phases.domain import (
    PhasePlan,
    advance,
    due_soon,
    hold,
    move_due_date,
    overdue,
    resume,
    return_to_previous,
    start_process,
    submit,
    withdraw,
)
from services.reporting.history import past_items
from services.reporting.projections import ITEM_RULES
from tests import aprende_story as exchange_story
from tests import ensena_story as story
from tests.factories import invite_person, propose_exchange, propose_practice, redeem_invitation, staff, update_item

CITY = load_city_config(Settings())
EXCHANGE_COMMAND = propose_exchange()
PRACTICE_COMMAND = propose_practice()
_, EXCHANGE_PROPOSED = proposal_from(EXCHANGE_COMMAND)
_, PRACTICE_PROPOSED = proposal_from(PRACTICE_COMMAND)
EXCHANGE_ID = EXCHANGE_PROPOSED.payload.item_id
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
APRENDE = [PhasePlan(phase.key, phase.duration_days) for phase in CITY.phases_of(Line.aprende)]
PROCESS, PHASE_STARTED = start_process(str(EXCHANGE_ID), Line.aprende, EXCHANGE_PROPOSED, APRENDE, NOW,
                                       date(2026, 11, 28))
_, PHASE_OVERDUE = overdue(PROCESS, date(2027, 1, 2), NOW)
TITLE_CHANGE = update_item(EXCHANGE_ID, title="Aulas abiertas al campo")
EXCHANGE_ITEM, _ = proposal_from(EXCHANGE_COMMAND)
_, ITEM_UPDATED = apply_update(EXCHANGE_ITEM, TITLE_CHANGE, NOW, TITLE_CHANGE.actor)
NOT_YOUR_ENTITY = propose_exchange(entity_id="sed", actor=staff("sed", user_id="5002"))  # 5002 is staff of sdm
IGNORED_UPDATE = ItemUpdated.new(
    payload=ItemUpdatedPayload(item_id=EXCHANGE_ID, line=Line.aprende, revision=2, changes={"need": "Otra necesidad."}),
    actor=staff(), city="bogota", event_id=derived_id(EXCHANGE_ID, "need-change"),
)
ANA = (5001, "staff", "sed")  # the proposer of the cases above, as the directory knows her
CARLOS = (7001, "coordinator", None)
COORDINATOR = Actor(role=ActorRole.coordinator, id="7001")
INVITATION = invite_person("staff", "Sofía Díaz", "sed", actor=COORDINATOR, code="ABCDEFGHJKMN")
JOINING = redeem_invitation("ABCDEFGHJKMN", user_id=6001)
WRONG_CODE = redeem_invitation("NMKJHGFEDCBA", user_id=6002)
CARLOS_PERSON = Person(id="7001", telegram_user_id=7001, name="Carlos", role="coordinator", entity_id=None,
                       language="es", joined_at=NOW, invited_by="command-line")
_, JOINED_PERSON, JOINED = redeem(
    JOINING, invite(INVITATION, "7001", InvitationRules(frozenset(CITY.entities), timedelta(hours=72)), NOW)[0],
    WrongCodes(id="6001"), None, CARLOS_PERSON, NOW)
CODE_REJECTED = rejection(WRONG_CODE, IntakeRejectionReason.wrong_code)
REMOVAL = RemovePerson.new(payload=RemovePersonPayload(person_id=JOINED.payload.person_id), actor=COORDINATOR,
                           city="bogota")
PROMOTION = ChangePerson.new(
    payload=ChangePersonPayload(person_id=JOINED.payload.person_id, role="evaluator", entity_id="sds"),
    actor=COORDINATOR, city="bogota")
_, CHANGED = change(PROMOTION, JOINED_PERSON.model_copy(update={"role": "coordinator", "id": "carlos"}), JOINED_PERSON,
                    InvitationRules(frozenset(CITY.entities), timedelta(hours=72)), NOW)
_, REMOVED = remove(REMOVAL, JOINED_PERSON.model_copy(update={"role": "coordinator", "id": "carlos"}), JOINED_PERSON,
                    NOW)

COORDINATOR_JOINED = JOINED.model_copy(update={
    "event_id": derived_id("carlos", "joined"),
    "payload": JOINED.payload.model_copy(update={"person_id": derived_id("carlos"), "telegram_user_id": 7001,
                                                 "role": Role.coordinator, "entity_id": None, "name": "Carlos"})})
ADVANCE = AdvancePhase.new(payload=PhaseStep(item_id=EXCHANGE_ID, phase_number=1), actor=COORDINATOR, city="bogota")
ADVANCE_BY_STAFF = AdvancePhase.new(payload=PhaseStep(item_id=EXCHANGE_ID, phase_number=1),
                                    actor=Actor(role=ActorRole.coordinator, id="6001"), city="bogota")
RETURN = ReturnPhase.new(payload=ReturnPhasePayload(item_id=EXCHANGE_ID, phase_number=2, note="Falta la ficha."),
                         actor=COORDINATOR, city="bogota")
HOLD = HoldItem.new(payload=ItemReasonPayload(item_id=EXCHANGE_ID, reason="Cambio de equipo."), actor=COORDINATOR,
                    city="bogota")
RESUME = ResumeItem.new(payload=ItemPayload(item_id=EXCHANGE_ID), actor=COORDINATOR, city="bogota")
WITHDRAW = WithdrawItem.new(payload=ItemReasonPayload(item_id=EXCHANGE_ID, reason="La entidad desistió."),
                            actor=COORDINATOR, city="bogota")
NEED_SHEET = DocumentRef(file_id="0" * 24, name="ficha.pdf", size=1234, sha256="a" * 64, media_type="application/pdf")
SUBMIT_NEED_SHEET = SubmitDeliverable.new(
    payload=SubmitDeliverablePayload(item_id=EXCHANGE_ID, phase_number=1, key="need-sheet", document=NEED_SHEET),
    actor=COORDINATOR, city="bogota")
SUBMIT_COMMITMENT = SubmitDeliverable.new(
    payload=SubmitDeliverablePayload(item_id=EXCHANGE_ID, phase_number=1, key="commitment",
                                     value="La SED asigna un equipo técnico."),
    actor=COORDINATOR, city="bogota")
MOVE_DUE_DATE = MoveDueDate.new(
    payload=MoveDueDatePayload(item_id=EXCHANGE_ID, phase_number=1, due_on=date(2099, 1, 15),
                               reason="La entidad pidió una prórroga."),
    actor=COORDINATOR, city="bogota")
STEERING = (EXCHANGE_PROPOSED, COORDINATOR_JOINED)
READY = (*STEERING, SUBMIT_NEED_SHEET, SUBMIT_COMMITMENT)  # phase 1's required deliverables are in
WITH_DELIVERABLES = [PhasePlan(phase.key, phase.duration_days, tuple(rule.rule() for rule in phase.deliverables))
                     for phase in CITY.phases_of(Line.aprende)]
_, (DELIVERABLE_SUBMITTED,) = submit(
    start_process(str(EXCHANGE_ID), Line.aprende, EXCHANGE_PROPOSED, WITH_DELIVERABLES, NOW, date(2026, 11, 28))[0],
    SUBMIT_COMMITMENT, "carlos", date(2026, 11, 28), NOW)
TODAY = date(2026, 11, 28)
AFTER_ADVANCE, (_, NEXT_PHASE_STARTED) = advance(PROCESS, ADVANCE, APRENDE, TODAY, NOW)
_, (PHASE_RETURNED,) = return_to_previous(AFTER_ADVANCE, RETURN, APRENDE, TODAY, NOW)
HELD, (ON_HOLD,) = hold(PROCESS, HOLD, TODAY, NOW)
_, (RESUMED,) = resume(HELD, RESUME, APRENDE, TODAY, NOW)
_, (WITHDRAWN,) = withdraw(PROCESS, WITHDRAW, NOW)
_, (DUE_DATE_MOVED,) = move_due_date(PROCESS, MOVE_DUE_DATE, TODAY, NOW)
_, DUE_SOON = due_soon(PROCESS, PROCESS.current().due_on, NOW)
_LAST = PROCESS.model_copy(update={"current_phase": 6, "phases": [
    phase.model_copy(update={"status": "started" if phase.number == 6 else "completed"}) for phase in PROCESS.phases]})
_, (_, CLOSED) = advance(_LAST, ADVANCE.model_copy(update={"payload": PhaseStep(item_id=EXCHANGE_ID, phase_number=6)}),
                         APRENDE, TODAY, NOW)
FORGET_SOFIA = ForgetMe.new(payload=ForgetMePayload(), actor=Actor(role=ActorRole.staff, id="6001", entity_id="sed"),
                            city="bogota")
FORGOTTEN = forgotten(FORGET_SOFIA, JOINED_PERSON, NOW)

REPORT_REQUEST = RequestReport.new(payload=RequestReportPayload(), actor=COORDINATOR, city="bogota")


HISTORY, _ = past_items(Path(__file__).resolve().parents[1] / "config" / "history" / "bogota-example.jsonl", CITY)
IMPORTED_PROPOSAL, IMPORTED_PHASE_STARTED = HISTORY[0].events[:2]


def _reported_examples() -> tuple[Message, ...]:
    """One example of each event reporting keeps (besides proposals): from the stories and the example history."""
    history = HISTORY
    pool = (PHASE_STARTED, PHASE_RETURNED, ON_HOLD, RESUMED, WITHDRAWN, CLOSED, DELIVERABLE_SUBMITTED,
            DUE_DATE_MOVED, ITEM_UPDATED, exchange_story.CATALOGUE_RECORDED, exchange_story.COMMITMENT_RECORDED,
            exchange_story.COMMITMENT_BLOCKED, exchange_story.SURVEY_SUBMITTED, *story.ANNOUNCED,
            *exchange_story.ANNOUNCED, *(event for item in history for event in item.events))
    kept = {*ITEM_RULES, CatalogueEntryRecorded} - {ExchangeProposed, PracticeProposed}
    examples: dict[type, Message] = {}
    for event in pool:
        if type(event) in kept:
            examples.setdefault(type(event), event)
    return tuple(examples.values())


REPORTED_EXAMPLES = _reported_examples()

_REPORT_ID = derived_id("digest", "bogota", "2026-W48")
_REPORT_FILE = ReportFile(report_id=_REPORT_ID, file_name="bogota-2026-w48.pdf", download_key="ab" * 16)
DIGEST_GENERATED = DigestGenerated.new(
    payload=DigestGeneratedPayload(digest_id=_REPORT_ID, iso_week="2026-W48", summary="📊 Informe semanal",
                                   file=_REPORT_FILE), actor=SYSTEM_ACTOR, city="bogota")
REPORT_GENERATED = ReportGenerated.new(
    payload=ReportGeneratedPayload(person_id=COORDINATOR_JOINED.payload.person_id, language="es",
                                   summary="📊 Informe al 2026-11-28", file=_REPORT_FILE),
    actor=COORDINATOR, city="bogota")


@dataclass(frozen=True)
class Case:
    service: str
    message: Message
    outcome: str = "applied"
    seen_before: tuple[Message, ...] = field(default=())
    # People seated in intake's directory first (Telegram user id, role, entity), for the services that check it.
    directory: tuple[tuple[int, str, str | None], ...] = field(default=())


CASES = {
    "intake proposes an exchange": Case("intake", EXCHANGE_COMMAND, directory=(ANA,)),
    "intake proposes a practice": Case("intake", PRACTICE_COMMAND, directory=(ANA,)),
    "intake updates an item": Case("intake", TITLE_CHANGE, seen_before=(EXCHANGE_COMMAND,), directory=(ANA,)),
    "intake rejects a proposal once": Case("intake", NOT_YOUR_ENTITY, "rejected", directory=((5002, "staff", "sdm"),)),
    "intake refuses a stranger once": Case("intake", EXCHANGE_COMMAND, "rejected"),
    "intake records an invitation": Case("intake", INVITATION, directory=(CARLOS,)),
    "intake lets a person join": Case("intake", JOINING, seen_before=(INVITATION,), directory=(CARLOS,)),
    "intake counts a wrong code once": Case("intake", WRONG_CODE, "rejected"),
    "intake changes a role and entity": Case("intake", PROMOTION, seen_before=(INVITATION, JOINING),
                                             directory=(CARLOS,)),
    "intake removes a person": Case("intake", REMOVAL, seen_before=(INVITATION, JOINING), directory=(CARLOS,)),
    "intake forgets a person": Case("intake", FORGET_SOFIA, seen_before=(INVITATION, JOINING), directory=(CARLOS,)),
    "intake refuses to forget a stranger": Case("intake", FORGET_SOFIA, "rejected"),
    "intake records a catalogue entry": Case("intake", exchange_story.catalogue_entry("copenhagen"),
                                             directory=(CARLOS,)),
    "intake leaves an unchanged entry alone": Case("intake", exchange_story.catalogue_entry("copenhagen"), "ignored",
                                                   seen_before=(exchange_story.catalogue_entry("copenhagen"),),
                                                   directory=(CARLOS,)),
    "intake refuses staff who record an entry": Case(
        "intake", exchange_story.catalogue_entry("copenhagen", by=exchange_story.STAFF_ACTOR), "rejected",
        directory=(ANA,)),
    "phases starts an exchange": Case("phases", EXCHANGE_PROPOSED),
    "phases starts a practice": Case("phases", PRACTICE_PROPOSED),
    "phases ignores an update": Case("phases", ITEM_UPDATED, "ignored"),
    "phases keeps a deliverable": Case("phases", SUBMIT_COMMITMENT, seen_before=STEERING),
    "phases completes a phase": Case("phases", ADVANCE, seen_before=READY),
    "phases refuses a phase with deliverables missing": Case("phases", ADVANCE, "rejected", seen_before=STEERING),
    "phases refuses staff who steer": Case("phases", ADVANCE_BY_STAFF, "rejected", seen_before=(*STEERING, JOINED)),
    "phases sends an item back": Case("phases", RETURN, seen_before=(*READY, ADVANCE)),
    "phases holds an item": Case("phases", HOLD, seen_before=STEERING),
    "phases resumes an item": Case("phases", RESUME, seen_before=(*STEERING, HOLD)),
    "phases withdraws an item": Case("phases", WITHDRAW, seen_before=STEERING),
    "phases moves a due date": Case("phases", MOVE_DUE_DATE, seen_before=STEERING),
    "phases learns who joined": Case("phases", JOINED),
    "phases learns a new role": Case("phases", CHANGED, seen_before=(JOINED,)),
    "phases learns a removal": Case("phases", REMOVED, seen_before=(JOINED,)),
    "phases forgets a person": Case("phases", FORGOTTEN, seen_before=(JOINED,)),
    "phases assigns evaluators": Case("phases", story.assign_evaluators(8001, 8002), seen_before=story.PROPOSED),
    "phases keeps a scorecard": Case("phases", story.score(story.EVALUATOR_ACTORS[0], 5, 4, 4, 5),
                                     seen_before=story.ASSIGNED),
    "phases refuses a score off the scale": Case("phases", story.score(story.EVALUATOR_ACTORS[0], 9, 4, 4, 5),
                                                 "rejected", seen_before=story.ASSIGNED),
    "phases records a decision": Case("phases", story.decide(Decision.selected), seen_before=story.SCORED),
    "phases reports a milestone": Case("phases", story.report("draft"), seen_before=story.SYSTEMATIZING),
    "phases moves a milestone": Case("phases", story.move("draft", date.today() + timedelta(days=40)),
                                     seen_before=story.SYSTEMATIZING),
    "phases records participants": Case("phases", story.participants(academia=4, public_local=10),
                                        seen_before=story.SYSTEMATIZING),
    "phases plans a promotion": Case("phases", story.plan_promotion(date(2099, 5, 1)),
                                     seen_before=story.SYSTEMATIZING),
    "phases records a promotion": Case("phases", story.record_promotion(date(2026, 10, 1)),
                                       seen_before=story.SYSTEMATIZING),
    "phases names companions": Case("phases", story.name_companions(5011), seen_before=story.SYSTEMATIZING),
    "phases registers a collaboration request": Case("phases", story.request_collaboration(1),
                                                     seen_before=story.ACCOMPANIED),
    "phases reassigns a request": Case("phases", story.assign_collaboration(1, 5012),
                                       seen_before=(*story.ACCOMPANIED, story.request_collaboration(1))),
    "phases closes a request": Case("phases", story.close_collaboration(1),
                                    seen_before=(*story.ACCOMPANIED, story.request_collaboration(1))),
    **{f"notifier tells of {event.type}": Case("notifier", event, seen_before=(story.PRACTICE, *story.PEOPLE))
       for event in story.ANNOUNCED},
    "phases records a commitment": Case("phases", exchange_story.record_commitment(date(2099, 1, 1)),
                                        seen_before=exchange_story.IN_ACTION_PLAN),
    "phases refuses an owner of another entity": Case(
        "phases", exchange_story.record_commitment(date(2099, 1, 1), owner=5021), "rejected",
        seen_before=exchange_story.IN_ACTION_PLAN),
    "phases records a commitment's progress": Case(
        "phases", exchange_story.report_progress(1, CommitmentStatus.in_progress, 50),
        seen_before=(*exchange_story.IN_ACTION_PLAN, exchange_story.record_commitment(date(2099, 1, 1)))),
    "notifier confirms a catalogue entry": Case("notifier", exchange_story.CATALOGUE_RECORDED),
    "phases learns a catalogue entry": Case("phases", exchange_story.known("expert", "mette")),
    "phases records a shortlist": Case("phases", exchange_story.shortlist(), seen_before=exchange_story.IN_MATCHING),
    "phases records the exchange's plan": Case("phases", exchange_story.plan_exchange(date(2099, 3, 1),
                                                                                      date(2099, 3, 2)),
                                               seen_before=exchange_story.IN_DESIGN),
    "phases records the exchange's experts": Case("phases", exchange_story.record_experts("mette"),
                                                  seen_before=exchange_story.IN_DESIGN),
    "phases refuses an unknown expert": Case("phases", exchange_story.record_experts("nobody"), "rejected",
                                             seen_before=exchange_story.IN_DESIGN),
    "phases records the exchange's allies": Case("phases", exchange_story.record_allies("dutch-advisors"),
                                                 seen_before=exchange_story.PROPOSED),
    "phases adds a co-funded budget line": Case(
        "phases", exchange_story.add_budget_line(1, "900", paid_by="dutch-advisors"),
        seen_before=(*exchange_story.IN_DESIGN, exchange_story.record_allies("dutch-advisors"))),
    "phases removes a budget line": Case(
        "phases", exchange_story.remove_budget_line(1),
        seen_before=(*exchange_story.IN_DESIGN, exchange_story.add_budget_line(1, "900"))),
    "phases assigns a logistics task": Case(
        "phases", exchange_story.assign_logistics(exchange_story.LogisticsTask.venue, 5031),
        seen_before=exchange_story.IN_DESIGN),
    "phases records the exchange's participants": Case(
        "phases", exchange_story.record_participants(academia=3), seen_before=exchange_story.IN_DESIGN),
    "phases records a survey answer": Case("phases", exchange_story.answer(1, 5, 4, 4, 5),
                                           seen_before=exchange_story.IN_ACTION_PLAN),
    "phases refuses a second answer from one account": Case(
        "phases", exchange_story.answer(1, 1, 1, 1, 1), "rejected",
        seen_before=(*exchange_story.IN_ACTION_PLAN, exchange_story.answer(1, 5, 4, 4, 5))),
    **{f"notifier tells of the exchange's {event.type}": Case(
        "notifier", event, seen_before=(exchange_story.EXCHANGE, *exchange_story.PEOPLE))
       for event in exchange_story.ANNOUNCED},
    "notifier keeps a practice event until its practice is known": Case("notifier", story.PRACTICE_DECIDED,
                                                                        "waiting"),
    "reporting keeps an exchange": Case("reporting", EXCHANGE_PROPOSED),
    "reporting keeps a practice": Case("reporting", PRACTICE_PROPOSED),
    **{f"reporting keeps {event.type}": Case("reporting", event) for event in REPORTED_EXAMPLES},
    "notifier sends the digest to the coordinators": Case("notifier", DIGEST_GENERATED,
                                                          seen_before=(COORDINATOR_JOINED,)),
    "notifier sends a report to who asked": Case("notifier", REPORT_GENERATED, seen_before=(COORDINATOR_JOINED,)),
    "notifier tells no one of imported history": Case("notifier", IMPORTED_PHASE_STARTED, "ignored"),
    "phases starts no course for an imported item": Case("phases", IMPORTED_PROPOSAL, "ignored"),
    "reporting learns who joined": Case("reporting", JOINED),
    "reporting learns a new role": Case("reporting", CHANGED, seen_before=(JOINED,)),
    "reporting learns a removal": Case("reporting", REMOVED, seen_before=(JOINED,)),
    "reporting forgets a person": Case("reporting", FORGOTTEN, seen_before=(JOINED,)),
    "reporting makes a report for a coordinator": Case("reporting", REPORT_REQUEST,
                                                       seen_before=(COORDINATOR_JOINED, EXCHANGE_PROPOSED)),
    "reporting refuses a report to someone not coordinating": Case("reporting", REPORT_REQUEST, "rejected"),
    "notifier confirms an exchange": Case("notifier", EXCHANGE_PROPOSED),
    "notifier confirms a practice": Case("notifier", PRACTICE_PROPOSED),
    "notifier renames an item": Case("notifier", ITEM_UPDATED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier confirms a need change": Case("notifier", IGNORED_UPDATE, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier ignores a change to an unknown item": Case("notifier", IGNORED_UPDATE, "ignored"),
    "notifier explains a rejection": Case(
        "notifier", rejection(NOT_YOUR_ENTITY, IntakeRejectionReason.not_your_entity)),
    "notifier welcomes a person who joined": Case("notifier", JOINED),
    "notifier explains a wrong code": Case("notifier", CODE_REJECTED),
    "notifier tells a person their new role": Case("notifier", CHANGED, seen_before=(JOINED,)),
    "notifier tells a person they were removed": Case("notifier", REMOVED, seen_before=(JOINED,)),
    "notifier forgets a person": Case("notifier", FORGOTTEN, seen_before=(JOINED,)),
    "notifier tells of a completed phase": Case("notifier", NEXT_PHASE_STARTED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a return": Case("notifier", PHASE_RETURNED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a hold": Case("notifier", ON_HOLD, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a resumption": Case("notifier", RESUMED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a withdrawal": Case("notifier", WITHDRAWN, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a close": Case("notifier", CLOSED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier confirms a deliverable": Case("notifier", DELIVERABLE_SUBMITTED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier reminds of a due date": Case("notifier", DUE_SOON, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier tells of a moved due date": Case("notifier", DUE_DATE_MOVED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier has nothing to forget of a stranger": Case("notifier", FORGOTTEN, "ignored"),
    "notifier alerts coordinators": Case("notifier", PHASE_STARTED, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier keeps a phase event until its item": Case("notifier", PHASE_STARTED, "waiting"),
    "notifier tells of a late phase": Case("notifier", PHASE_OVERDUE, seen_before=(EXCHANGE_PROPOSED,)),
    "notifier releases a kept phase event": Case("notifier", EXCHANGE_PROPOSED, seen_before=(PHASE_STARTED,)),
}
