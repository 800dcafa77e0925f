"""Bogotá Enseña's evaluation from chat.

- /evaluadores (/evaluators) <code>: a coordinator sees the program's evaluators ranked for the practice (sector and
  topics, never the practice's own entity), each with the reason, picks two or three with buttons and assigns them.
- /puntuar (/score) <code> <comment>: an assigned evaluator scores each of the city's criteria with buttons on the
  city's scale, then sends the scorecard.
- /decidir (/decide) <code> [note]: once the scorecards are in, a coordinator sees the averages and decides:
  selected, not selected, or more information needed.

Phases decides; the bot offers only what the person's role allows and checks what phases will check."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from statistics import fmean

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import (
    MenuEntry,
    SendCommand,
    language_of,
    log,
    page_turns,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.course import CODE, STEERING_ROLES, ItemByReference, before_title
from bot.conversations.people import WhoIs, actor_of
from bot.projection import ItemView, PersonView
from puente.contracts.common import Line
from puente.contracts.evaluation import (
    AssignEvaluators,
    AssignEvaluatorsPayload,
    DecidePractice,
    DecidePracticePayload,
    Decision,
    ScorePractice,
    ScorePracticePayload,
)
from puente.contracts.people import Role
from puente.contracts.text import NOTE_MAX, TextRefused, person_text
from puente.i18n import decimal, translate
from puente.wiring.city import CityConfig

EVALUATORS = MenuEntry("evaluadores", "evaluators", "menu-evaluators", position=36)
SCORE = MenuEntry("puntuar", "score", "menu-score", position=36)
DECIDE = MenuEntry("decidir", "decide", "menu-decide", position=36)
MENU = [EVALUATORS, SCORE, DECIDE]
PAGE = 8  # evaluators on one page of suggestions
TOPICS_SHOWN = 3  # an evaluator's matching topics named in a suggestion's reason
SCORES_IN_A_ROW = 6  # a scale's buttons, in rows Telegram shows whole
MESSAGE_LIMIT = 4096
COMMENT_SHOWN = 500  # each evaluator's comment, as the decision shows it (five of them fit in a message)
NAME_SHOWN = 40
DECISIONS = {"s": Decision.selected, "n": Decision.not_selected, "m": Decision.more_information}
PICK = re.compile(r"^eval:pick:(\d{1,3})$")
PAGE_TURN = re.compile(r"^eval:page:(\d{1,3})$")
SCORED = re.compile(r"^eval:score:(\d{1,2}):(\d{1,2})$")
DECIDED = re.compile(r"^eval:decide:([0-9a-f-]{36}):([snm])$")
EvaluatorsOf = Callable[[], Awaitable[list[PersonView]]]  # the program's active evaluators


def plain(text: str) -> str:
    """Lower case without accents, for matching topics in Spanish and English alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


@dataclass(frozen=True)
class Suggestion:
    person: PersonView
    score: int
    sector: bool
    topics: tuple[str, ...]


def suggested_evaluators(item: ItemView, evaluators: list[PersonView]) -> list[Suggestion]:
    """The program's evaluators for a practice, best first: two points for knowing the practice's sector, one for
    each of their topics found in its title, topic or summary. Nobody of the practice's own entity."""
    words = plain(" ".join(part for part in (item.title, item.topic, item.about) if part))
    suggestions = []
    for person in evaluators:
        if person.entity_id is not None and person.entity_id == item.entity_id:
            continue
        sector = item.sector is not None and item.sector in person.sectors
        topics = tuple(topic for topic in person.topics if plain(topic) and plain(topic) in words)
        suggestions.append(Suggestion(person, 2 * sector + len(topics), sector, topics))
    return sorted(suggestions, key=lambda suggestion: (-suggestion.score, suggestion.person.name, suggestion.person.id))


def shown_comment(comment: str) -> str:
    return comment if len(comment) <= COMMENT_SHOWN else comment[:COMMENT_SHOWN - 1] + "…"


def shown(name: str) -> str:
    return name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN - 1] + "…"


class EvaluationConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, evaluators_of: EvaluatorsOf) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.evaluators_of = evaluators_of

    def handlers(self) -> list:
        return [
            CommandHandler(EVALUATORS.names(), self.suggest),
            CommandHandler(SCORE.names(), self.start_scorecard),
            CommandHandler(DECIDE.names(), self.ask_decision),
            CallbackQueryHandler(self.pick, pattern=PICK),
            CallbackQueryHandler(self.turn_page, pattern=PAGE_TURN),
            CallbackQueryHandler(self.assign, pattern=r"^eval:assign$"),
            CallbackQueryHandler(self.scored, pattern=SCORED),
            CallbackQueryHandler(self.send_scorecard, pattern=r"^eval:send$"),
            CallbackQueryHandler(self.decided, pattern=DECIDED),
            CallbackQueryHandler(self.cancelled, pattern=r"^eval:cancel$"),
            CallbackQueryHandler(stale_button, pattern=r"^eval:"),
        ]

    # --- finding the practice -----------------------------------------------------------------------------------

    async def _practice(self, update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str,
                        roles: frozenset[Role]) -> tuple[PersonView, ItemView, str] | None:
        """The person (of one of `roles`), the practice the command names in its evaluation phase, and the rest of
        the line; or None, after telling them why."""
        person = await self.who_is(update.effective_user.id)
        words = (update.effective_message.text or "").split(maxsplit=2)
        code = words[1].upper() if len(words) > 1 else ""
        if person is None:
            return None
        if person.role not in roles:
            await reply(update, context, "evaluators-only" if Role.evaluator in roles else "coordinators-only")
            return None
        if not CODE.match(code):
            await reply(update, context, "course-usage", command=words[0].split("@")[0], example=usage)
            return None
        item = await self.item_by_reference(code)
        practice = item.practice if item is not None else None
        if item is None or item.line is not Line.ensena or (
                person.role is Role.evaluator and (practice is None or person.id not in practice.evaluators)):
            await reply(update, context, "evaluation-not-found", code=code)
            return None
        if item.status not in ("active", "on_hold") or item.phase_key != self.city.ensena.evaluation_phase or \
                (practice is not None and practice.decision in ("selected", "not_selected")):
            await reply(update, context, "evaluation-not-open", code=code)
            return None
        return person, item, words[2] if len(words) > 2 else ""

    # --- /evaluadores ------------------------------------------------------------------------------------------

    async def suggest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._practice(update, context, "EN-2026-0001", STEERING_ROLES)
        if found is None:
            return
        _, item, _ = found
        suggestions = suggested_evaluators(item, await self.evaluators_of())
        if not suggestions:
            await reply(update, context, "evaluation-no-evaluators")
            return
        chosen = [person for person in (item.practice.evaluators if item.practice else [])
                  if person in {suggestion.person.id for suggestion in suggestions}]
        context.user_data["evaluation"] = {"item_id": item.id, "reference": item.reference, "title": item.title,
                                           "candidates": [suggestion.person.id for suggestion in suggestions],
                                           "names": [shown(suggestion.person.name) for suggestion in suggestions],
                                           "chosen": chosen, "page": 0}
        text, keyboard = self._team_page(context, suggestions, language_of(update, context))
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    def _team_page(self, context: ContextTypes.DEFAULT_TYPE, suggestions: list[Suggestion],
                   language: str) -> tuple[str, InlineKeyboardMarkup]:
        team = context.user_data["evaluation"]
        pages = max(1, -(-len(suggestions) // PAGE))
        page = min(team["page"], pages - 1)
        lines = [translate("evaluation-suggestions", language, ref=before_title(team["reference"]), title=team["title"],
                           minimum=self.city.ensena.evaluators_min, maximum=self.city.ensena.evaluators_max,
                           page=page + 1, pages=pages)]
        buttons = []
        for index, suggestion in enumerate(suggestions[page * PAGE:(page + 1) * PAGE], start=page * PAGE):
            reasons = []
            if suggestion.sector:
                reasons.append(translate("evaluation-reason-sector", language))
            if suggestion.topics:
                topics = ", ".join(shown(topic) for topic in suggestion.topics[:TOPICS_SHOWN])
                more = len(suggestion.topics) - TOPICS_SHOWN
                reasons.append(translate("evaluation-reason-topics", language,
                                         topics=topics + (f" (+{more})" if more > 0 else "")))
            lines.append(f"{index + 1}. {shown(suggestion.person.name)} — "
                         f"{'; '.join(reasons) or translate('evaluation-reason-none', language)}")
            mark = "☑" if suggestion.person.id in team["chosen"] else "☐"
            buttons.append([InlineKeyboardButton(f"{mark} {index + 1}. {shown(suggestion.person.name)}",
                                                 callback_data=f"eval:pick:{index}")])
        turns = page_turns(language, page, pages, lambda number: f"eval:page:{number}")
        if turns:
            buttons.append(turns)
        buttons.append([
            InlineKeyboardButton(translate("evaluation-assign-button", language, count=len(team["chosen"])),
                                 callback_data="eval:assign"),
            InlineKeyboardButton(translate("evaluation-cancel-button", language), callback_data="eval:cancel")])
        text = "\n".join(lines)
        return (text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT - 1] + "…"), InlineKeyboardMarkup(buttons)

    async def _refresh_team(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        team = context.user_data["evaluation"]
        item = await self.item_by_reference(team["reference"]) if team.get("reference") else None
        suggestions = suggested_evaluators(item, await self.evaluators_of()) if item is not None else []
        if [suggestion.person.id for suggestion in suggestions] != team["candidates"]:
            # Someone joined or left meanwhile: keep the ranking the buttons were made for.
            by_id = {suggestion.person.id: suggestion for suggestion in suggestions}
            suggestions = [by_id[candidate] for candidate in team["candidates"] if candidate in by_id]
            team["candidates"] = [suggestion.person.id for suggestion in suggestions]
            team["names"] = [shown(suggestion.person.name) for suggestion in suggestions]
        text, keyboard = self._team_page(context, suggestions, language_of(update, context))
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:  # the same page again: nothing to change
            log.info("evaluation page unchanged", update_id=update.update_id, error=error.message)

    async def _coordinator_with_team(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> dict | None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        team = context.user_data.get("evaluation")
        if person is None or person.role not in STEERING_ROLES or not team:
            await refuse_button(update, context)
            return None
        return team

    async def pick(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        team = await self._coordinator_with_team(update, context)
        if team is None:
            return
        index = int(PICK.match(update.callback_query.data)[1])
        if index >= len(team["candidates"]):
            await refuse_button(update, context)
            return
        candidate = team["candidates"][index]
        if candidate in team["chosen"]:
            team["chosen"].remove(candidate)
        elif len(team["chosen"]) >= self.city.ensena.evaluators_max:
            await reply(update, context, "evaluation-team-full", maximum=self.city.ensena.evaluators_max)
            return
        else:
            team["chosen"].append(candidate)
        await self._refresh_team(update, context)

    async def turn_page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        team = await self._coordinator_with_team(update, context)
        if team is None:
            return
        team["page"] = int(PAGE_TURN.match(update.callback_query.data)[1])
        await self._refresh_team(update, context)

    async def assign(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        team = await self._coordinator_with_team(update, context)
        if team is None:
            return
        rules = self.city.ensena
        if not rules.evaluators_min <= len(team["chosen"]) <= rules.evaluators_max:
            await reply(update, context, "evaluation-team-size", minimum=rules.evaluators_min,
                        maximum=rules.evaluators_max)
            return
        person = await self.who_is(update.effective_user.id)
        command = AssignEvaluators.new(
            payload=AssignEvaluatorsPayload(item_id=uuid.UUID(team["item_id"]),
                                            evaluator_ids=[uuid.UUID(chosen) for chosen in team["chosen"]]),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("evaluation", None)
            names = dict(zip(team["candidates"], team.get("names", team["candidates"]), strict=False))
            await settle(update, "✅ " + ", ".join(names.get(chosen, "—") for chosen in team["chosen"]))
            await reply(update, context, "ensena-sent")

    # --- /puntuar ----------------------------------------------------------------------------------------------

    async def start_scorecard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        language = language_of(update, context)
        example = "EN-2026-0001 " + translate("evaluation-example-comment", language)
        found = await self._practice(update, context, example, frozenset({Role.evaluator}))
        if found is None:
            return
        person, item, typed = found
        if person.id in (item.practice.scorecards if item.practice else {}):
            await reply(update, context, "evaluation-already-scored", code=item.reference)
            return
        try:
            comment = person_text(typed, NOTE_MAX)
        except TextRefused as refused:
            if refused.reason == "too_long":
                await reply(update, context, "course-text-too-long", length=refused.length, limit=NOTE_MAX)
            else:
                await reply(update, context, "evaluation-comment-missing")
            return
        context.user_data["scorecard"] = {"item_id": item.id, "reference": item.reference, "title": item.title,
                                          "comment": comment, "scores": []}
        text, keyboard = self._criterion_question(context, language)
        await update.effective_chat.send_message(text, reply_markup=keyboard)

    def _criterion_question(self, context: ContextTypes.DEFAULT_TYPE,
                            language: str) -> tuple[str, InlineKeyboardMarkup]:
        card = context.user_data["scorecard"]
        rules = self.city.ensena
        position = len(card["scores"])
        if position == len(rules.criteria):
            lines = [translate("evaluation-scorecard-ready", language, ref=before_title(card["reference"]),
                               title=card["title"], comment=card["comment"])]
            lines += [f"• {criterion.name.in_language(language)}: {value}"
                      for criterion, value in zip(rules.criteria, card["scores"], strict=True)]
            return "\n".join(lines), InlineKeyboardMarkup([[
                InlineKeyboardButton(translate("evaluation-send-button", language), callback_data="eval:send"),
                InlineKeyboardButton(translate("evaluation-cancel-button", language), callback_data="eval:cancel")]])
        criterion = rules.criteria[position]
        values = list(range(rules.scale_min, rules.scale_max + 1))
        return translate("evaluation-criterion", language, ref=before_title(card["reference"]), title=card["title"],
                         number=position + 1, criteria=len(rules.criteria),
                         criterion=criterion.name.in_language(language), low=rules.scale_min,
                         high=rules.scale_max), InlineKeyboardMarkup([
                             [InlineKeyboardButton(str(value), callback_data=f"eval:score:{position}:{value}")
                              for value in values[start:start + SCORES_IN_A_ROW]]
                             for start in range(0, len(values), SCORES_IN_A_ROW)])

    async def scored(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        card = context.user_data.get("scorecard")
        match = SCORED.match(update.callback_query.data)
        rules = self.city.ensena
        if not card or int(match[1]) != len(card["scores"]) or \
                not rules.scale_min <= int(match[2]) <= rules.scale_max:
            await refuse_button(update, context)
            return
        card["scores"].append(int(match[2]))
        text, keyboard = self._criterion_question(context, language_of(update, context))
        await update.callback_query.edit_message_text(text, reply_markup=keyboard)

    async def send_scorecard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        card = context.user_data.get("scorecard")
        person = await self.who_is(update.effective_user.id)
        criteria = self.city.ensena.criteria
        if not card or person is None or len(card["scores"]) != len(criteria):
            await refuse_button(update, context)
            return
        command = ScorePractice.new(
            payload=ScorePracticePayload(item_id=uuid.UUID(card["item_id"]), comment=card["comment"], scores={
                criterion.key: value for criterion, value in zip(criteria, card["scores"], strict=True)}),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("scorecard", None)
            await settle(update)
            await reply(update, context, "evaluation-scorecard-sent")

    # --- /decidir ----------------------------------------------------------------------------------------------

    async def ask_decision(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await self._practice(update, context, "EN-2026-0001", STEERING_ROLES)
        if found is None:
            return
        _, item, typed = found
        language = language_of(update, context)
        practice = item.practice
        cards = [practice.scorecards[evaluator] for evaluator in practice.evaluators
                 if evaluator in practice.scorecards] if practice else []
        if practice is None or not practice.evaluators:
            await reply(update, context, "evaluation-no-team", code=item.reference)
            return
        if len(cards) < len(practice.evaluators):
            await reply(update, context, "evaluation-waiting-scorecards", code=item.reference,
                        scored=len(cards), evaluators=len(practice.evaluators) if practice else 0)
            return
        note = None
        if typed.strip():
            try:
                note = person_text(typed, NOTE_MAX)
            except TextRefused as refused:
                await reply(update, context, "course-text-too-long", length=refused.length, limit=NOTE_MAX)
                return
        context.user_data["decision"] = {"item_id": item.id, "note": note}
        lines = [translate("evaluation-averages", language, ref=before_title(item.reference), title=item.title or "—",
                           scorecards=len(cards), low=self.city.ensena.scale_min, high=self.city.ensena.scale_max)]
        averages = []
        for criterion in self.city.ensena.criteria:
            values = [card[criterion.key] for card in cards if criterion.key in card]
            if values:
                averages.append(fmean(values))
                lines.append(f"• {criterion.name.in_language(language)}: {decimal(fmean(values), language)}")
        lines += [f"💬 {shown_comment(practice.comments[evaluator])}" for evaluator in practice.evaluators
                  if practice.comments.get(evaluator)]
        if averages:
            lines.append(translate("evaluation-overall", language, overall=decimal(fmean(averages), language)))
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            translate(f"evaluation-decision-{decision.value}", language),
            callback_data=f"eval:decide:{item.id}:{letter}")] for letter, decision in DECISIONS.items()])
        await update.effective_chat.send_message("\n".join(lines), reply_markup=keyboard)

    async def decided(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        match = DECIDED.match(update.callback_query.data)
        pending = context.user_data.get("decision") or {}
        if person is None or person.role not in STEERING_ROLES or pending.get("item_id") != match[1]:
            await refuse_button(update, context)
            return
        command = DecidePractice.new(
            payload=DecidePracticePayload(item_id=uuid.UUID(match[1]), decision=DECISIONS[match[2]],
                                          note=pending.get("note")),
            actor=actor_of(person, update, context), city=self.city.city.slug)
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("decision", None)
            await settle(update)
            await reply(update, context, "ensena-sent")

    # --- shared -------------------------------------------------------------------------------------------------

    async def cancelled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        for kept in ("evaluation", "scorecard", "decision"):
            context.user_data.pop(kept, None)
        await settle(update)
        await reply(update, context, "evaluation-cancelled")



