"""/proponer (/propose) and /practica (/practice): an entity proposes an exchange (Aprende) or a practice
(Enseña) in a three-question form; the command goes to intake. /cancelar (/cancel) drops the form."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.conversations.common import (
    CHOICES_IN_PROGRESS,
    MenuEntry,
    SendCommand,
    language_of,
    log,
    reply,
    sent,
)
from bot.conversations.help import HELP, START, show_help
from bot.conversations.language import LANGUAGE, choose_language
from bot.conversations.people import WhoIs, entity_keyboard
from puente.contracts.common import Line
from puente.contracts.envelope import Actor, ActorRole, Message
from puente.contracts.items import ProposeExchange, ProposeExchangePayload, ProposePractice, ProposePracticePayload
from puente.contracts.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

ASK_ENTITY, ASK_TITLE, ASK_DESCRIPTION = range(3)
EXCHANGE = MenuEntry("proponer", "propose", "menu-propose", position=10)
PRACTICE = MenuEntry("practica", "practice", "menu-practice", position=20)
CANCEL = MenuEntry("cancelar", "cancel", "menu-cancel", position=60)
MENU = [EXCHANGE, PRACTICE, CANCEL]


async def checked_text(update: Update, context: ContextTypes.DEFAULT_TYPE, limit: int) -> str | None:
    """The person's text as the commands will carry it, or None after telling them why it cannot be used."""
    try:
        return person_text(update.message.text, limit)
    except TextRefused as refused:
        if refused.reason != "too_long":
            await reply(update, context, "propose-empty")
            return None
        await reply(update, context,
                    "propose-title-too-long" if limit == SHORT_TEXT_MAX else "propose-description-too-long",
                    length=refused.length, limit=refused.max_length)
        return None


def is_practice(context: ContextTypes.DEFAULT_TYPE) -> bool:
    return (context.user_data or {}).get("proposal", {}).get("line") == Line.ensena.value


def form_of(context: ContextTypes.DEFAULT_TYPE) -> str:
    """Which form is in progress, as the texts name it: 'exchange' (Aprende) or 'practice' (Enseña)."""
    return "practice" if is_practice(context) else "exchange"


class ProposeConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs,
                 start: Callable[..., Awaitable[Any]],
                 shown_in_form: Sequence[tuple[list[str], Callable[..., Awaitable[Any]]]] = ()) -> None:
        self.start = start
        self.shown_in_form = shown_in_form  # other commands that show something and leave the form waiting
        self.city = city
        self.send_command = send_command
        self.who_is = who_is

    def handlers(self) -> list:
        message = filters.UpdateType.MESSAGE  # not an edit of an earlier message
        answer = message & filters.TEXT & ~filters.COMMAND
        with warnings.catch_warnings():
            # The entity buttons name their step in their data and the form is per person; PTB's per-message
            # tracking is for keyboards shared by many people.
            warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
            propose = ConversationHandler(
                entry_points=[
                    CommandHandler(EXCHANGE.names(), self.propose_exchange_start),
                    CommandHandler(PRACTICE.names(), self.propose_practice_start),
                ],
                states={
                    ASK_ENTITY: [CallbackQueryHandler(self.entity_chosen, pattern=r"^propose:entity:")],
                    ASK_TITLE: [MessageHandler(answer, self.propose_title)],
                    ASK_DESCRIPTION: [MessageHandler(answer, self.propose_description)],
                },
                # In a form, every command still does what it says.
                fallbacks=[
                    CommandHandler(CANCEL.names(), self.cancel),
                    CommandHandler(EXCHANGE.names(), self.drop_form_then(self.propose_exchange_start)),
                    CommandHandler(PRACTICE.names(), self.drop_form_then(self.propose_practice_start)),
                    CommandHandler(START.names(), self.drop_form_then(self.start)),
                    CommandHandler(HELP.names(), self.help_in_form),
                    CommandHandler(LANGUAGE.names(), choose_language),
                    *(CommandHandler(names, self.show_then_ask_again(show)) for names, show in self.shown_in_form),
                    MessageHandler(message, self.form_waiting),
                ],
                name="propose",
                persistent=True,
            )
        return [propose]

    def last_handlers(self) -> list:
        """With no form in progress (this one's or another conversation's, whose own /cancelar comes first),
        /cancelar has nothing to cancel."""
        return [CommandHandler(CANCEL.names(), self.nothing_to_cancel)]

    async def ask_again_if_in_form(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After the language changed: a form in progress asks its question again, in the new language."""
        if "proposal" in context.user_data:
            await self.ask_next(update, context)

    async def help_in_form(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The help, then the form's pending question again."""
        await show_help(update, context, self.who_is)
        return await self.ask_next(update, context)

    def show_then_ask_again(self, show: Callable[..., Awaitable[Any]]):
        """A command that only shows something (/mis, /yo), typed in a form: show it, then the pending question."""
        async def showing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            await show(update, context)
            return await self.ask_next(update, context)

        return showing

    async def propose_exchange_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Aprende: the entity wants to learn from an international practice."""
        context.user_data.pop("invitation", None)  # one form at a time: an invitation being written is dropped
        context.user_data["proposal"] = {"line": Line.aprende.value}
        return await self.ask_next(update, context)

    async def propose_practice_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Enseña: the entity puts forward one of its own practices."""
        context.user_data.pop("invitation", None)  # one form at a time: an invitation being written is dropped
        context.user_data["proposal"] = {"line": Line.ensena.value}
        return await self.ask_next(update, context)

    async def entity_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """A coordinator or administrator chose the entity with a button (staff never see these)."""
        query = update.callback_query
        await query.answer()
        entity_id = query.data.removeprefix("propose:entity:")
        person = await self.who_is(update.effective_user.id)
        if person is None or person.entity_id is not None or entity_id not in self.city.entities:
            log.info("entity button refused", update_id=update.update_id)  # forged data, or a stale keyboard
            return await self.ask_next(update, context)
        await query.edit_message_reply_markup(reply_markup=None)
        context.user_data.setdefault("proposal", {})["entity_id"] = entity_id
        return await self.ask_next(update, context)

    async def propose_title(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        title = await checked_text(update, context, SHORT_TEXT_MAX)
        if title is None:
            return ASK_TITLE
        proposal = context.user_data.get("proposal", {})
        if not {"line", "entity_id"} <= proposal.keys():
            return await self.restart_proposal(update, context)
        proposal["title"] = title
        return await self.ask_next(update, context)

    async def propose_description(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The exchange's need or the practice's summary; then the command goes to intake."""
        description = await checked_text(update, context, LONG_TEXT_MAX)
        if description is None:
            return ASK_DESCRIPTION
        proposal = context.user_data.get("proposal", {})
        if not {"line", "entity_id", "title"} <= proposal.keys():
            return await self.restart_proposal(update, context)
        if proposal.get("attempted_description") != description:
            # A retry of the same text reuses the command id, so intake applies it once even if the first try
            # reached Kafka after all; a different text is a new command.
            proposal["attempted_description"] = description
            proposal["command_id"] = str(uuid.uuid4())
        command = await self._proposal_command(update, context, proposal, description)
        if command is None:
            context.user_data.pop("proposal", None)
            await reply(update, context, "not-a-member")
            return ConversationHandler.END
        practice = is_practice(context)
        # Kafka away: keep what they typed and ask them to send it again later.
        if not await sent(update, context, self.send_command, command,
                          "practice-failed" if practice else "propose-failed"):
            return ASK_DESCRIPTION
        context.user_data.pop("proposal", None)
        await reply(update, context, "practice-sent" if practice else "propose-sent", title=proposal["title"])
        return ConversationHandler.END

    async def ask_next(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """Ask the form's next question from what is already answered; return that question's state."""
        proposal = context.user_data.setdefault("proposal", {"line": Line.aprende.value})
        practice = is_practice(context)
        if "entity_id" not in proposal:
            person = await self.who_is(update.effective_user.id)
            if person is not None and person.entity_id is not None:
                proposal["entity_id"] = person.entity_id  # staff act for their own entity, never asked
            else:
                await update.effective_chat.send_message(
                    translate("propose-choose-entity", language_of(update, context)),
                    reply_markup=entity_keyboard(self.city, "propose:entity:"))
                return ASK_ENTITY
        if "title" not in proposal:
            await reply(update, context, "practice-ask-title" if practice else "propose-ask-title",
                        limit=SHORT_TEXT_MAX)
            return ASK_TITLE
        await reply(update, context, "propose-ask-summary" if practice else "propose-ask-need", limit=LONG_TEXT_MAX)
        return ASK_DESCRIPTION

    async def restart_proposal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """What was typed before was lost (saved data and conversation state can part on a crash): start over."""
        line = context.user_data.get("proposal", {}).get("line", Line.aprende.value)
        context.user_data["proposal"] = {"line": line}
        return await self.ask_next(update, context)

    async def _proposal_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE, proposal: dict,
                                description: str) -> Message | None:
        entity_id = proposal["entity_id"]
        fields = {"entity_id": entity_id, "sector": self.city.entities[entity_id].sector, "title": proposal["title"]}
        person = await self.who_is(update.effective_user.id)
        if person is None:  # removed while filling in the form
            return None
        actor = Actor(role=ActorRole(person.role.value), id=str(update.effective_user.id), entity_id=person.entity_id,
                      language=language_of(update, context))
        command_id = uuid.UUID(proposal["command_id"])
        if proposal.get("line") == Line.ensena.value:
            payload = ProposePracticePayload(**fields, summary=description)
            return ProposePractice.new(payload=payload, actor=actor, city=self.city.city.slug, event_id=command_id)
        payload = ProposeExchangePayload(**fields, need=description)
        return ProposeExchange.new(payload=payload, actor=actor, city=self.city.city.slug, event_id=command_id)

    def drop_form_then(self, handler: Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]):
        """A command typed in a form: say which form is dropped, then do what the command says."""
        async def dropping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            form = form_of(context)
            context.user_data.pop("proposal", None)
            await reply(update, context, "form-dropped", form=form)
            state = await handler(update, context)
            return ConversationHandler.END if state is None else state

        return dropping

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        form = form_of(context)
        context.user_data.pop("proposal", None)
        await reply(update, context, "cancelled", form=form)
        return ConversationHandler.END

    async def nothing_to_cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """No form in progress; a choice made with buttons may be (an evaluation team, a scorecard): it is dropped."""
        context.user_data.pop("proposal", None)  # nothing should be there; if something is, it is not in use
        pending = [key for key in CHOICES_IN_PROGRESS if context.user_data.pop(key, None) is not None]
        await reply(update, context, "evaluation-cancelled" if pending else "nothing-to-cancel")

    async def form_waiting(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything but a text answer in a form (a photo, an unknown command): the form still waits; say so."""
        await reply(update, context, "form-waiting")
