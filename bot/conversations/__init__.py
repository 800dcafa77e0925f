"""The bot's conversations, one module each (`propose`, `mine`, `course`, `deliver`, `edit`, `people`, `members`,
`evaluate`, `systematize`, `collaborate`, `suggest`, `record`, `plan`, `survey`, `catalogue`, `reports`, `privacy`,
`language`, `help`; `common` is what they share). Each declares its commands and menu entries and builds its
handlers; this module puts them in order and publishes the command menu. A new conversation is a new module here,
added to `conversations()`."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, BotCommand

from bot.conversations import (
    catalogue,
    collaborate,
    course,
    deliver,
    edit,
    evaluate,
    help,
    members,
    mine,
    people,
    plan,
    privacy,
    propose,
    record,
    reports,
    suggest,
    survey,
    systematize,
)
from bot.conversations import language as language_module
from bot.conversations.catalogue import CatalogueConversation
from bot.conversations.collaborate import CollaborationConversation, RequestById, RequestsOf
from bot.conversations.common import SendCommand
from bot.conversations.course import CourseConversation, ItemById, ItemByReference
from bot.conversations.deliver import DeliverConversation
from bot.conversations.edit import EditConversation
from bot.conversations.evaluate import EvaluationConversation, EvaluatorsOf
from bot.conversations.help import HelpConversation
from bot.conversations.language import LanguageConversation
from bot.conversations.members import MembersConversation, PeopleOf, PersonById
from bot.conversations.mine import ListItems, MineConversation, ReadItems
from bot.conversations.people import PeopleConversation, WhoIs
from bot.conversations.plan import ActionPlanConversation
from bot.conversations.privacy import KnownAccount, PrivacyConversation
from bot.conversations.propose import ProposeConversation
from bot.conversations.record import EntryOf, RecordConversation
from bot.conversations.reports import ReportsConversation
from bot.conversations.suggest import CatalogueOf, ExpertHistory, MatchingConversation
from bot.conversations.survey import SurveyByCode, SurveyConversation, SurveysOf
from bot.conversations.systematize import SystematizationConversation
from bot.documents import DocumentStore
from puente.i18n import translate
from puente.wiring.city import CityConfig


@dataclass(frozen=True)
class BotServices:
    """What the conversations need from the bot process."""

    send_command: SendCommand
    read_items: ReadItems
    list_items: ListItems
    who_is: WhoIs
    people_of: PeopleOf
    person_by_id: PersonById
    invitation_hours: int
    known_account: KnownAccount
    item_by_reference: ItemByReference
    item_by_id: ItemById
    documents: DocumentStore
    evaluators_of: EvaluatorsOf
    requests_of: RequestsOf
    request_by_id: RequestById
    survey_by_code: SurveyByCode
    surveys_of: SurveysOf
    survey_key: bytes  # keys the hash that tells one answer per account apart
    catalogue_of: CatalogueOf
    catalogue_entry: EntryOf
    expert_history: ExpertHistory
    dashboard_key: bytes  # signs the dashboard's one-time sign-in links
    dashboard_url: str


def conversations(city: CityConfig, services: BotServices) -> list:
    """Every conversation, in the order their handlers are tried: a survey's link first (anyone may open one, even
    in the middle of a form), then a form in progress, so that it sees every message while it waits for an
    answer."""
    directory = PeopleConversation(city, services.send_command, services.who_is, services.invitation_hours)
    help_ = HelpConversation(city, redeem=directory.redeem, who_is=services.who_is)
    listing = MineConversation(city, services.who_is, services.list_items)
    proposing = ProposeConversation(city, services.send_command, services.who_is, start=help_.start,
                                    shown_in_form=[(mine.MINE.names(), listing.first_page),
                                                   (people.ME.names(), directory.me)])
    members = MembersConversation(city, services.send_command, services.who_is, services.people_of,
                                  services.person_by_id)
    surveying = SurveyConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                   services.survey_by_code, services.surveys_of, services.survey_key)
    return [surveying, proposing, directory, members, listing,
            CourseConversation(city, services.send_command, services.who_is, services.item_by_reference,
                               services.item_by_id),
            DeliverConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                services.item_by_id, services.documents),
            EditConversation(city, services.send_command, services.who_is, services.item_by_reference,
                             services.item_by_id),
            EvaluationConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                   services.evaluators_of),
            SystematizationConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                        services.item_by_id),
            CollaborationConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                      services.item_by_id, services.people_of, services.person_by_id,
                                      services.requests_of, services.request_by_id),
            MatchingConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                 services.catalogue_of, services.expert_history),
            RecordConversation(city, services.send_command, services.who_is, services.item_by_reference,
                               services.item_by_id, services.people_of, services.person_by_id, services.catalogue_of,
                               services.catalogue_entry),
            CatalogueConversation(city, services.send_command, services.who_is, services.catalogue_of,
                                  services.catalogue_entry),
            ActionPlanConversation(city, services.send_command, services.who_is, services.item_by_reference,
                                   services.item_by_id, services.people_of, services.person_by_id),
            ReportsConversation(city, services.send_command, services.who_is, services.dashboard_key,
                                services.dashboard_url),
            PrivacyConversation(city, services.send_command, services.known_account, services.read_items),
            LanguageConversation(after_choice=proposing.ask_again_if_in_form), help_]


def gate(services: BotServices):
    """The handler that runs before all others (group -1): strangers hear how to join, and nothing else."""
    return people.gate(services.who_is, services.known_account)


def handlers(city: CityConfig, services: BotServices) -> list:
    every = conversations(city, services)
    ordered = [handler for conversation in every for handler in conversation.handlers()]
    return ordered + [handler for conversation in every for handler in getattr(conversation, "last_handlers", list)()]


def menu(language: str) -> list[BotCommand]:
    """The command menu in one language, from every conversation's entries."""
    every = [*help.MENU, *propose.MENU, *mine.MENU, *course.MENU, *deliver.MENU, *edit.MENU, *evaluate.MENU,
             *systematize.MENU, *collaborate.MENU, *suggest.MENU, *record.MENU,
             *plan.MENU, *survey.MENU, *catalogue.MENU, *reports.MENU, *people.MENU, *members.MENU, *privacy.MENU,
             *language_module.MENU]
    entries = sorted(every, key=lambda entry: entry.position)
    return [BotCommand(entry.en if language == "en" else entry.es, translate(entry.description, language))
            for entry in entries]


async def publish_command_menu(bot: Bot) -> None:
    """Telegram shows the menu matching the person's app language, and the Spanish one otherwise."""
    for language in ("es", "en"):
        await bot.set_my_commands(menu(language), language_code=None if language == "es" else language)
