"""Habeas data in memory: a person who asks to be forgotten leaves no name and no Telegram account in intake, the
notifier or the bot's view, while their entity's items stay; what intake announces names only an opaque id."""

from __future__ import annotations

from datetime import date

from bot.projection import ITEM_VIEWS, PERSON_VIEWS, BotProjection, account_known
from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole, derived_id
from puente.contracts.items import IntakeRejectionReason
from puente.contracts.people import ForgetMe, ForgetMePayload, PersonForgotten, RemovePerson, RemovePersonPayload
from puente.wiring.dispatch import Dispatcher
from puente.wiring.in_memory import InMemoryUnitOfWork
from services.intake.domain import proposal_from
from services.intake.repository import ITEMS, PEOPLE
from services.notifier.delivery import NOTIFICATIONS
from services.notifier.handlers import KNOWN_ITEMS
from services.notifier.reminders import REMINDERS
from services.phases.domain import overdue, start_process
from tests.factories import propose_exchange, redeem_invitation, staff, update_item
from tests.handler_cases import APRENDE, FORGOTTEN, JOINED, NOW, REMOVED, TODAY
from tests.helpers import in_memory_service, mentions, seat, stored_documents

SOFIA = 740123987
NAME = "Sofía Díaz Quintero"


def forget_me(user_id: int = SOFIA) -> ForgetMe:
    return ForgetMe.new(payload=ForgetMePayload(), actor=Actor(role=ActorRole.staff, id=str(user_id),
                                                                entity_id="sed"), city="bogota")


async def test_intake_erases_the_person_and_keeps_their_entitys_items(settings):
    intake = in_memory_service("intake", settings)
    await seat(intake, 7001, "coordinator", None)
    await seat(intake, SOFIA, "staff", "sed", name=NAME)
    assert await intake.dispatch(redeem_invitation("ABCDEFGHJKMN", user_id=SOFIA)) == "rejected"  # a wrong code
    proposal = propose_exchange(actor=staff(user_id=str(SOFIA)))
    assert await intake.dispatch(proposal) == "applied"
    [item] = intake.unit_of_work.stored(ITEMS)
    assert await intake.dispatch(update_item(item.id, actor=staff(user_id=str(SOFIA)), title="Otro")) == "applied"
    people = {person.telegram_user_id: person for person in intake.unit_of_work.stored(PEOPLE)}
    assert mentions(await stored_documents(intake), NAME, SOFIA), "the test must start with her data stored"

    assert await intake.dispatch(forget_me()) == "applied"

    documents = await stored_documents(intake)
    documents.pop("outbox")  # what was announced before she asked is on its way out already (see the next test)
    assert mentions(documents, NAME, SOFIA) == []
    [item] = intake.unit_of_work.stored(ITEMS)
    assert (item.entity_id, item.title, item.proposed_by.id) == ("sed", "Otro", people[SOFIA].id)
    assert item.history[0].changed_by.id == people[SOFIA].id
    assert [person.telegram_user_id for person in intake.unit_of_work.stored(PEOPLE)] == [7001]
    # She can do nothing more, and asking again is refused as from a stranger.
    assert await intake.dispatch(propose_exchange(actor=staff(user_id=str(SOFIA)))) == "rejected"
    assert await intake.dispatch(forget_me()) == "rejected"


async def test_the_announcement_names_only_an_opaque_id(settings):
    intake = in_memory_service("intake", settings)
    await seat(intake, SOFIA, "staff", "sed", name=NAME)
    [person] = intake.unit_of_work.stored(PEOPLE)
    command = forget_me()
    assert await intake.dispatch(command) == "applied"
    [forgotten] = intake.unit_of_work.announced(settings.topics.people_events)[-1:]
    assert isinstance(forgotten, PersonForgotten)
    assert str(forgotten.payload.person_id) == person.id
    assert mentions(forgotten.model_dump(mode="json"), NAME, SOFIA) == []


async def test_a_removed_person_can_still_be_forgotten(settings):
    intake = in_memory_service("intake", settings)
    await seat(intake, 7001, "coordinator", None)
    await seat(intake, SOFIA, "staff", "sed", name=NAME)
    sofia = next(person for person in intake.unit_of_work.stored(PEOPLE) if person.telegram_user_id == SOFIA)
    removal = RemovePerson.new(payload=RemovePersonPayload(person_id=sofia.id),
                               actor=Actor(role=ActorRole.coordinator, id="7001"), city="bogota")
    assert await intake.dispatch(removal) == "applied"
    assert await intake.dispatch(forget_me()) == "applied"
    assert mentions(intake.unit_of_work.state.collections, NAME, SOFIA) == []


async def test_someone_else_cannot_be_forgotten_in_their_name(settings):
    intake = in_memory_service("intake", settings)
    await seat(intake, SOFIA, "staff", "sed", name=NAME)
    await seat(intake, 5002, "staff", "sdm")
    assert await intake.dispatch(forget_me(5002)) == "applied"  # the actor forgets themselves, only
    assert [person.telegram_user_id for person in intake.unit_of_work.stored(PEOPLE)] == [SOFIA]
    stranger = await intake.dispatch(forget_me(999))
    assert stranger == "rejected"
    rejection = intake.unit_of_work.announced(settings.topics.people_events)[-1]
    assert rejection.payload.reason == IntakeRejectionReason.not_a_member


async def test_the_notifier_erases_the_messages_to_the_person_and_their_chat_on_items(settings):
    notifier = in_memory_service("notifier", settings)
    chat = JOINED.payload.telegram_user_id
    assert await notifier.dispatch(JOINED) == "applied"
    _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(chat))))
    assert await notifier.dispatch(proposed) == "applied"
    assert {notification.chat_id for notification in notifier.unit_of_work.stored(NOTIFICATIONS)} >= {chat}

    assert await notifier.dispatch(FORGOTTEN) == "applied"

    assert mentions(await stored_documents(notifier), JOINED.payload.name, chat) == []
    [item] = notifier.unit_of_work.stored(KNOWN_ITEMS)
    assert (item.entity_id, item.proposer_chat_id) == ("sed", None)


async def test_a_proposal_read_after_its_sender_was_forgotten_stores_nothing_of_them(settings):
    """The notifier reads people's and items' topics side by side: the forgetting may come first. The proposal's
    item is kept for the entity; the sender's chat is not, no message goes to them, and no reminder lists them."""
    notifier = in_memory_service("notifier", settings)
    chat = JOINED.payload.telegram_user_id
    _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(chat))))
    process, _ = start_process(str(proposed.payload.item_id), Line.aprende, proposed, APRENDE, NOW, TODAY)
    _, late = overdue(process, date(2027, 1, 2), NOW)
    for event in (JOINED, FORGOTTEN, proposed, late):
        await notifier.dispatch(event)

    assert mentions(await stored_documents(notifier), JOINED.payload.name, chat) == []
    [item] = notifier.unit_of_work.stored(KNOWN_ITEMS)
    assert item.proposer_chat_id is None
    assert notifier.unit_of_work.stored(REMINDERS) == []


async def test_a_proposal_read_after_its_sender_was_removed_brings_them_no_news_of_it(settings):
    notifier = in_memory_service("notifier", settings)
    chat = JOINED.payload.telegram_user_id
    _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(chat))))
    for event in (JOINED, REMOVED, proposed):
        await notifier.dispatch(event)
    [item] = notifier.unit_of_work.stored(KNOWN_ITEMS)
    assert item.proposer_chat_id is None


async def test_the_bot_erases_its_view_and_the_chat_state_and_keeps_the_item():
    ended: list[int] = []

    async def end_chat_state(telegram_user_id: int) -> None:
        ended.append(telegram_user_id)

    unit_of_work = InMemoryUnitOfWork()
    projection = BotProjection(end_chat_state)
    dispatcher = Dispatcher({**projection.people_routes(), **projection.item_routes()}, unit_of_work)
    chat = JOINED.payload.telegram_user_id
    _, proposed = proposal_from(propose_exchange(actor=staff(user_id=str(chat))))
    for event in (JOINED, proposed):
        assert await dispatcher.dispatch(event) == "applied"
    assert (await account_known(unit_of_work, chat)).name == JOINED.payload.name

    assert await dispatcher.dispatch(FORGOTTEN) == "applied"
    assert await dispatcher.dispatch(FORGOTTEN) == "duplicate"

    assert ended == [chat]
    assert unit_of_work.stored(PERSON_VIEWS) == []
    assert await account_known(unit_of_work, chat) is None
    [item] = unit_of_work.stored(ITEM_VIEWS)
    assert (item.title, item.entity_id, item.proposer_id) == ("Aulas abiertas", "sed", None)
    assert mentions(unit_of_work.state.collections, JOINED.payload.name, chat) == []


async def test_someone_forgotten_who_joins_again_is_welcomed(settings):
    notifier = in_memory_service("notifier", settings)
    chat = JOINED.payload.telegram_user_id
    again = JOINED.model_copy(update={"event_id": derived_id("joined", "again"), "payload": JOINED.payload.model_copy(
        update={"person_id": derived_id("person", "again")})})
    for event in (JOINED, FORGOTTEN, again):
        assert await notifier.dispatch(event) == "applied"
    assert [notification.chat_id for notification in notifier.unit_of_work.stored(NOTIFICATIONS)] == [chat]
