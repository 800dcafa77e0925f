"""Bogotá Aprende's matching from chat.

- /sugerencias (/matches) <code>: a coordinator sees the catalogue's practices and experts that best fit the
  exchange's need (bot/matching.py), each with its reasons, marks those that go on the shortlist with buttons and
  keeps it; the shortlist becomes part of the exchange's terms of reference (phases keeps it, in the matching
  phase).

Phases decides; the bot offers only what the person's role allows and checks what phases will check."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import (
    MenuEntry,
    SendCommand,
    button_command_id,
    fit,
    language_of,
    log,
    on_this_message,
    refuse_button,
    reply,
    sent,
    settle,
    stale_button,
)
from bot.conversations.course import STEERING_ROLES, ItemByReference, before_title, find_item
from bot.conversations.people import WhoIs, actor_of
from bot.matching import Suggestion, candidate_of, need_of, rank
from bot.projection import CatalogueView
from puente.contracts.common import Line
from puente.contracts.envelope import derived_id
from puente.contracts.exchanges import Match, MatchReason, Shortlist, ShortlistPayload
from puente.i18n import translate
from puente.reasons import reasons_text
from puente.wiring.city import CityConfig

MATCHES = MenuEntry("sugerencias", "matches", "menu-matches", position=37)
MENU = [MATCHES]
SHOWN = 5  # practices and experts each
NAME_SHOWN = 60
PICK = re.compile(r"^match:([pe]):(\d{1,2})$")
KINDS = {"p": "practices", "e": "experts"}
CatalogueOf = Callable[[str], Awaitable[list[CatalogueView]]]
ExpertHistory = Callable[[], Awaitable[dict[str, tuple[int, float | None]]]]


def clipped(text: str, limit: int = NAME_SHOWN) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def kept(suggestion: Suggestion) -> dict:
    """A suggestion as the person's data keeps it until the shortlist is saved."""
    candidate = suggestion.candidate
    return {"key": candidate.key, "name": candidate.name, "country": candidate.country,
            "reasons": [reason.model_dump(mode="json") for reason in suggestion.reasons]}


class MatchingConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 item_by_reference: ItemByReference, catalogue_of: CatalogueOf, expert_history: ExpertHistory) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.item_by_reference = item_by_reference
        self.catalogue_of = catalogue_of
        self.expert_history = expert_history

    def handlers(self) -> list:
        return [CommandHandler(MATCHES.names(), self.suggest),
                CallbackQueryHandler(self.pick, pattern=PICK),
                CallbackQueryHandler(self.save, pattern=r"^match:save$"),
                CallbackQueryHandler(stale_button, pattern=r"^match:")]

    async def suggest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = await find_item(update, context, self.who_is, self.item_by_reference, "AP-2026-0001")
        if found is None:
            return
        person, item, _ = found
        if item.line is not Line.aprende:
            await reply(update, context, "not-an-exchange", code=item.reference)
            return
        if person.role not in STEERING_ROLES:
            await reply(update, context, "coordinators-only")
            return
        phases = self.city.phases_of(Line.aprende)
        matching = next(phase for phase in phases if phase.key == self.city.aprende.matching_phase)
        current = phases[item.phase_number - 1].key if item.phase_number else None
        if item.status not in ("active", "on_hold") or current != matching.key:
            await reply(update, context, "matches-not-now", code=item.reference,
                        phase=matching.name.in_language(language_of(update, context)))
            return
        history = await self.expert_history()
        need = need_of(item)
        practices = rank(need, [candidate_of(view) for view in await self.catalogue_of("practice")], SHOWN)
        experts = rank(need, [candidate_of(view, history) for view in await self.catalogue_of("expert")], SHOWN)
        exchange = item.exchange
        matches = {"item_id": item.id, "reference": item.reference, "title": item.title or "—"}
        for kind, suggestions, shortlisted in (
                ("practices", practices, exchange.shortlisted_practices if exchange else []),
                ("experts", experts, exchange.shortlisted_experts if exchange else [])):
            shown = [kept(suggestion) for suggestion in suggestions]
            keys = {suggestion["key"] for suggestion in shown}
            # What the shortlist holds stays offered (and marked), even if it no longer ranks among the first.
            shown += [{"key": match.key, "name": match.name, "country": "—",
                       "reasons": [reason.model_dump(mode="json") for reason in match.reasons]}
                      for match in shortlisted if match.key not in keys]
            chosen_keys = {match.key for match in shortlisted}
            matches[kind] = shown
            matches.setdefault("chosen", {})[kind] = [index for index, suggestion in enumerate(shown)
                                                      if suggestion["key"] in chosen_keys]
        if not matches["practices"] and not matches["experts"]:
            await reply(update, context, "matches-none", ref=before_title(item.reference), title=item.title or "—")
            return
        text, keyboard = self._page(matches, language_of(update, context))
        message = await update.effective_chat.send_message(text, reply_markup=keyboard)
        context.user_data["matches"] = {**matches, "message_id": message.message_id}

    def _page(self, matches: dict, language: str) -> tuple[str, InlineKeyboardMarkup]:
        lines = [translate("matches-header", language, ref=before_title(matches["reference"]),
                           title=matches["title"])]
        rows: list[list[InlineKeyboardButton]] = []
        for letter, kind in KINDS.items():
            if not matches[kind]:
                continue
            lines.append(translate(f"matches-kind-{kind}", language))
            row = []
            for index, suggestion in enumerate(matches[kind]):
                reasons = [MatchReason.model_validate(reason) for reason in suggestion["reasons"]]
                lines.append(f"{letter.upper()}{index + 1}. {clipped(suggestion['name'])} ({suggestion['country']}) "
                             f"— {reasons_text(reasons, self.city, language)}")
                mark = "☑" if index in matches["chosen"][kind] else "☐"
                row.append(InlineKeyboardButton(f"{mark} {letter.upper()}{index + 1}",
                                                callback_data=f"match:{letter}:{index}"))
            rows += [row[start:start + 5] for start in range(0, len(row), 5)]
        chosen = sum(len(indexes) for indexes in matches["chosen"].values())
        lines.append(translate("matches-choose", language))
        rows.append([InlineKeyboardButton(translate("matches-save-button", language, count=chosen),
                                          callback_data="match:save")])
        return fit("\n".join(lines)), InlineKeyboardMarkup(rows)

    async def _coordinator_with_matches(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> dict | None:
        await update.callback_query.answer()
        person = await self.who_is(update.effective_user.id)
        matches = context.user_data.get("matches")
        if person is None or person.role not in STEERING_ROLES or not on_this_message(update, matches):
            await refuse_button(update, context)
            return None
        return matches

    async def pick(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        matches = await self._coordinator_with_matches(update, context)
        if matches is None:
            return
        letter, number = PICK.match(update.callback_query.data).groups()
        kind, index = KINDS[letter], int(number)
        if index >= len(matches[kind]):
            await refuse_button(update, context)
            return
        chosen = matches["chosen"][kind]
        if index in chosen:
            chosen.remove(index)
        else:
            chosen.append(index)
        text, keyboard = self._page(matches, language_of(update, context))
        try:
            await update.callback_query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:  # pressed twice before the first edit showed
            log.info("matches unchanged", update_id=update.update_id, error=error.message)

    async def save(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        matches = await self._coordinator_with_matches(update, context)
        if matches is None:
            return
        picked = {kind: [Match(key=matches[kind][index]["key"], name=matches[kind][index]["name"],
                               reasons=matches[kind][index]["reasons"])
                         for index in sorted(matches["chosen"][kind])] for kind in KINDS.values()}
        if not picked["practices"] and not picked["experts"]:
            await reply(update, context, "matches-nothing-chosen")
            return
        person = await self.who_is(update.effective_user.id)
        command = Shortlist.new(payload=ShortlistPayload(item_id=uuid.UUID(matches["item_id"]), **picked),
                                actor=actor_of(person, update, context), city=self.city.city.slug,
                                # the same selection pressed twice is one command; another selection is another
                                event_id=derived_id(button_command_id(update), *sorted(
                                    match.key for match in picked["practices"] + picked["experts"])))
        if await sent(update, context, self.send_command, command):
            context.user_data.pop("matches", None)
            await settle(update, "💾 " + ", ".join(match.name for match in picked["practices"] + picked["experts"]))
            await reply(update, context, "ensena-sent")
