"""The bot's wiring: Telegram (real Bot API or the local sandbox), Kafka for commands, MongoDB for conversations,
and a small HTTP server for health, readiness and metrics."""

from __future__ import annotations

import asyncio

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, ConversationHandler

from bot.conversations import BotServices, gate, handlers, publish_command_menu
from bot.conversations.common import on_error, slow_down
from bot.conversations.survey import DevelopmentKeyRefused, dashboard_key, survey_key
from bot.documents import DocumentStore
from bot.pacing import InboundLimiter, PerChatRateLimiter, PerChatUpdateProcessor
from bot.persistence import MongoPersistence
from bot.projection import (
    CATALOGUE_VIEWS,
    ITEM_VIEWS,
    PERSON_VIEWS,
    REQUEST_VIEWS,
    SURVEY_VIEWS,
    BotProjection,
    CatalogueView,
    EndChatState,
    ItemView,
    PersonView,
    RequestView,
    SurveyView,
    account_known,
    catalogue_entry,
    catalogue_of,
    evaluators,
    expert_history,
    item_by_id,
    item_by_reference,
    items_of,
    items_proposed_by,
    people_of,
    person_by_id,
    person_speaking,
    request_by_id,
    requests_of,
    survey_by_code,
    surveys_of,
)
from puente.contracts.collaboration import (
    AssignCollaboration,
    CloseCollaboration,
    NameCompanions,
    RequestCollaboration,
)
from puente.contracts.commitments import RecordCommitment, ReportProgress
from puente.contracts.envelope import Message
from puente.contracts.evaluation import AssignEvaluators, DecidePractice, ScorePractice
from puente.contracts.exchanges import (
    AddBudgetLine,
    AssignLogistics,
    PlanExchange,
    RecordAllies,
    RecordExchangeParticipants,
    RecordExperts,
    RemoveBudgetLine,
    Shortlist,
)
from puente.contracts.items import ProposeExchange, ProposePractice
from puente.contracts.people import ChangePerson, ForgetMe, InvitePerson, RedeemInvitation, RemovePerson
from puente.contracts.phases import (
    AdvancePhase,
    HoldItem,
    MoveDueDate,
    ResumeItem,
    ReturnPhase,
    SubmitDeliverable,
    WithdrawItem,
)
from puente.contracts.surveys import AnswerSurvey
from puente.contracts.systematization import (
    MoveMilestone,
    PlanPromotion,
    RecordParticipants,
    RecordPromotion,
    ReportMilestone,
)
from puente.wiring.city import load_city_config
from puente.wiring.database import mongo_is_ready
from puente.wiring.http_server import GracefulServer
from puente.wiring.logging import configure_logging, get_logger
from puente.wiring.messaging import ensure_topics
from puente.wiring.service import ServiceRuntime, build_runtime
from puente.wiring.settings import DEFAULT_HTTP_PORTS, Settings

log = get_logger(__name__)


# The commands the bot's conversations send (the AsyncAPI catalogue lists these).
SENDS = (ProposeExchange, ProposePractice, InvitePerson, RedeemInvitation, RemovePerson, ChangePerson, ForgetMe)
SENDS_TO_PHASES = (AdvancePhase, ReturnPhase, HoldItem, ResumeItem, WithdrawItem, SubmitDeliverable, MoveDueDate,
                   AssignEvaluators, ScorePractice, DecidePractice, MoveMilestone, ReportMilestone,
                   RecordParticipants, PlanPromotion, RecordPromotion, NameCompanions, RequestCollaboration,
                   AssignCollaboration, CloseCollaboration, RecordCommitment, ReportProgress, AnswerSurvey, Shortlist,
                   PlanExchange, RecordExperts, RecordAllies, AddBudgetLine, RemoveBudgetLine, AssignLogistics,
                   RecordExchangeParticipants)


def bot_runtime(settings: Settings, end_chat_state: EndChatState | None = None) -> ServiceRuntime:
    """The bot's Kafka, MongoDB and metrics are a service runtime's: it sends commands, and it keeps its own
    projection of the item and phase events (bot/projection.py) for what it shows. `end_chat_state` is the running
    Telegram application's, for a person removed or forgotten."""
    runtime = build_runtime("bot", settings)
    projection = BotProjection() if end_chat_state is None else BotProjection(end_chat_state)
    runtime.route(settings.topics.item_events, projection.item_routes(), title="bot-item-events",
                  description="Item events, kept in the bot's own view of each exchange and practice.")
    runtime.route(settings.topics.phase_events, {**projection.phase_routes(), **projection.practice_routes(),
                                                   **projection.exchange_routes()},
                  title="bot-phase-events",
                  description="Phase events: each item's current phase, due date, lateness and course; a "
                              "practice's evaluation, schedule, promotion, companions and collaboration requests.")
    runtime.route(settings.topics.people_events, projection.people_routes(), title="bot-people-events",
                  description="The directory: who is speaking, by Telegram account.")
    runtime.declare_announcements(settings.topics.intake_commands, SENDS,
                                  "Commands from the bot's conversations: propose an exchange or a practice, invite "
                                  "a person, join with an invitation, change or remove a person, forget me.")
    runtime.declare_announcements(settings.topics.phase_commands, SENDS_TO_PHASES,
                                  "Commands on an item's course: fill in a deliverable (staff and coordinators); "
                                  "complete the current phase, send it back a phase, hold, resume or withdraw it "
                                  "(coordinators). On an Enseña practice: assign evaluators, score, decide, report "
                                  "and move milestones, record participants and promotions, name companions, "
                                  "register, assign and close collaboration requests.")
    runtime.keeps(ITEM_VIEWS, PERSON_VIEWS, REQUEST_VIEWS, SURVEY_VIEWS, CATALOGUE_VIEWS)
    return runtime


class PuenteBot:
    def __init__(self, settings: Settings, inbound_limiter: InboundLimiter | None = None) -> None:
        if settings.telegram_bot_token is None:
            raise SystemExit("PUENTE_TELEGRAM_BOT_TOKEN is not set (make run starts the local sandbox and sets it)")
        self.settings = settings
        self.runtime = bot_runtime(settings, self.end_chat_state)
        self.registry = self.runtime.metrics.registry
        self.commands_sent = Counter("puente_bot_commands_sent", "Commands sent to the services.", ["type"],
                                     registry=self.registry)
        self.broker = self.runtime.broker
        self.mongo = self.runtime.mongo
        city = load_city_config(settings)
        self.survey_min_answers = city.aprende.survey_min_answers
        self.persistence = MongoPersistence(self.runtime.database)
        # One chat's backlog never delays another chat: updates are handled in order per chat and side by side
        # across chats, a person who floods is cut off, and sends are paced per chat (see bot/pacing.py).
        self.updates = PerChatUpdateProcessor(
            on_flood=lambda update: slow_down(update, self.application), limiter=inbound_limiter)
        self.application = (
            Application.builder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .base_file_url(settings.telegram_file_url)
            .persistence(self.persistence)
            .concurrent_updates(self.updates)
            .rate_limiter(PerChatRateLimiter())
            .build()
        )
        services = BotServices(
            send_command=self.send_command, read_items=self.items_proposed_by, list_items=self.items_of,
            who_is=self.person_speaking, people_of=self.people_of, person_by_id=self.person_by_id,
            invitation_hours=settings.invitation_hours, known_account=self.account_known,
            item_by_reference=self.item_by_reference, item_by_id=self.item_by_id,
            documents=DocumentStore(self.runtime.database), evaluators_of=self.evaluators,
            requests_of=self.requests_of, request_by_id=self.request_by_id, survey_by_code=self.survey_by_code,
            surveys_of=self.surveys_of, survey_key=survey_key(settings),
            catalogue_of=self.catalogue_of, catalogue_entry=self.catalogue_entry, expert_history=self.expert_history,
            dashboard_key=dashboard_key(settings), dashboard_url=settings.dashboard_url)
        self.application.add_handler(gate(services), group=-1)
        for handler in handlers(city, services):
            self.application.add_handler(handler)
        self.application.add_error_handler(on_error)

    async def send_command(self, command: Message) -> None:
        """Send a command to the topic its contract names (`Message.topics`)."""
        await self.broker.publish(
            command.to_bytes(),
            topic=self.settings.topics.of(command),
            key=command.aggregate_id().encode(),
            headers={"content-type": "application/json", "event_type": command.type},
            correlation_id=str(command.correlation_id),
        )
        self.commands_sent.labels(command.type).inc()

    async def items_proposed_by(self, person_id: str) -> list[ItemView]:
        return await items_proposed_by(self.runtime.unit_of_work, person_id)

    async def person_speaking(self, telegram_user_id: int) -> PersonView | None:
        return await person_speaking(self.runtime.unit_of_work, telegram_user_id)

    async def account_known(self, telegram_user_id: int) -> PersonView | None:
        return await account_known(self.runtime.unit_of_work, telegram_user_id)

    async def end_chat_state(self, telegram_user_id: int) -> None:
        """End a Telegram account's conversations and drop its chat state, in this process and in the database
        (a person removed or forgotten: a form they left open must not resume, and nothing of theirs stays)."""
        for group in self.application.handlers.values():
            for handler in group:
                if isinstance(handler, ConversationHandler):
                    # PTB has no public way to end another update's conversation; `_update_state(END)` is what
                    # a handler returning END does (tests/integration/test_privacy.py fails if it stops working).
                    for key in [key for key in handler._conversations if telegram_user_id in key]:
                        handler._update_state(ConversationHandler.END, key)
        self.application.drop_user_data(telegram_user_id)
        self.application.drop_chat_data(telegram_user_id)
        await self.persistence.forget_account(telegram_user_id)

    async def items_of(self, entity_id: str | None) -> list[ItemView]:
        return await items_of(self.runtime.unit_of_work, entity_id)

    async def item_by_id(self, item_id: str) -> ItemView | None:
        return await item_by_id(self.runtime.unit_of_work, item_id)

    async def item_by_reference(self, reference: str) -> ItemView | None:
        return await item_by_reference(self.runtime.unit_of_work, reference)

    async def people_of(self, entity_id: str | None) -> list[PersonView]:
        return await people_of(self.runtime.unit_of_work, entity_id)

    async def person_by_id(self, person_id: str) -> PersonView | None:
        return await person_by_id(self.runtime.unit_of_work, person_id)

    async def evaluators(self) -> list[PersonView]:
        return await evaluators(self.runtime.unit_of_work)

    async def requests_of(self, entity_id: str | None) -> list[RequestView]:
        return await requests_of(self.runtime.unit_of_work, entity_id)

    async def request_by_id(self, request_id: str) -> RequestView | None:
        return await request_by_id(self.runtime.unit_of_work, request_id)

    async def catalogue_of(self, kind: str) -> list[CatalogueView]:
        return await catalogue_of(self.runtime.unit_of_work, kind)

    async def catalogue_entry(self, kind: str, key: str) -> CatalogueView | None:
        return await catalogue_entry(self.runtime.unit_of_work, kind, key)

    async def expert_history(self) -> dict[str, tuple[int, float | None]]:
        return await expert_history(self.runtime.unit_of_work, self.survey_min_answers)

    async def survey_by_code(self, code: str) -> SurveyView | None:
        return await survey_by_code(self.runtime.unit_of_work, code)

    async def surveys_of(self, item_id: str) -> list[SurveyView]:
        return await surveys_of(self.runtime.unit_of_work, item_id)

    def http_app(self) -> Starlette:
        async def healthz(request: Request) -> JSONResponse:
            return JSONResponse({"status": "ok"})

        async def readyz(request: Request) -> JSONResponse:
            status = {
                "kafka": await self.broker.ping(timeout=2.0),
                "mongo": await mongo_is_ready(self.mongo),
                "telegram": bool(self.application.updater and self.application.updater.running),
            }
            return JSONResponse(status, status_code=200 if all(status.values()) else 503)

        async def metrics(request: Request) -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

        return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)])

    async def start(self) -> None:
        await ensure_topics(self.settings)
        await self.runtime.set_up_database()
        await self.broker.start()
        await self.application.initialize()
        await publish_command_menu(self.application.bot)
        await self.application.start()
        await self.application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        log.info("bot started", username=self.application.bot.username)

    async def stop(self) -> None:
        """Stop polling, save conversations and user data, close connections."""
        try:
            if self.application.updater.running:
                await self.application.updater.stop()
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()
        finally:
            await self.broker.stop()
            await self.mongo.close()
            log.info("bot stopped")

    async def serve(self, port: int | None = None) -> None:
        """Poll Telegram and answer until SIGTERM or Ctrl-C, then stop cleanly."""
        await self.start()
        try:
            server = GracefulServer(uvicorn.Config(
                self.http_app(), host=self.settings.http_host,
                port=DEFAULT_HTTP_PORTS["bot"] if port is None else port, log_config=None, access_log=False,
            ))
            await server.serve()
        finally:
            await self.stop()


def main() -> None:
    settings = Settings()
    configure_logging("bot", settings.log_level, settings.log_format)
    try:
        bot = PuenteBot(settings)
    except DevelopmentKeyRefused as missing:
        log.error("the bot cannot start", reason=str(missing))
        raise SystemExit(2) from missing
    asyncio.run(bot.serve(settings.http_port))
