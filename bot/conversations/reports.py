"""Reports for coordinators:
- /informe (/report) [period]: the program's report as of now comes back as a PDF with its summary (reporting makes
  it, the notifier sends it). A period of the city file (e.g. `2016-2019`) reports that administration instead.
- /panel: a one-time sign-in link to the dashboard, valid for 10 minutes. Staff and evaluators get neither."""

from __future__ import annotations

import uuid

from telegram import LinkPreviewOptions, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.conversations.common import MenuEntry, SendCommand, WhoIs, language_of, reply, sent
from bot.conversations.course import STEERING_ROLES
from bot.conversations.people import actor_of
from puente.contracts.envelope import derived_id
from puente.contracts.reporting import RequestReport, RequestReportPayload
from puente.dashboard_links import LINK_MINUTES, sign_in_link, sign_in_token
from puente.i18n import translate
from puente.wiring.city import CityConfig
from puente.wiring.clock import utc_now

REPORT = MenuEntry("informe", "report", "menu-report", position=41)
PANEL = MenuEntry("panel", "panel", "menu-panel", position=42)
MENU = [REPORT, PANEL]


class ReportsConversation:
    menu = MENU

    def __init__(self, city: CityConfig, send_command: SendCommand, who_is: WhoIs, dashboard_key: bytes,
                 dashboard_url: str) -> None:
        self.city = city
        self.send_command = send_command
        self.who_is = who_is
        self.dashboard_key = dashboard_key
        self.dashboard_url = dashboard_url

    def handlers(self) -> list:
        return [CommandHandler(REPORT.names(), self.report), CommandHandler(PANEL.names(), self.panel)]

    async def coordinator(self, update: Update, context: ContextTypes.DEFAULT_TYPE):
        person = await self.who_is(update.effective_user.id)
        if person is None or person.role not in STEERING_ROLES:
            await reply(update, context, "coordinators-only")
            return None
        return person

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.coordinator(update, context)
        if person is None:
            return
        period = context.args[0].lower() if context.args else None
        if period is not None and self.city.reporting.period(period) is None:
            await reply(update, context, "report-unknown-period",
                        periods=", ".join(known.key for known in self.city.reporting.periods))
            return
        # Derived from the chat and the message: a redelivered update asks once.
        command = RequestReport.new(payload=RequestReportPayload(period=period),
                                    actor=actor_of(person, update, context), city=self.city.city.slug,
                                    event_id=derived_id("report", update.effective_chat.id,
                                                        update.message.message_id))
        if await sent(update, context, self.send_command, command):
            await reply(update, context, "report-coming")

    async def panel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        person = await self.coordinator(update, context)
        if person is None:
            return
        language = language_of(update, context)
        token = sign_in_token(self.dashboard_key, uuid.UUID(person.id), language, utc_now())
        # No link preview: the link is the person's own (its page asks for a press before it signs in anyway).
        await update.effective_chat.send_message(
            translate("panel-link", language, link=sign_in_link(self.dashboard_url, token), minutes=LINK_MINUTES),
            link_preview_options=LinkPreviewOptions(is_disabled=True))
