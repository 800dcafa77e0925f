"""The directory in chat: /start <code> joins with an invitation (what Telegram sends when someone opens the
invitation's link), /yo (/me) shows a person what the program knows of them, and /invitar (/invite) lets a
coordinator or administrator invite someone: role and entity with buttons, then the name; the bot answers with
the code and the link. Intake decides; the bot only offers what the person's role allows."""

from __future__ import annotations

import re
import uuid
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.conversations.common import MenuEntry, SendCommand, WhoIs, described, language_of, log, reply, sent
from bot.conversations.privacy import asks_about_own_data
from bot.projection import PersonView
from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.people import (
    MAX_SECTORS,
    MAX_TOPICS,
    MAY_INVITE,
    ROLES_WITH_ENTITY,
    InvitePerson,
    InvitePersonPayload,
    RedeemInvitation,
    RedeemInvitationPayload,
    Role,
    code_hash,
    new_invitation_code,
    normalized_code,
)
from puente.contracts.text import SHORT_TEXT_MAX, TOPIC_MAX, TextRefused, person_text
from puente.i18n import translate
from puente.wiring.city import CityConfig

ME = MenuEntry("yo", "me", "menu-me", position=35)
INVITE = MenuEntry("invitar", "invite", "menu-invite", position=38)
MENU = [ME, INVITE]
CHOOSE_ROLE, CHOOSE_ENTITY, ASK_NAME, CHOOSE_SECTORS, ASK_TOPICS = range(10, 15)
NO_TOPICS = "-"
ROLE_ORDER = (Role.staff, Role.evaluator, Role.coordinator, Role.administrator)
JOINING = re.compile(r"^/start(@\w+)?\s+\S")  # /start with an invitation's code



def entity_keyboard(city: CityConfig, prefix: str) -> InlineKeyboardMarkup:
    """The city's entities as buttons, by code, four to a row (a city has a few dozen at most)."""
    codes = sorted(city.entities)
    rows = [codes[start:start + 4] for start in range(0, len(codes), 4)]
    return InlineKeyboardMarkup([[InlineKeyboardButton(code, callback_data=f"{prefix}{code}") for code in row]
                                 for row in rows])


def actor_of(person: PersonView, update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
    return Actor(role=ActorRole(person.role.value), id=str(update.effective_user.id), entity_id=person.entity_id,
                 language=language_of(update, context))


def answering_survey(update: Update) -> bool:
    """A survey's button, a typed comment, or /cancelar: all a stranger in the middle of a survey may send."""
    if update.callback_query is not None:
        return (update.callback_query.data or "").startswith("svy:")
    text = update.message.text if update.message and update.message.text else ""
    return bool(text) and (not text.startswith("/") or text.split()[0].split("@")[0] in ("/cancelar", "/cancel"))


def gate(who_is: WhoIs, known_account: WhoIs) -> TypeHandler:
    """The handler that runs before every other (group -1): an account not in the directory hears how to be invited
    and nothing else, so no command leaves the bot for it. Only /start <code> (joining, or a survey's link) goes
    through, the answers to a survey opened that way, and a removed person's questions about their own data
    (/misdatos, /olvidarme)."""

    async def turn_away_strangers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or update.effective_chat is None:
            return
        text = update.message.text if update.message and update.message.text else ""
        if JOINING.match(text) or await who_is(user.id) is not None:
            return
        if context.user_data.get("survey") is not None and answering_survey(update):
            return  # answering a survey whose link they opened (anyone may): its form takes the answer
        if asks_about_own_data(update) and await known_account(user.id) is not None:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        log.info("account not in the directory turned away", update_id=update.update_id)
        await reply(update, context, "not-a-member")
        raise ApplicationHandlerStop

    return TypeHandler(Update, turn_away_strangers)


class PeopleConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs, invitation_hours: int) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.invitation_hours = invitation_hours

    def handlers(self) -> list:
        with warnings.catch_warnings():
            # The buttons name their step in their data and the form is per person; PTB's per-message tracking is
            # for keyboards shared by many people.
            warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
            invite = ConversationHandler(
                entry_points=[CommandHandler(INVITE.names(), self.invite_start)],
                states={
                    CHOOSE_ROLE: [CallbackQueryHandler(self.role_chosen, pattern=r"^invite:role:")],
                    CHOOSE_ENTITY: [CallbackQueryHandler(self.entity_chosen, pattern=r"^invite:entity:")],
                    CHOOSE_SECTORS: [CallbackQueryHandler(self.sector_toggled, pattern=r"^invite:sector:"),
                                     CallbackQueryHandler(self.sectors_chosen, pattern=r"^invite:sectors-done$")],
                    ASK_TOPICS: [MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                                self.topics_given)],
                    ASK_NAME: [MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                              self.name_given)],
                },
                fallbacks=[CommandHandler(["cancelar", "cancel"], self.invite_cancelled),
                           CallbackQueryHandler(self.stale_button, pattern=r"^invite:")],
                name="invite",
                persistent=True,
            )
        return [invite, CommandHandler(ME.names(), self.me),
                CallbackQueryHandler(self.stale_button, pattern=r"^invite:")]

    # --- /start <code> ---------------------------------------------------------------------------------------

    async def redeem(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An invitation's link was opened (or its code typed after /start): intake checks it and the notifier
        answers; a text that cannot be a code is answered here and goes nowhere."""
        code = normalized_code(" ".join(context.args or []))
        if code is None:
            await reply(update, context, "invitation-code-invalid")
            return
        language = language_of(update, context)
        command = RedeemInvitation.new(
            payload=RedeemInvitationPayload(code=code, language=language),
            actor=Actor(role=ActorRole.guest, id=str(update.effective_user.id), language=language),
            city=self.city.city.slug,
        )
        if await self._send(update, context, command):
            await reply(update, context, "invitation-checking")

    # --- /yo ---------------------------------------------------------------------------------------------------

    async def me(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.who_is(update.effective_user.id)
        if person is None:
            await reply(update, context, "me-unknown")
            return
        await reply(update, context, "me-card", **described(person, self.city, language_of(update, context)))

    # --- /invitar ----------------------------------------------------------------------------------------------

    async def invite_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        person = await self.who_is(update.effective_user.id)
        if person is None or not MAY_INVITE.get(person.role):
            await reply(update, context, "invite-not-allowed")
            return ConversationHandler.END
        language = language_of(update, context)
        context.user_data["invitation"] = {}
        roles = [role for role in ROLE_ORDER if role in MAY_INVITE[person.role]]
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(translate(f"role-{role.value}", language),
                                                               callback_data=f"invite:role:{role.value}")]
                                         for role in roles])
        await update.effective_chat.send_message(translate("invite-choose-role", language), reply_markup=keyboard)
        return CHOOSE_ROLE

    async def role_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        person = await self.who_is(update.effective_user.id)
        role = query.data.removeprefix("invite:role:")
        if person is None or role not in {allowed.value for allowed in MAY_INVITE.get(person.role, ())}:
            return await self._refuse_button(update, context)  # forged data, or the role changed meanwhile
        await query.edit_message_reply_markup(reply_markup=None)
        context.user_data.setdefault("invitation", {})["role"] = role
        if Role(role) not in ROLES_WITH_ENTITY:
            await reply(update, context, "invite-ask-name", limit=SHORT_TEXT_MAX)
            return ASK_NAME
        await update.effective_chat.send_message(translate("invite-choose-entity", language_of(update, context)),
                                                 reply_markup=entity_keyboard(self.city, "invite:entity:"))
        return CHOOSE_ENTITY

    async def entity_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        entity_id = query.data.removeprefix("invite:entity:")
        invitation = context.user_data.get("invitation", {})
        if entity_id not in self.city.entities or "role" not in invitation:
            return await self._refuse_button(update, context)
        await query.edit_message_reply_markup(reply_markup=None)
        invitation["entity_id"] = entity_id
        if invitation["role"] == Role.evaluator.value:
            invitation["sectors"] = []
            await update.effective_chat.send_message(
                translate("invite-choose-sectors", language_of(update, context)),
                reply_markup=self.sectors_keyboard(invitation["sectors"], language_of(update, context)))
            return CHOOSE_SECTORS
        await reply(update, context, "invite-ask-name", limit=SHORT_TEXT_MAX)
        return ASK_NAME

    # An evaluator's sectors (buttons that toggle, then "done") and topics (typed, separated by commas).

    def sectors_keyboard(self, chosen: list[str], language: str) -> InlineKeyboardMarkup:
        buttons = [InlineKeyboardButton(("✓ " if code in chosen else "") + sector.in_language(language),
                                        callback_data=f"invite:sector:{code}")
                   for code, sector in self.city.sectors.items()]
        rows = [buttons[start:start + 2] for start in range(0, len(buttons), 2)]
        done = InlineKeyboardButton(translate("invite-sectors-done", language), callback_data="invite:sectors-done")
        return InlineKeyboardMarkup([*rows, [done]])

    async def sector_toggled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        code = query.data.removeprefix("invite:sector:")
        invitation = context.user_data.get("invitation", {})
        if code not in self.city.sectors or "sectors" not in invitation:
            return await self._refuse_button(update, context)
        chosen = invitation["sectors"]
        if code in chosen:
            chosen.remove(code)
        elif len(chosen) < MAX_SECTORS:
            chosen.append(code)
        await query.edit_message_reply_markup(reply_markup=self.sectors_keyboard(chosen, language_of(update, context)))
        return CHOOSE_SECTORS

    async def sectors_chosen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        if "sectors" not in context.user_data.get("invitation", {}):
            return await self._refuse_button(update, context)
        await query.edit_message_reply_markup(reply_markup=None)
        await reply(update, context, "invite-ask-topics", most=MAX_TOPICS)
        return ASK_TOPICS

    async def topics_given(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        invitation = context.user_data.get("invitation", {})
        if "sectors" not in invitation:  # the invitation was dropped (another form started)
            await reply(update, context, "unknown-command")
            return ConversationHandler.END
        typed = update.message.text.strip()
        try:
            topics = [] if typed == NO_TOPICS else list(dict.fromkeys(
                person_text(topic, TOPIC_MAX) for topic in re.split(r"[,;\n]", typed) if topic.strip()))
        except TextRefused:
            topics = None
        if topics is None or len(topics) > MAX_TOPICS:
            await reply(update, context, "invite-ask-topics", most=MAX_TOPICS)
            return ASK_TOPICS
        invitation["topics"] = topics
        await reply(update, context, "invite-ask-name", limit=SHORT_TEXT_MAX)
        return ASK_NAME

    async def name_given(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            name = person_text(update.message.text, SHORT_TEXT_MAX)
        except TextRefused:
            await reply(update, context, "invite-ask-name", limit=SHORT_TEXT_MAX)
            return ASK_NAME
        invitation = context.user_data.get("invitation", {})
        person = await self.who_is(update.effective_user.id)
        if "role" not in invitation:  # the invitation was dropped (another form started): this text is not a name
            await reply(update, context, "unknown-command")
            return ConversationHandler.END
        if person is None or invitation["role"] not in {role.value for role in MAY_INVITE.get(person.role, ())}:
            context.user_data.pop("invitation", None)
            await reply(update, context, "invite-not-allowed")
            return ConversationHandler.END
        code = new_invitation_code()
        command = InvitePerson.new(
            payload=InvitePersonPayload(invitation_id=uuid.uuid4(), role=invitation["role"],
                                        entity_id=invitation.get("entity_id"), name=name, code_hash=code_hash(code),
                                        sectors=invitation.get("sectors", []), topics=invitation.get("topics", [])),
            actor=actor_of(person, update, context),
            city=self.city.city.slug,
        )
        if not await self._send(update, context, command):
            return ASK_NAME
        context.user_data.pop("invitation", None)
        language = language_of(update, context)
        link = f"https://t.me/{context.bot.username}?start={code}"
        await reply(update, context, "invite-created", name=name,
                    role=translate(f"role-{invitation['role']}", language), hours=self.invitation_hours, link=link,
                    code=code)
        log.info("invitation sent", command_id=str(command.event_id), role=invitation["role"])
        return ConversationHandler.END

    async def invite_cancelled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop("invitation", None)
        await reply(update, context, "invite-cancelled")
        return ConversationHandler.END

    async def stale_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.callback_query.answer()
        return await self._refuse_button(update, context)

    async def _refuse_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """A button from a finished form, or data no button of this person carried: say so, change nothing."""
        log.info("invitation button refused", update_id=update.update_id)
        context.user_data.pop("invitation", None)
        await reply(update, context, "invite-button-refused")
        return ConversationHandler.END

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, command) -> bool:
        return await sent(update, context, self.send_command, command)
