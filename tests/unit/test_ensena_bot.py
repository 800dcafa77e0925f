"""The bot's side of Bogotá Enseña, in memory: its view of a practice's evaluation, schedule, promotion, companions
and requests (each event once, an assignment before its request), and the ranking of evaluators it suggests."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bot.conversations.collaborate import CollaborationConversation
from bot.conversations.course import CourseConversation, may_see, may_work_on
from bot.conversations.evaluate import suggested_evaluators
from bot.conversations.help import show_help
from bot.conversations.mine import Filter, MineConversation
from bot.projection import ITEM_VIEWS, REQUEST_VIEWS, BotProjection, Change, ItemView, PersonView, PracticeView
from puente.contracts.common import Line
from puente.contracts.people import Role
from puente.wiring.city import load_city_config
from puente.wiring.dispatch import Dispatcher
from puente.wiring.in_memory import InMemoryUnitOfWork
from puente.wiring.settings import Settings
from tests import ensena_story as story


def projection() -> tuple[Dispatcher, InMemoryUnitOfWork]:
    unit_of_work = InMemoryUnitOfWork()
    every = BotProjection()
    return Dispatcher({**every.item_routes(), **every.phase_routes(), **every.practice_routes()},
                      unit_of_work), unit_of_work


async def test_the_card_shows_the_practice_from_its_events_each_counted_once():
    dispatcher, unit_of_work = projection()
    for event in (story.PRACTICE, *story.ANNOUNCED):
        assert await dispatcher.dispatch(event) in ("applied", "ignored")
        assert await dispatcher.dispatch(event) == "duplicate"
    [view] = unit_of_work.stored(ITEM_VIEWS)
    practice = view.practice
    assert practice.evaluators == [str(story.person_id(8001)), str(story.person_id(8002))]
    assert list(practice.scorecards) == [str(story.person_id(8001))]
    assert (practice.decision, practice.overall) == ("selected", 4.25)
    assert [(m.key, m.due_on.isoformat(), m.reached_on is not None, m.slipped) for m in practice.milestones] == [
        ("draft", "2027-02-10", True, False), ("review", "2027-03-01", False, True)]
    assert practice.participants == {"academia": 3, "public_local": 20}
    assert sorted((p.channel, p.held) for p in practice.promotions) == [("international_event", True),
                                                                        ("network", False)]
    assert practice.requests == {str(story.derived_id("request", 1)): "closed"}
    card = CourseConversation(load_city_config(Settings()), None, None, None, None).card(view, "en")
    for line in ("Evaluation: 1 of 2 scorecards in", "Decision: 🏅 selected (overall 4.25)",
                 "Milestones: 1 of 2 done · next: Technical review (2027-03-01) ⏰ late",
                 "Participants in the systematization: 23",
                 "Promotions held: 1 (international events: 1, networks: 0) · planned: 1",
                 "Companions: 2 · open requests: 0 (0 waiting)"):
        assert line in card, card


async def test_an_assignment_read_before_its_request_is_completed_by_it_and_a_closed_request_stays_closed():
    dispatcher, unit_of_work = projection()
    for event in (story.PRACTICE, story.REQUEST_ASSIGNED, story.REQUESTED):
        assert await dispatcher.dispatch(event) == "applied"
    [request] = unit_of_work.stored(REQUEST_VIEWS)
    assert (request.requester, request.status, request.companion_id) == (
        "Alcaldía de Quito 1", "assigned", str(story.person_id(5011)))
    assert request.entity_id == "sed"
    assert await dispatcher.dispatch(story.CAPACITY_EXHAUSTED) == "applied"  # handed back: nobody had room
    [request] = unit_of_work.stored(REQUEST_VIEWS)
    assert (request.status, request.companion_id) == ("waiting", None)
    assert await dispatcher.dispatch(story.REQUEST_CLOSED) == "applied"
    late_assignment = story.REQUEST_ASSIGNED.model_copy(update={"event_id": story.derived_id("late assignment")})
    assert await dispatcher.dispatch(late_assignment) == "ignored"
    assert unit_of_work.stored(REQUEST_VIEWS)[0].status == "closed"


def evaluator(name: str, entity: str, sectors: tuple[str, ...] = (), topics: tuple[str, ...] = ()) -> PersonView:
    return PersonView(id=name, telegram_user_id=abs(hash(name)) % 10_000 + 1, name=name, role=Role.evaluator,
                      entity_id=entity, language="es", sectors=list(sectors), topics=list(topics))


def test_evaluators_are_ranked_by_sector_and_topics_accents_aside_never_of_the_practices_entity():
    practice = ItemView(id="p", title="Escuelas de padres", entity_id="sed", sector="education",
                        topic="Deserción escolar", about="Talleres con familias en colegios rurales.")
    people = [evaluator("Ana", "sds", topics=("familias", "movilidad")),
              evaluator("Beto", "sdm", ("education",), ("DESERCION",)),
              evaluator("Ciro", "sdis"),
              evaluator("Dora", "sed", ("education",), ("familias",))]
    ranked = suggested_evaluators(practice, people)
    assert [(s.person.name, s.score, s.sector, s.topics) for s in ranked] == [
        ("Beto", 3, True, ("DESERCION",)), ("Ana", 1, False, ("familias",)), ("Ciro", 0, False, ())]


def test_the_companions_picker_pages_an_entitys_people_ten_at_a_time():
    conversation = CollaborationConversation(load_city_config(Settings()), *([None] * 8))
    context = SimpleNamespace(user_data={"companions": {
        "item_id": "p", "reference": "EN-2026-0001", "title": "Escuelas de padres", "page": 0,
        "candidates": [f"person-{number}" for number in range(23)],
        "names": [f"Persona {number}" for number in range(23)], "chosen": ["person-12"]}})
    text, keyboard = conversation._companions_keyboard(context, "es")
    rows = [[button.text for button in row] for row in keyboard.inline_keyboard]
    assert text.startswith("Acompañantes de EN-2026-0001 «Escuelas de padres»: cada uno lleva hasta 2")
    assert rows[0] == ["☐ Persona 0"] and rows[9] == ["☐ Persona 9"] and len(rows) == 12
    assert rows[10] == ["Siguiente ›"] and rows[11] == ["✅ Guardar (1)", "✖️ Cancelar"]
    context.user_data["companions"]["page"] = 1
    _, keyboard = conversation._companions_keyboard(context, "es")
    assert keyboard.inline_keyboard[2][0].text == "☑ Persona 12"
    assert keyboard.inline_keyboard[0][0].callback_data == "comp:pick:10"
    context.user_data["companions"]["page"] = 7  # beyond the last: the last page
    _, keyboard = conversation._companions_keyboard(context, "es")
    assert [row[0].text for row in keyboard.inline_keyboard[:3]] == ["☐ Persona 20", "☐ Persona 21", "☐ Persona 22"]


async def test_an_evaluator_lists_their_entitys_items_and_the_practices_they_evaluate():
    eva = evaluator("Eva", "sds")
    proposed = datetime(2026, 11, 20, tzinfo=UTC)
    items = [ItemView(id="own", reference="AP-2026-0001", title="Salud escolar", entity_id="sds", line=Line.aprende,
                      proposed_at=proposed),
             ItemView(id="evaluated", reference="EN-2026-0001", title="Escuelas de padres", entity_id="sed",
                      line=Line.ensena, proposed_at=proposed, practice=PracticeView(evaluators=[eva.id])),
             ItemView(id="other", reference="EN-2026-0002", title="Otra", entity_id="sed", line=Line.ensena,
                      proposed_at=proposed, practice=PracticeView(evaluators=["someone else"]))]

    async def list_items(entity_id: str | None) -> list[ItemView]:
        return [item for item in items if entity_id is None or item.entity_id == entity_id]

    listing = MineConversation(load_city_config(Settings()), None, list_items)
    text, _ = await listing.page(eva, "es", 0, Filter())
    assert "AP-2026-0001" in text and "EN-2026-0001" in text and "EN-2026-0002" not in text


async def test_help_shows_everyone_their_own_commands():
    async def helped(role: Role | None) -> str:
        said = []

        async def send_message(text: str) -> None:
            said.append(text)

        update = SimpleNamespace(effective_user=SimpleNamespace(id=1, language_code="en"),
                                 effective_chat=SimpleNamespace(send_message=send_message))

        async def who_is(user_id: int) -> PersonView | None:
            return None if role is None else PersonView(id="p", telegram_user_id=user_id, name="P", role=role,
                                                        entity_id="sed", language="en")

        await show_help(update, SimpleNamespace(user_data={}), who_is)
        [text] = said
        return text

    staff, evaluating, coordinating = await helped(Role.staff), await helped(Role.evaluator), \
        await helped(Role.coordinator)
    assert all(text.startswith("Commands:") and "/language" in text for text in (staff, evaluating, coordinating))
    assert "/milestones" in staff and "/score" not in staff and "/advance" not in staff
    assert "/score" in evaluating and "/milestones" not in evaluating and "/advance" not in evaluating
    assert "/milestones" in coordinating and "/advance" in coordinating and "/evaluators" in coordinating


def test_an_evaluator_reads_the_practices_they_evaluate_and_works_on_none_of_another_entity():
    eva = evaluator("Eva", "sds")
    evaluated = ItemView(id="p", entity_id="sed", line=Line.ensena, practice=PracticeView(evaluators=[eva.id]))
    other = ItemView(id="q", entity_id="sed", line=Line.ensena, practice=PracticeView(evaluators=["someone"]))
    assert may_see(eva, evaluated) and not may_work_on(eva, evaluated)
    assert not may_see(eva, other)


async def test_the_cards_changes_are_dated_in_the_citys_days():
    """21:00 in Bogotá on 28 November is 02:00 UTC on the 29th: the card says the 28th."""
    view = ItemView(id="item", reference="AP-2026-0001", line=Line.aprende, title="Aulas abiertas", changes=[
        Change(at=datetime(2026, 11, 29, 2, 0, tzinfo=UTC), kind="item.on_hold", phase_number=1,
               text="Cambio de equipo.")])
    card = CourseConversation(load_city_config(Settings()), None, None, None, None).card(view, "es")
    assert "• 2026-11-28:" in card and "2026-11-29" not in card, card
