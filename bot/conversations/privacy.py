"""Personal data, as Colombia's Law 1581 of 2012 (habeas data) asks of public entities: /misdatos (/mydata) shows a
person everything Puente keeps about them, and /olvidarme (/forgetme), after a confirmation with a button, asks
intake to erase it. Both also serve a person who was removed from the program: the right does not end with them.

Intake erases the directory's record and announces it; every service then erases what it keeps (the notifier the
messages sent to them, the bot its view and their chat state). Their exchanges and practices stay with their
entity and name only an opaque id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, SendCommand, described, language_of, log, reply, sent
from bot.conversations.mine import ReadItems
from bot.projection import PersonView
from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.people import ForgetMe, ForgetMePayload
from puente.i18n import translate
from puente.wiring.city import CityConfig

MY_DATA = MenuEntry("misdatos", "mydata", "menu-my-data", position=45)
FORGET_ME = MenuEntry("olvidarme", "forgetme", "menu-forget-me", position=46)
MENU = [MY_DATA, FORGET_ME]
# The callbacks of the confirmation; the gate lets a removed person's presses through too.
CALLBACK_PATTERN = r"^forget:(yes|no)$"
ITEMS_LISTED = 10  # the titles shown; /mis pages through all of them

# Any person the bot's view knows by a Telegram account, removed ones included (an active record first).
KnownAccount = Callable[[int], Awaitable[PersonView | None]]


def asks_about_own_data(update: Update) -> bool:
    """Whether an update is one of the commands (or the confirmation's buttons) a removed person may still use."""
    if update.callback_query is not None:
        return update.callback_query.data in ("forget:yes", "forget:no")
    text = update.message.text if update.message and update.message.text else ""
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lstrip("/") if text.startswith("/") else ""
    return command in {*MY_DATA.names(), *FORGET_ME.names()}


class PrivacyConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, known_account: KnownAccount,
                 read_items: ReadItems) -> None:
        self.city = city
        self.send_command = send_command
        self.known_account = known_account
        self.read_items = read_items

    def handlers(self) -> list:
        return [CommandHandler(MY_DATA.names(), self.my_data), CommandHandler(FORGET_ME.names(), self.forget_me),
                CallbackQueryHandler(self.confirmed, pattern=CALLBACK_PATTERN)]

    async def my_data(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.known_account(update.effective_user.id)
        if person is None:
            await reply(update, context, "my-data-none")
            return
        language = language_of(update, context)
        items = await self.read_items(str(update.effective_user.id))
        titles = "\n".join(f"• {item.title}" for item in items[:ITEMS_LISTED])
        await reply(update, context, "my-data", **described(person, self.city, language),
                    account=str(person.telegram_user_id),
                    chosen=translate(f"language-name-{language}", language),
                    joined=self.city.city.local_date(person.joined_at).isoformat() if person.joined_at else "—",
                    status="active" if person.active else "removed", count=len(items), titles=titles or "—",
                    more=max(0, len(items) - ITEMS_LISTED))

    async def forget_me(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.known_account(update.effective_user.id) is None:
            await reply(update, context, "my-data-none")
            return
        language = language_of(update, context)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(translate("forget-me-yes", language), callback_data="forget:yes"),
            InlineKeyboardButton(translate("forget-me-no", language), callback_data="forget:no"),
        ]])
        await update.effective_chat.send_message(translate("forget-me-confirm", language), reply_markup=keyboard)

    async def confirmed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as error:  # pressed twice: the keyboard is already gone
            log.info("forget-me keyboard already removed", update_id=update.update_id, error=error.message)
        if query.data == "forget:no":
            await reply(update, context, "forget-me-kept")
            return
        person = await self.known_account(update.effective_user.id)
        if person is None:  # already forgotten (the button pressed again), or never known
            await reply(update, context, "my-data-none")
            return
        language = language_of(update, context)
        command = ForgetMe.new(
            payload=ForgetMePayload(),
            actor=Actor(role=ActorRole(person.role.value), id=str(update.effective_user.id),
                        entity_id=person.entity_id, language=language),
            city=self.city.city.slug,
        )
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "forget-me-sent")
