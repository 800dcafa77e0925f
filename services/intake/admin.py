"""`puente admin invite`: the very first administrator (or anyone, in an emergency) is invited by an operator with
access to the configured database. The invitation goes through intake's own rules, inside intake's database and
outbox, exactly as a chat invitation does; the running intake publishes `person.invited`.

`puente catalogue load`: the city's catalogue file, entry by entry, through the same rules as a coordinator's
entries from chat, in intake's database and outbox; the running intake publishes `catalogue.entry_recorded`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from telegram import Bot

from puente.contracts.envelope import derived_id
from puente.contracts.knowledge import RecordCatalogueEntry, entry_id
from puente.contracts.people import InvitePerson, InvitePersonPayload, Role, code_hash, new_invitation_code
from puente.wiring.city import load_city_config
from puente.wiring.dispatch import Dispatcher
from puente.wiring.service import build_runtime
from puente.wiring.settings import Settings
from services.intake import catalogue
from services.intake.app import register
from services.intake.directory import OPERATOR_ACTOR
from services.intake.handlers import IntakeHandlers


@dataclass(frozen=True)
class IssuedInvitation:
    code: str
    outcome: str  # "applied", or "rejected" with the reason announced
    bot_username: str | None


async def invite_from_command_line(
    settings: Settings, role: Role, name: str, entity_id: str | None, sectors: Sequence[str] = (),
    topics: Sequence[str] = (),
) -> IssuedInvitation:
    code = new_invitation_code()
    command = InvitePerson.new(
        payload=InvitePersonPayload(invitation_id=uuid.uuid4(), role=role, entity_id=entity_id, name=name,
                                    code_hash=code_hash(code), sectors=list(sectors), topics=list(topics)),
        actor=OPERATOR_ACTOR,
        city=settings.city,
    )
    runtime = build_runtime("intake", settings)
    handlers = IntakeHandlers(settings.topics, load_city_config(settings), runtime.clock,
                              timedelta(hours=settings.invitation_hours))
    register(runtime)
    try:
        await runtime.set_up_database()
        outcome = await Dispatcher({InvitePerson: handlers.invite_as_operator}, runtime.unit_of_work).dispatch(command)
    finally:
        await runtime.mongo.close()
    return IssuedInvitation(code, outcome, await bot_username(settings))


async def bot_username(settings: Settings) -> str | None:
    """The bot's username for the deep link: from Telegram with the configured token, or from the local sandbox
    (under `make run`); None when neither answers."""
    try:
        if settings.telegram_bot_token is not None:
            bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_url)
            async with bot:
                return bot.username
        async with httpx.AsyncClient(timeout=5) as http:
            answer = await http.get(f"http://127.0.0.1:{settings.telegram_sandbox_port}/sandbox/bot")
            return answer.json()["bot"]["username"]
    except Exception:  # noqa: BLE001 - the link is a convenience; the code works without it
        return None


@dataclass(frozen=True)
class CatalogueLoad:
    outcomes: dict[str, int]  # "applied" (new or corrected), "ignored" (unchanged), "kept" (chat's), "rejected"
    refused: list[str]  # entries the file gets wrong, each with its reason


async def load_catalogue_from_command_line(settings: Settings, path: Path, force: bool = False) -> CatalogueLoad:
    """Record each entry of the file; an entry recorded exactly so already changes nothing, and one a coordinator
    recorded from chat is kept unless `force`. Each command's id derives from the entry and from what the
    catalogue holds for it now, so loading the same file again (or after a crash half-way) repeats nothing."""
    entries, refused = catalogue.read_file(path)
    runtime = build_runtime("intake", settings)
    handlers = IntakeHandlers(settings.topics, load_city_config(settings), runtime.clock)
    register(runtime)
    async def record(command: RecordCatalogueEntry, transaction) -> str:
        return await handlers.record_as_operator(command, transaction, force)

    dispatcher = Dispatcher({RecordCatalogueEntry: record}, runtime.unit_of_work)
    outcomes: dict[str, int] = {"applied": 0, "ignored": 0, "kept": 0, "rejected": 0}
    try:
        await runtime.set_up_database()
        for entry in entries:
            key = entry_id(entry.entry.kind, entry.key)
            now_kept = await runtime.unit_of_work.run(
                lambda transaction, key=key: transaction.collection(catalogue.CATALOGUE).get(key))
            command = RecordCatalogueEntry.new(
                payload=entry, actor=OPERATOR_ACTOR, city=settings.city,
                event_id=derived_id("catalogue-file", settings.city, entry.model_dump_json(), force,
                                    now_kept.model_dump_json() if now_kept else None))
            outcome = await dispatcher.dispatch(command)
            if outcome == "duplicate":  # this very entry was loaded before: the inbox knows its command
                outcome = "ignored"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "rejected":
                refused.append(f"{entry.entry.kind}s ({entry.key}): intake refused it (an unknown sector?)")
    finally:
        await runtime.mongo.close()
    return CatalogueLoad(outcomes, refused)
