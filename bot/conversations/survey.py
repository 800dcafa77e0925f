"""Surveys of an exchange's participants from chat.

- The link (`/start survey-<code>`), forwarded by the entity: anyone with Telegram opens it, members or not. Each
  question comes with buttons from 1 to 5, then an optional comment; the answer goes to phases with no name on it
  (an anonymous actor, and a keyed hash of the survey and the account, so a second answer is refused).
- /encuesta (/survey) <code>: staff of the exchange's entity and coordinators get each survey's link to forward,
  and its results so far (answers, the average of each question, the latest comments).

Phases decides; the bot checks what it can first (the survey exists, this account has not answered), so a person
hears at once, in their language."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.conversations.common import (
    TYPED,
    MenuEntry,
    SendCommand,
    fit,
    form,
    language_of,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
    typed_text,
)
from bot.conversations.course import ItemByReference, before_title, find_item, of_the_entity
from bot.conversations.people import WhoIs
from bot.projection import SurveyView
from puente.contracts.common import Line
from puente.contracts.surveys import ANONYMOUS, AnswerSurvey, AnswerSurveyPayload
from puente.contracts.text import NOTE_MAX
from puente.dashboard_links import DEVELOPMENT_KEY as DEVELOPMENT_DASHBOARD_KEY
from puente.dashboard_links import refuses_development_key
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig
from puente.wiring.settings import Settings

SURVEY = MenuEntry("encuesta", "survey", "menu-survey", position=38)
MENU = [SURVEY]
LINK = re.compile(r"^/start(@\w+)?\s+survey-(?P<code>\S*)\s*$")  # a mistyped code is a survey not found
CODE = re.compile(r"^[A-Z2-7]{8}$")
RATING = re.compile(r"^svy:(\d):([1-5])$")
RATE, COMMENT = range(90, 92)
COMMENTS_SHOWN = 5
COMMENT_SHOWN = 200

SurveyByCode = Callable[[str], Awaitable[SurveyView | None]]
SurveysOf = Callable[[str], Awaitable[list[SurveyView]]]


DEVELOPMENT_KEY = "puente-local-survey-key"


class DevelopmentKeyRefused(ValueError):
    """The bot talks to the real Telegram with a public development key: survey answers could be traced to
    accounts (the survey key), or anyone could sign a dashboard link (the dashboard key)."""


def survey_key(settings: Settings) -> bytes:
    """The key of the survey answers' hash. The development value is public: with the real Bot API, a bot that
    was not given its own would let anyone recompute which account gave which answer, so it does not start."""
    key = settings.survey_key.get_secret_value()
    if key == DEVELOPMENT_KEY and settings.telegram_api_url.startswith("https://api.telegram.org"):
        raise DevelopmentKeyRefused("PUENTE_SURVEY_KEY is not set: give the bot a long random value (and keep it)")
    return key.encode()


def dashboard_key(settings: Settings) -> bytes:
    """The key that signs the dashboard's sign-in links; like the survey key, the public development value is
    refused with the real Bot API (anyone could sign themselves a link)."""
    key = settings.dashboard_key.get_secret_value()
    real_telegram = settings.telegram_api_url.startswith("https://api.telegram.org")
    if real_telegram and key == DEVELOPMENT_DASHBOARD_KEY or refuses_development_key(key, settings.dashboard_url):
        raise DevelopmentKeyRefused("PUENTE_DASHBOARD_KEY is not set: give the bot and reporting one long random value")
    return key.encode()


def respondent_key(key: bytes, survey_id: str, telegram_user_id: int) -> str:
    """Tells one account's answers to a survey apart, and names nobody: without the key, the account cannot be
    found from it."""
    return hmac.new(key, f"{survey_id}:{telegram_user_id}".encode(), hashlib.sha256).hexdigest()


class SurveyConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, survey_by_code: SurveyByCode, surveys_of: SurveysOf,
                 key: bytes) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.survey_by_code = survey_by_code
        self.surveys_of = surveys_of
        self.key = key

    def handlers(self) -> list:
        answering = form("survey", "survey", [CommandHandler("start", self.open, filters=filters.Regex(LINK))], {
            RATE: [CallbackQueryHandler(self.rated, pattern=RATING)],
            COMMENT: [MessageHandler(TYPED, self.commented),
                      CallbackQueryHandler(self.without_comment, pattern=r"^svy:skip$")],
        }, fallbacks=(CallbackQueryHandler(stale_button, pattern=r"^svy:"),))
        return [answering, CommandHandler(SURVEY.names(), self.results),
                CallbackQueryHandler(stale_button, pattern=r"^svy:")]

    def question_text(self, key: str, language: str) -> str:
        question = self.city.aprende.question(key)
        return question.name.in_language(language) if question else key

    # --- answering -------------------------------------------------------------------------------------------------

    async def open(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        code = LINK.match(update.message.text.strip())["code"].upper()
        survey = await self.survey_by_code(code) if CODE.match(code) else None
        if survey is None:
            await reply(update, context, "survey-not-found")
            return ConversationHandler.END
        respondent = respondent_key(self.key, survey.id, update.effective_user.id)
        # The account's own data keeps which surveys it answered (never the key of its answer), so a second answer
        # is refused even before the first reaches the bot's view.
        if respondent in survey.respondents or survey.id in context.user_data.get("surveys_answered", []):
            await reply(update, context, "survey-already-answered")
            return ConversationHandler.END
        context.user_data["survey"] = {"id": survey.id, "item_id": survey.item_id, "questions": survey.questions,
                                       "ratings": {}, "command_id": str(uuid.uuid4())}
        await reply(update, context, "survey-welcome", count=len(survey.questions))
        await self._ask(update, context)
        return RATE

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        pending = context.user_data["survey"]
        index = len(pending["ratings"])
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(str(rating), callback_data=f"svy:{index}:{rating}")
                                          for rating in range(1, 6)]])
        await update.effective_chat.send_message(
            translate("survey-question", language, number=index + 1, count=len(pending["questions"]),
                      question=self.question_text(pending["questions"][index], language)), reply_markup=keyboard)

    async def rated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        pending = context.user_data.get("survey")
        match = RATING.match(update.callback_query.data)
        if pending is None or int(match[1]) != len(pending["ratings"]):
            await refuse_button(update, context)  # a question answered already
            return RATE if pending else ConversationHandler.END
        await settle(update)
        pending["ratings"][pending["questions"][int(match[1])]] = int(match[2])
        if len(pending["ratings"]) < len(pending["questions"]):
            await self._ask(update, context)
            return RATE
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(translate("survey-skip-button", language),
                                                               callback_data="svy:skip")]])
        await update.effective_chat.send_message(translate("survey-ask-comment", language), reply_markup=keyboard)
        return COMMENT

    async def commented(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        comment = await typed_text(update, context, NOTE_MAX)
        if comment is None:
            return COMMENT
        return await self._send(update, context, comment)

    async def without_comment(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        if context.user_data.get("survey") is None:
            await refuse_button(update, context)
            return ConversationHandler.END
        waiting = await self._send(update, context, None)
        if waiting == ConversationHandler.END:
            await settle(update)  # the button goes once the answer is sent (else it stays, to press again)
        return waiting

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, comment: str | None) -> int:
        pending = context.user_data["survey"]
        respondent = respondent_key(self.key, pending["id"], update.effective_user.id)
        command = AnswerSurvey.new(payload=AnswerSurveyPayload(
            item_id=uuid.UUID(pending["item_id"]), survey_id=uuid.UUID(pending["id"]), respondent=respondent,
            ratings=pending["ratings"], comment=comment),
            actor=ANONYMOUS,  # not even the language: in a small group it could tell someone apart
            city=self.city.city.slug, event_id=uuid.UUID(pending["command_id"]))
        if not await sent(update, context, self.send_command, command):
            return COMMENT
        context.user_data.pop("survey", None)
        context.user_data["surveys_answered"] = [*context.user_data.get("surveys_answered", []), pending["id"]][-50:]
        await reply(update, context, "survey-thanks")
        return ConversationHandler.END

    # --- /encuesta ---------------------------------------------------------------------------------------------------

    async def results(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, "AP-2026-0001")
        if found is None:
            return
        person, item, _ = found
        if item.line is not Line.aprende:
            await reply(update, context, "not-an-exchange", code=item.reference)
            return
        if not of_the_entity(person, item):
            await reply(update, context, "exchange-not-allowed")
            return
        surveys = await self.surveys_of(item.id)
        if not surveys:
            phases = [phase.name.in_language(language_of(update, context))
                      for phase in self.city.phases_of(Line.aprende) if phase.key in self.city.aprende.survey_phases]
            await reply(update, context, "survey-none-yet", ref=before_title(item.reference), title=item.title or "—",
                        phases=", ".join(f"«{phase}»" for phase in phases))
            return
        language = language_of(update, context)
        username = context.bot.username
        for survey in sorted(surveys, key=lambda kept: self._phase_number(kept.phase_key)):
            await update.effective_chat.send_message(self.results_text(survey, item.reference, item.title or "—",
                                                                       language, username))

    def _phase_number(self, key: str) -> int:
        keys = [phase.key for phase in self.city.phases_of(Line.aprende)]
        return keys.index(key) if key in keys else len(keys)

    def results_text(self, survey: SurveyView, reference: str | None, title: str, language: str,
                     username: str) -> str:
        phase = next((configured.name.in_language(language) for configured in self.city.phases_of(Line.aprende)
                      if configured.key == survey.phase_key), survey.phase_key)
        lines = [translate("survey-results", language, ref=before_title(reference), title=title, phase=phase,
                           link=f"https://t.me/{username}?start=survey-{survey.code}",
                           answers=len(survey.respondents))]
        if len(survey.respondents) < self.city.aprende.survey_min_answers:
            # With fewer answers, averages and comments before and after someone answers would tell their answer.
            lines.append(translate("survey-results-later", language, count=self.city.aprende.survey_min_answers))
            return "\n".join(lines)
        averages = survey.averages()
        lines += [f"• {self.question_text(key, language)}: {decimal(averages[key], language)}"
                  for key in survey.questions if key in averages]
        if averages:
            overall = sum(averages.values()) / len(averages)
            lines.append(translate("survey-overall", language, average=decimal(overall, language)))
        for comment in survey.comments[:COMMENTS_SHOWN]:
            lines.append(f"💬 {comment if len(comment) <= COMMENT_SHOWN else comment[:COMMENT_SHOWN - 1] + '…'}")
        return fit("\n".join(lines))
