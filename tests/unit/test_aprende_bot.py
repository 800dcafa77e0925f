"""The bot's side of Bogotá Aprende, in memory: its view of an exchange's shortlist, record, surveys and commitments
(each event once), the record as /expediente shows it (amounts in each language's way, totals by payer), an expert's
track record for matching, and the anonymous key of a survey answer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from bot.conversations.people import answering_survey
from bot.conversations.record import RecordConversation
from bot.conversations.survey import DevelopmentKeyRefused, respondent_key, survey_key
from bot.projection import ITEM_VIEWS, SURVEY_VIEWS, BotProjection, CatalogueView, expert_history
from puente.contracts.knowledge import entry_id
from puente.wiring.city import load_city_config
from puente.wiring.dispatch import Dispatcher
from puente.wiring.in_memory import InMemoryUnitOfWork
from puente.wiring.settings import Settings
from tests import aprende_story as story

CITY = load_city_config(Settings())


def projection() -> tuple[Dispatcher, InMemoryUnitOfWork]:
    unit_of_work = InMemoryUnitOfWork()
    every = BotProjection()
    return Dispatcher({**every.item_routes(), **every.phase_routes(), **every.exchange_routes()},
                      unit_of_work), unit_of_work


async def names(kind: str, key: str) -> CatalogueView | None:
    return None  # the record names entries the catalogue does not know by their key


async def test_the_exchange_view_follows_its_events_each_once_and_the_record_shows_it():
    dispatcher, unit_of_work = projection()
    extra = story._as_event(story.BudgetLineAdded, story.BudgetLineAddedPayload,
                            story.add_budget_line(2, "12000000", currency=story.Currency.COP,
                                                  paid_by="dutch-advisors", concept="Sala"), "budget_line.added.2")
    for event in (story.EXCHANGE, *story.ANNOUNCED, extra):
        assert await dispatcher.dispatch(event) in ("applied", "ignored")
        assert await dispatcher.dispatch(event) == "duplicate"
    [view] = unit_of_work.stored(ITEM_VIEWS)
    exchange = view.exchange
    assert [match.key for match in exchange.shortlisted_practices] == ["copenhagen"]
    assert exchange.plan.instrument == "study_visit" and exchange.experts == ["mette"]
    assert [line.concept for line in exchange.budget] == ["Sala"], "the first line was removed"
    assert exchange.logistics["travel"].owner_id == str(story.person_id(5031))
    assert exchange.participants == {"academia": 3, "public_local": 20}
    assert [(c.number, c.status, c.progress_percent) for c in exchange.commitments] == [(1, "blocked", 40)]
    [survey] = unit_of_work.stored(SURVEY_VIEWS)
    assert survey.respondents == [story.respondent(1)] and survey.averages()["usefulness"] == 2

    async def nobody(person_id: str):
        return None

    conversation = RecordConversation(CITY, None, None, None, None, None, nobody, None, names)
    spanish = await conversation.record_text(view, "es")
    assert "🗓 Visita de estudio, del 2099-03-01 al 2099-03-05, en Copenhague, DK" in spanish
    assert "1. Sala — 12.000.000,00 COP — dutch-advisors" in spanish
    assert "Total 12.000.000,00 COP: programa 0,00 COP, aliados 12.000.000,00 COP" in spanish
    assert "• Copenhagen — mismo sector (Movilidad)" in spanish
    assert "👥 23 participantes: academia: 3" in spanish
    english = await conversation.record_text(view, "en")
    assert "1. Sala — 12,000,000.00 COP — dutch-advisors" in english


async def test_an_experts_track_record_counts_their_exchanges_and_those_exchanges_surveys():
    dispatcher, unit_of_work = projection()
    for event in (story.EXCHANGE, story.EXPERTS_RECORDED, story.SURVEY_REQUESTED, story.SURVEY_SUBMITTED):
        await dispatcher.dispatch(event)
    assert await expert_history(unit_of_work) == {"mette": (1, 2.0)}
    assert await expert_history(unit_of_work, min_answers=3) == {"mette": (1, None)}, \
        "one answer's average would tell that person's ratings"
    assert entry_id("expert", "mette") == "expert:mette"


def test_a_survey_answers_key_tells_accounts_apart_and_names_none_without_the_key():
    first = respondent_key(b"secret", "survey-1", 5001)
    assert first == respondent_key(b"secret", "survey-1", 5001) and len(first) == 64
    assert first != respondent_key(b"secret", "survey-1", 5002), "one account, one key"
    assert first != respondent_key(b"secret", "survey-2", 5001), "a key per survey: answers cannot be linked"
    assert first != respondent_key(b"other", "survey-1", 5001), "without the key, the account cannot be found"
    assert "5001" not in first


def test_the_bot_refuses_the_public_development_survey_key_with_the_real_telegram(settings):
    sandbox = settings.model_copy(update={"telegram_api_url": "http://127.0.0.1:8081/bot"})
    assert survey_key(sandbox) == b"puente-local-survey-key", "the sandbox may use it"
    real = settings.model_copy(update={"telegram_api_url": "https://api.telegram.org/bot"})
    with pytest.raises(DevelopmentKeyRefused, match="PUENTE_SURVEY_KEY"):
        survey_key(real)
    assert survey_key(real.model_copy(update={"survey_key": SecretStr("a" * 40)})) == b"a" * 40


def test_a_stranger_in_a_survey_passes_the_gate_with_answers_only():
    def update(text: str | None = None, data: str | None = None):
        message = SimpleNamespace(text=text) if text is not None else None
        query = SimpleNamespace(data=data) if data is not None else None
        return SimpleNamespace(message=message, callback_query=query)

    assert answering_survey(update(data="svy:0:4")) and answering_survey(update(text="Muy útil"))
    assert answering_survey(update(text="/cancelar"))
    assert not answering_survey(update(data="cmt:x:1")) and not answering_survey(update(text="/proponer"))


def test_coordinators_and_the_items_own_staff_work_on_its_records_and_nobody_else():
    from bot.conversations.course import of_the_entity
    from bot.projection import ItemView, PersonView
    from puente.contracts.people import Role

    item = ItemView(id="x", entity_id="sdm")

    def person(role: Role, entity_id: str | None) -> PersonView:
        return PersonView(id="p", telegram_user_id=1, name="P", role=role, entity_id=entity_id, language="es")

    assert of_the_entity(person(Role.coordinator, None), item) and of_the_entity(person(Role.staff, "sdm"), item)
    assert not of_the_entity(person(Role.staff, "sed"), item), "another entity's staff"
    assert not of_the_entity(person(Role.evaluator, "sdm"), item), "an evaluator, even of the same entity"
