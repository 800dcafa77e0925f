"""An item's course from chat, through the sandbox on the real servers: a staff member proposes, a coordinator walks
an Aprende exchange through its six phases and an Enseña practice through its three with /advance and a
confirmation, and each phase event is announced exactly once. Completing a phase twice, skipping one, and staff
steering are refused; another exchange is sent back, held, resumed and withdrawn; /view shows the card."""

from __future__ import annotations

import base64
import re
from collections import Counter

import httpx
import pytest
from pydantic import SecretStr

from puente.contracts import TopicName, messages_on, parse_message
from puente.contracts.envelope import Actor, ActorRole
from puente.contracts.evaluation import (
    AssignEvaluators,
    AssignEvaluatorsPayload,
    DecidePractice,
    DecidePracticePayload,
    Decision,
    ScorePractice,
    ScorePracticePayload,
)
from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, publish_message, read_topic, running_app, seated
from tests.integration.test_bot import TOKEN, Member, members_person_id, notifier_knows, running_bot
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

COORDINATOR, STAFF = 7401, 7402
EVALUATORS = (7403, 7404)
PHASE_EVENTS = messages_on(TopicName.phase_events)


async def propose(staff: Chat, command: str, title: str) -> str:
    """Staff propose from chat; returns the item's code from the notifier's confirmation."""
    await staff.send(command)
    await staff.until("Type a short title")
    await staff.send(title)
    await staff.until("Describe")
    await staff.send("Reducir la deserción escolar rural")
    registered = (await staff.until("✅ Your proposal"))["text"]
    return re.search(r"[A-Z]{2}-\d{4}-\d{4}", registered).group(0)


PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
# What each phase's required deliverables get, in the walk: a document, a text, a button's label or a date.
REQUIRED = {
    ("AP", 1): [("Need sheet", ("document", "need-sheet.pdf")), ("The entity's commitment", "A technical team of 4")],
    ("AP", 2): [("Terms of reference", ("document", "terms.pdf"))],
    ("AP", 3): [],  # the exchange's plan, in its record (record_plan)
    ("AP", 4): [("Exchange report", ("document", "report.pdf"))],  # and the participants, in its record
    ("AP", 5): [("Action plan", ("document", "plan.pdf"))],
    ("AP", 6): [("Results story", "Dropout fell in two schools")],
    ("EN", 1): [("Application", ("document", "application.pdf"))],
    ("EN", 2): [("Validated good-practice document", ("document", "practice.pdf"))],
    ("EN", 3): [("Promotion strategy", ("document", "strategy.pdf"))],
}


async def send_document(chat: Chat, file_name: str, content: bytes) -> None:
    sent = await chat.control.post("/sandbox/documents", json={
        "user_id": chat.user, "file_name": file_name, "mime_type": "application/pdf",
        "content_base64": base64.b64encode(content).decode()})
    assert sent.status_code == 200, sent.text
    chat.last_seen = max(chat.last_seen, sent.json()["message"]["message_id"])


async def deliver(staff: Chat, code: str, number: int, name: str, answer) -> None:
    """/deliver until the bot's view shows phase `number`, press the deliverable, and answer as its type needs."""
    async def checklist() -> dict | None:
        await staff.send(f"/deliver {code}")
        message = await staff.next()
        return message if f", phase {number}: " in message["text"] else None

    listed = await eventually(checklist, timeout=20, interval=0.3, message=f"phase {number}'s checklist")
    await staff.press(listed, f"○ {name}")
    asked = await staff.next()
    while not (asked["text"] or "").startswith(("Type “", "Send the", "Choose “")):  # the notifier's come between
        asked = await staff.next()
    if answer is None:  # only opened: the caller answers
        return
    if isinstance(answer, tuple) and answer[0] == "document":
        await send_document(staff, answer[1], PDF)
    elif isinstance(answer, tuple):
        await staff.press(asked, answer[1])
    else:
        await staff.send(answer)
    await staff.until(f"I received “{name}”")


async def deliver_phase(staff: Chat, code: str, number: int) -> None:
    """The phase's required deliverables; for an exchange's plan and participants, its record (/record)."""
    for name, answer in REQUIRED[(code[:2], number)]:
        await deliver(staff, code, number, name, answer)
    if REQUIRED[(code[:2], number)]:
        await staff.until("📎", most=10)
    if (code[:2], number) == ("AP", 3):
        await record_plan(staff, code)
    if (code[:2], number) == ("AP", 4):
        await record_participants(staff, code, "0 30 2 1 4 2")


async def record_button(staff: Chat, code: str, button: str, phase_name: str) -> dict:
    """/record until the bot's view shows the exchange in this phase (its buttons then allow the part)."""
    async def record() -> dict | None:
        await staff.send(f"/record {code}")
        message = await staff.next()
        labels = [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        return message if message["text"].startswith("📁 Record of") and button in labels else None

    shown = await eventually(record, timeout=20, interval=0.3, message=f"the record's {button} in {phase_name}")
    await staff.press(shown, button)
    return shown


async def record_plan(staff: Chat, code: str, instrument: str = "Study visit",
                      dates: str = "2099-03-15 2099-03-19", place: str = "Helsinki, FI") -> None:
    await record_button(staff, code, "🗓 Plan", "design")
    await staff.press(await staff.until("Plan of"), instrument)
    await staff.until("Dates?")
    await staff.send(dates)
    await staff.until("Where?")
    await staff.send(place)
    await staff.until("Done, I asked for it")
    assert "record updated (plan)" in (await staff.until(f"✅ {code}", most=8))["text"]


async def record_participants(staff: Chat, code: str, counts: str) -> None:
    await record_button(staff, code, "👥 Participants", "the exchange")
    await staff.until("Type 6 numbers")
    await staff.send(counts)
    await staff.until("Done, I asked for it")
    assert "record updated (participants)" in (await staff.until(f"✅ {code}", most=8))["text"]


async def advance(coordinator: Chat, code: str, number: int, phases: int) -> dict:
    """/advance until the bot's view shows phase `number` as current, then confirm."""
    question = await eventually(lambda: _confirmation(coordinator, code, number, phases), timeout=20, interval=0.3,
                                message=f"phase {number} as current")
    await coordinator.press(question, f"Yes, complete phase {number}")
    await coordinator.until(f"I asked to complete phase {number}.")
    # Coordinators hear of it in the city's language.
    told = "completó sus" if number == phases else f"completó la fase {number} y pasó a la fase {number + 1}"
    assert told in (await coordinator.until(("🏁" if number == phases else "➡️") + f" {code}"))["text"]
    return question


async def _confirmation(coordinator: Chat, code: str, number: int, phases: int = 6) -> dict | None:
    await coordinator.send(f"/advance {code}")
    message = await coordinator.until("Complete phase")
    return message if message["text"].startswith(f"Complete phase {number} of {phases} ") else None


async def select(settings, bot, code: str, coordinator: Chat, staff: Chat) -> None:
    """Two evaluators score the practice and the coordinator selects it: commands written to phases' topic, as the
    bot sends them."""
    item = await bot.item_by_reference(code)
    evaluator_ids = [members_person_id(settings, user) for user in EVALUATORS]
    commands = [AssignEvaluators.new(payload=AssignEvaluatorsPayload(item_id=item.id, evaluator_ids=evaluator_ids),
                                     actor=Actor(role=ActorRole.coordinator, id=str(COORDINATOR)), city="bogota")]
    commands += [ScorePractice.new(payload=ScorePracticePayload(item_id=item.id, comment="Sound.", scores={
        key: 4 for key in ("relevance", "participation", "impact", "transferability")}),
        actor=Actor(role=ActorRole.evaluator, id=str(user)), city="bogota") for user in EVALUATORS]
    commands.append(DecidePractice.new(payload=DecidePracticePayload(item_id=item.id, decision=Decision.selected),
                                       actor=Actor(role=ActorRole.coordinator, id=str(COORDINATOR)), city="bogota"))
    for command in commands:
        await publish_message(settings, settings.topics.phase_commands, command)
    await coordinator.until("🏅", most=8)
    await staff.until("🏅", most=8)


async def test_an_exchange_walks_six_phases_and_a_practice_three_from_chat_each_event_once(settings):
    await seated(settings, (COORDINATOR, "coordinator", None), (STAFF, "staff", "sed"))
    members = (Member(COORDINATOR, "coordinator", None, "Carlos Pérez"), Member(STAFF, "staff", "sed", "Ana Gómez"),
               *(Member(user, "evaluator", "sds", f"Evaluator {user}") for user in EVALUATORS))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_phases(live)), \
                running_app(build_notifier(live)), running_bot(settings, sandbox, members=members) as bot:
            await notifier_knows(settings, COORDINATOR, STAFF)
            staff, coordinator = Chat(control, STAFF, "en"), Chat(control, COORDINATOR, "en")
            exchange = await propose(staff, "/propose", "Open classrooms")
            assert re.fullmatch(r"AP-\d{4}-0001", exchange)
            await staff.send(f"/advance {exchange}")
            assert (await staff.next())["text"].startswith("Only the program's coordinators and administrators")

            # Completing phase 1 before its deliverables are in is refused.
            early = await eventually(lambda: _confirmation(coordinator, exchange, 1), timeout=20, interval=0.3,
                                     message="phase 1 as current")
            await coordinator.press(early, "Yes, complete phase 1")
            assert (await coordinator.until("⚠️"))["text"].endswith(
                "a required deliverable of the phase is not in yet. See what is missing with /view.")
            await deliver_phase(staff, exchange, 1)
            first = await advance(coordinator, exchange, 1, 6)
            # Phase 1 completed twice (its confirmation pressed again, as a slow network may), and a skip to phase 4:
            # the bot sends both, phases refuses both.
            item_id = first["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[2]
            for phase in (1, 4):
                pressed = await control.post("/sandbox/callbacks", json={
                    "user_id": COORDINATOR, "message_id": first["message_id"], "forged": True,
                    "callback_data": f"course:advance:{item_id}:{phase}"})
                assert pressed.status_code == 200
                await coordinator.until(f"I asked to complete phase {phase}.")
                assert (await coordinator.until("⚠️"))["text"].endswith(
                    "that phase is not the item's current one (it was already completed or has not begun). Check "
                    "with /view.")
            for number in range(2, 7):
                await deliver_phase(staff, exchange, number)
                await advance(coordinator, exchange, number, 6)
            assert (await staff.until(f"🏁 {exchange}", most=10))["text"] == (
                f"🏁 {exchange} “Open classrooms” completed its 6 phases and is closed.")

            async def closed_card() -> str | None:
                await staff.send(f"/view {exchange}")
                text = (await staff.next())["text"]
                return text if "🏁 closed" in text else None

            card = await eventually(closed_card, timeout=20, interval=0.3, message="the closed card")
            assert card.startswith(f"{exchange} “Open classrooms”\nBogotá Learns · Secretaría Distrital de "
                                   "Educación\n▰▰▰▰▰▰ 6/6 · Follow-up and results · 🏁 closed\n"
                                   "🗓 Study visit from 2099-03-15 in Helsinki, FI\n"
                                   "🧑‍🏫 0 experts · 🤝 0 allies · 👥 39 participants\nLatest changes:\n")

            practice = await propose(staff, "/practice", "Parents' schools")
            assert re.fullmatch(r"EN-\d{4}-0001", practice)
            for number in range(1, 4):
                await deliver_phase(staff, practice, number)
                if number == 1:  # a practice leaves its evaluation phase once selected (test_ensena.py, from chat)
                    await select(settings, bot, practice, coordinator, staff)
                await advance(coordinator, practice, number, 3)

    records = await read_topic(settings, settings.topics.phase_events, expected=41)
    events = [parse_message(record.value, PHASE_EVENTS) for record in records]
    by_item = Counter((str(event.payload.item_id), event.type) for event in events)
    exchange_id = item_id
    assert {kind: count for (item, kind), count in by_item.items() if item == exchange_id} == {
        "phase.started": 6, "phase.completed": 6, "item.closed": 1, "deliverable.submitted": 6,
        "exchange.planned": 1, "exchange_participants.recorded": 1, "survey.requested": 2, "command.rejected": 3}
    assert sorted(count for (item, kind), count in by_item.items() if item != exchange_id) == [1, 1, 1, 1, 2, 3, 3, 3]
    assert len(events) == 41, "nothing announced twice"


async def test_an_exchange_goes_back_is_held_resumed_and_withdrawn_from_chat(settings):
    await seated(settings, (COORDINATOR, "coordinator", None), (STAFF, "staff", "sed"))
    members = (Member(COORDINATOR, "coordinator", None, "Carlos Pérez"), Member(STAFF, "staff", "sed", "Ana Gómez"))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        async with running_app(build_intake(live)), running_app(build_phases(live)), \
                running_app(build_notifier(live)), running_bot(settings, sandbox, members=members):
            await notifier_knows(settings, COORDINATOR, STAFF)
            staff, coordinator = Chat(control, STAFF, "en"), Chat(control, COORDINATOR, "en")
            code = await propose(staff, "/propose", "Open classrooms")
            await staff.send(f"/edit {code}")
            fields = await staff.until(f"What do you want to change in {code}")
            assert [row[0]["text"] for row in fields["reply_markup"]["inline_keyboard"]] == [
                "Title", "Institutional challenge", "Topic", "Countries of interest"]
            await staff.press(fields, "Institutional challenge")
            await staff.until("Type the new text for “Institutional challenge”")
            await staff.send("Rural dropout after the pandemic")
            await staff.until("I received the change.")
            assert (await staff.until(f"✏️ {code}"))["text"] == (
                f"✏️ {code} “Open classrooms”: the change is recorded (Institutional challenge).")
            await coordinator.send("/return")
            await coordinator.until("Type /return followed by the item's code")
            await coordinator.send(f"/return {code} The need sheet is missing")
            await coordinator.until("Done, I asked for it.")
            assert (await coordinator.until("⚠️"))["text"].endswith(
                "the item is in its first phase: there is no earlier phase.")
            await deliver_phase(staff, code, 1)
            await advance(coordinator, code, 1, 6)

            await coordinator.send(f"/return {code}")
            await coordinator.until("Type the note after the code")
            await coordinator.send(f"/return {code} The need sheet is missing")
            await coordinator.until("Done, I asked for it.")
            returned = (await staff.until(f"↩️ {code}"))["text"]
            assert returned.startswith(f"↩️ {code} “Open classrooms” went back to phase 1 of 6: Demand and anchoring")
            assert returned.endswith("Note: The need sheet is missing")

            await coordinator.send(f"/due {code} 2020-01-01 Too late")
            await coordinator.until("That date has passed")
            await coordinator.send(f"/due {code} 2099-01-15 The entity asked for more time")
            await coordinator.until("Done, I asked for it.")
            assert (await staff.until(f"📅 {code}"))["text"].startswith(
                f"📅 {code} “Open classrooms”: phase 1 (Demand and anchoring) is now due on 2099-01-15 (it was ")

            await coordinator.send(f"/hold {code} The entity changed its team")
            await coordinator.until("Done, I asked for it.")
            assert (await staff.until(f"⏸ {code}"))["text"] == (
                f"⏸ {code} “Open classrooms” is on hold in phase 1: Demand and anchoring. Reason: The entity changed "
                "its team")

            async def held_card() -> str | None:
                await staff.send(f"/view {code}")
                text = (await staff.next())["text"]
                return text if "⏸ on hold" in text else None

            card = await eventually(held_card, timeout=20, interval=0.3, message="the held card")
            assert "• " in card and "went back to phase 1 — The need sheet is missing" in card

            await coordinator.send(f"/resume {code}")
            await coordinator.until("Done, I asked for it.")
            assert (await staff.until(f"▶️ {code}"))["text"].startswith(f"▶️ {code} “Open classrooms” resumed in "
                                                                          "phase 1: Demand and anchoring, due on ")

            await coordinator.send(f"/withdraw {code} The entity desisted")
            confirmation = await coordinator.until(f"Withdraw {code} “Open classrooms” from the program?")
            await coordinator.press(confirmation, "Yes, withdraw it")
            await coordinator.until("Done, I asked for it.")
            assert (await staff.until(f"✖️ {code}"))["text"].endswith(
                "was withdrawn from the program. Reason: The entity desisted")
            pressed_again = await control.post("/sandbox/callbacks", json={
                "user_id": COORDINATOR, "message_id": confirmation["message_id"], "forged": True,
                "callback_data": confirmation["reply_markup"]["inline_keyboard"][0][0]["callback_data"]})
            assert pressed_again.status_code == 200
            assert (await coordinator.until("That button"))["text"] == (
                "That button no longer works. Start again with the command.")
