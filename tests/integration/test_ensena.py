"""Bogotá Enseña from chat, through the sandbox on the real servers (intake, phases, the notifier and the bot):

- a practice is evaluated by three evaluators, none of its entity (the one who is, is not even suggested), and the
  decision reaches the entity with the scores;
- phases is stopped while the evaluators send their scorecards, and started again: each is kept once;
- a systematization milestone slips, and the team and the coordinators hear it once each;
- participants and promotions are recorded, a milestone is reported done, and the card shows it all;
- with a companion capacity of 1 and two companions, a third collaboration request alerts the coordinators and
  waits until one is closed, then is assigned;
- every step is announced exactly once on the phase topic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.pacing import InboundLimiter
from puente.contracts import TopicName, messages_on, parse_message
from puente.wiring.clock import SettableClock
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR
from services.intake.app import build_app as build_intake
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, read_topic, running_app, seated
from tests.integration.test_bot import TOKEN, Member, running_bot
from tests.integration.test_course import advance, deliver, propose
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

COORDINATOR, STAFF, COMPANION = 7501, 7502, 7503
EVA, ERNESTO, ELENA, OCTAVIO = 7511, 7512, 7513, 7514
PHASE_EVENTS = messages_on(TopicName.phase_events)
UNHURRIED = InboundLimiter(burst=1000, per_second=100)  # the test asks again and again while the views catch up
MEMBERS = (
    Member(COORDINATOR, "coordinator", None, "Carlos Pérez"),
    Member(STAFF, "staff", "sed", "Ana Gómez", language="en"),
    Member(COMPANION, "staff", "sed", "Camila Ruiz"),
    Member(EVA, "evaluator", "sds", "Eva Torres", "en", ("education",), ("desercion escolar",)),
    Member(ERNESTO, "evaluator", "sdm", "Ernesto Vela", "en", ("education",)),
    Member(ELENA, "evaluator", "sdis", "Elena Díaz", "es", ("social-integration",)),
    Member(OCTAVIO, "evaluator", "sed", "Octavio Ríos", "en", ("education",), ("desercion",)),
)


def city_with_capacity_one(folder: Path) -> Path:
    text = (DEFAULT_CITY_CONFIG_DIR / "bogota.toml").read_text(encoding="utf-8")
    (folder / "bogota.toml").write_text(text.replace("companion_capacity = 2", "companion_capacity = 1"),
                                        encoding="utf-8")
    return folder


async def shown(chat: Chat, message_id: int, containing: str) -> dict | None:
    """The bot's message as it reads now (buttons edit it), once it contains this text."""
    history = (await chat.control.get(f"/sandbox/chats/{chat.user}/messages")).json()["messages"]
    message = next(message for message in history if message["message_id"] == message_id)
    return message if containing in message["text"] else None


async def every_message(chat: Chat, starting: str) -> list[str]:
    history = (await chat.control.get(f"/sandbox/chats/{chat.user}/messages")).json()["messages"]
    return [message["text"] for message in history
            if message["direction"] == "bot_to_user" and (message["text"] or "").startswith(starting)]


async def answered(chat: Chat, command: str, starting: str, timeout: float = 20) -> dict:
    """Send a command until the bot's view has caught up and it answers with this text."""
    async def attempt() -> dict | None:
        await chat.send(command)
        message = await chat.next()
        return message if (message["text"] or "").startswith(starting) else None

    return await eventually(attempt, timeout=timeout, interval=0.3, message=f"{command!r} to answer {starting!r}")


async def score(evaluator: Chat, code: str, values: tuple[int, ...], comment: str) -> None:
    question = await answered(evaluator, f"/score {code} {comment}", code)
    for number, value in enumerate(values, start=1):
        asking = f"criterion {number} of 4" if evaluator.language == "en" else f"criterio {number} de 4"
        current = await eventually(lambda asking=asking: shown(evaluator, question["message_id"], asking),
                                   message=asking)
        await evaluator.press(current, str(value))
    ready = await eventually(lambda: shown(evaluator, question["message_id"], comment), message="the scorecard")
    await evaluator.press(ready, "📨 Send the scorecard" if evaluator.language == "en" else "📨 Enviar la calificación")
    await evaluator.until("I sent your scorecard" if evaluator.language == "en" else "Envié tu calificación")


async def register_request(coordinator: Chat, code: str, requester: str, place: str) -> None:
    await coordinator.send(f"/request {code}")
    await coordinator.until("A collaboration request about")
    await coordinator.send(requester)
    await coordinator.until("From where?")
    await coordinator.send(place)
    kinds = await coordinator.until("What do they want?")
    await coordinator.press(kinds, "technical assistance")
    await coordinator.until("Describe the request")
    await coordinator.send("They want to adapt the parent schools in their own schools.")
    await coordinator.until("Done, I asked for it")
    await coordinator.until(f"🌎 Registered: {requester}")


async def test_a_practice_is_evaluated_systematized_promoted_and_accompanied_from_chat(settings, tmp_path):
    clock = SettableClock(datetime.now(UTC))
    await seated(settings, (COORDINATOR, "coordinator", None), (STAFF, "staff", "sed"))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url,
                                           "city_config_dir": city_with_capacity_one(tmp_path)})
        for member in MEMBERS:  # their chats with the bot are open, as after /start
            opened = await control.post("/sandbox/users", json={"id": member.user, "first_name": member.name,
                                                                "open_chat": True})
            assert opened.status_code == 200, opened.text
        chats = {user: Chat(control, user, member.language if user not in (COORDINATOR,) else "en")
                 for user, member in ((member.user, member) for member in MEMBERS)}
        coordinator, staff, companion = chats[COORDINATOR], chats[STAFF], chats[COMPANION]
        async with running_app(build_intake(live)), running_app(build_notifier(live)), \
                running_bot(live, sandbox, members=MEMBERS, inbound_limiter=UNHURRIED):
            async with running_app(build_phases(live, clock)):
                code = await propose(staff, "/practice", "Parent schools")
                assert re.fullmatch(r"EN-\d{4}-0001", code)
                await deliver(staff, code, 1, "Application", ("document", "application.pdf"))

                # The coordinator sees the evaluators ranked with their reasons; Octavio, of the SED, is not there.
                suggestions = await answered(coordinator, f"/evaluators {code}", "Evaluators for")
                lines = suggestions["text"].splitlines()
                assert lines[1].startswith("1. Eva Torres — knows the sector; topics: desercion escolar")
                assert lines[2].startswith("2. Ernesto Vela — knows the sector")
                assert lines[3].startswith("3. Elena Díaz — no sector or topic in common")
                assert "Octavio" not in suggestions["text"]
                for button in ("☐ 1. Eva Torres", "☐ 2. Ernesto Vela", "☐ 3. Elena Díaz"):
                    await coordinator.press(suggestions, button)
                await eventually(lambda: shown(coordinator, suggestions["message_id"], "page 1"),
                                 message="the team's page")

                async def team_of_three() -> dict | None:
                    history = (await control.get(f"/sandbox/chats/{COORDINATOR}/messages")).json()["messages"]
                    message = next(m for m in history if m["message_id"] == suggestions["message_id"])
                    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
                    return message if "✅ Assign (3)" in labels else None

                await coordinator.press(await eventually(team_of_three, message="three chosen"), "✅ Assign (3)")
                await coordinator.until("Done, I asked for it")
                await coordinator.until("Done: 3 evaluators are assigned")
                for user, starting, how in ((EVA, "🧑‍⚖️ You are on the evaluation team", "/score"),
                                            (ERNESTO, "🧑‍⚖️ You are on the evaluation team", "/score"),
                                            (ELENA, "🧑‍⚖️ Estás en el equipo evaluador", "/puntuar")):
                    assert f"{how} {code}" in (await chats[user].until(starting))["text"]
                await chats[OCTAVIO].send(f"/score {code} I know this one")
                assert (await chats[OCTAVIO].next())["text"].startswith("I could not find a practice")

            # Phases is down while the evaluators score: their scorecards wait in Kafka, and are kept once.
            await score(chats[EVA], code, (5, 4, 4, 5), "Clear results and strong community ties")
            await score(chats[ERNESTO], code, (4, 4, 3, 5), "Good evidence, some gaps")
            await score(chats[ELENA], code, (5, 5, 4, 4), "Muy participativa")
            phases = build_phases(live, clock)
            async with running_app(phases):
                await chats[EVA].until("✅ Your scorecard for")
                decide = await coordinator.until("🗳", most=8)
                assert f"/decidir {code}" in decide["text"], "coordinators hear it in the city's language"
                averages = await answered(coordinator, f"/decide {code} A strong practice", code)
                assert "Relevance: 4.67" in averages["text"] and "Overall: 4.33" in averages["text"]
                await coordinator.press(averages, "🏅 Selected")
                told = await staff.until("🏅", most=8)
                assert "was selected as a good practice" in told["text"]
                assert "Relevance: 4.67" in told["text"] and "Overall: 4.33" in told["text"]
                assert "A strong practice" in told["text"]

                # Systematization starts with the city's schedule; the draft slips, and the team hears it once.
                await advance(coordinator, code, 1, 3)
                assert "Draft document" in (await staff.until("🗓 The systematization", most=8))["text"]
                clock.set(clock() + timedelta(days=32))
                phases.runtime.scheduler.wake()
                slipped_en = "⏰ The systematization of"
                await staff.until(slipped_en, most=8)
                await companion.until("⏰ La sistematización de", most=8)
                await coordinator.until("⏰ La sistematización de", most=8)
                clock.set(clock() + timedelta(days=1))
                phases.runtime.scheduler.wake()

                schedule = await answered(staff, f"/milestones {code}", "Systematization of")
                assert "⚠️ 1." in schedule["text"] and "(late)" in schedule["text"]
                await staff.press(schedule, "✅ Report “Draft document” done")
                assert "“Draft document” is done" in (await staff.until(f"✅ {code}", most=8))["text"]
                await staff.send(f"/participants {code} 0 12 3 30 4 1")
                await staff.until("Done, I asked for it", most=8)
                assert "50 participants recorded" in (await staff.until(f"✅ {code}", most=8))["text"]

                # A promotion held, and one planned.
                await staff.send(f"/promotion {code}")
                await staff.press(await staff.until("Promotion of"), "📣 Record one held")
                await staff.press(await staff.until("Which channel?"), "international event")
                await staff.until("The event")
                await staff.send("World Urban Forum")
                await staff.until("When did it take place?")
                await staff.send("2099-01-01")
                await staff.until("That date is still ahead")
                await staff.send("2026-11-05")
                await staff.until("Where?")
                await staff.send("Cairo")
                await staff.until("Write the city, a comma")
                await staff.send("Cairo, EG")
                await staff.until("How many people")
                await staff.send("120")
                await staff.until("Done, I asked for it")
                assert "international event “World Urban Forum”, 2026-11-05, Cairo, EG, audience 120" in \
                    (await staff.until("📣", most=8))["text"]
                assert "evento internacional «World Urban Forum»" in (await coordinator.until("📣", most=8))["text"]
                await staff.send(f"/promotion {code}")
                await staff.press(await staff.until("Promotion of"), "🗓 Plan")
                await staff.press(await staff.until("Which channel?"), "network")
                await staff.until("The event")
                await staff.send("Cities for Education network")
                await staff.until("By when?")
                await staff.send("2099-06-01")
                await staff.until("Done, I asked for it")
                assert "network “Cities for Education network” by 2099-06-01" in \
                    (await staff.until("📣 Planned", most=8))["text"]

                # Two companions, each holding one request at most.
                picking = await answered(staff, f"/companions {code}", "Companions of")
                await staff.press(picking, "☐ Ana Gómez")
                await staff.press(picking, "☐ Camila Ruiz")

                async def two_chosen() -> dict | None:
                    message = await shown(staff, picking["message_id"], "Companions of")
                    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
                    return message if "✅ Save (2)" in labels else None

                await staff.press(await eventually(two_chosen, message="two companions"), "✅ Save (2)")
                await staff.until("Done, I asked for it")
                await companion.until("🤝 Acompañas", most=8)

                await answered(coordinator, f"/request {code}", "A collaboration request about")
                await coordinator.send("/cancel")
                await coordinator.until("Cancelled: the request was not registered")
                await register_request(coordinator, code, "Alcaldía de Quito", "Quito, EC")
                await register_request(coordinator, code, "Municipalidad de Lima", "Lima, PE")
                assert "Alcaldía de Quito" in (await staff.until("🤝 A collaboration request for you", most=8))["text"]
                assert "Municipalidad de Lima" in (await companion.until("🤝 Una solicitud", most=8))["text"]
                await register_request(coordinator, code, "Alcaldía de Medellín", "Medellín, CO")
                alert = await coordinator.until("🚨", most=8)
                assert "Alcaldía de Medellín" in alert["text"] and "2 acompañantes" in alert["text"]

                listed = await answered(staff, "/requests", "Open collaboration requests: 3 (1 waiting")
                lines = listed["text"].splitlines()
                assert "Alcaldía de Medellín" in lines[1] and lines[1].endswith("⏳ waiting for a companion")
                [quito] = [line.split(".")[0] for line in lines[1:] if "Alcaldía de Quito" in line]
                assert [line for line in lines if "Alcaldía de Quito" in line][0].endswith("👤 Ana Gómez")
                close_buttons = [b["text"] for row in listed["reply_markup"]["inline_keyboard"] for b in row]
                assert close_buttons == [f"✔️ Close {quito}"], "Ana closes only her own request; staff assign none"
                await staff.press(listed, f"✔️ Close {quito}")
                await staff.press(await staff.until("How did the request of Alcaldía de Quito end?"),
                                  "visit hosted")
                await staff.until("Done, I asked for it")
                await staff.until("✅ The request of Alcaldía de Quito", most=8)
                medellin = await staff.until("🤝 A collaboration request for you", most=8)
                assert "Alcaldía de Medellín" in medellin["text"], "the waiting request went to the freed companion"
                await answered(coordinator, "/requests", "Open collaboration requests: 2 (0 waiting")

                card = await answered(staff, f"/view {code}", code)
                for shown_line in ("Evaluation: 3 of 3 scorecards in", "Decision: 🏅 selected (overall 4.33)",
                                   "Milestones: 1 of 4 done", "Participants in the systematization: 50",
                                   "Promotions held: 1 (international events: 1, networks: 0) · planned: 1",
                                   "Companions: 2 · open requests: 2 (0 waiting)"):
                    assert shown_line in card["text"], card["text"]

        for user, starting in ((STAFF, slipped_en), (COMPANION, "⏰ La sistematización"),
                               (COORDINATOR, "⏰ La sistematización")):
            assert len(await every_message(chats[user], starting)) == 1, f"{user} heard of the slip once"
        assert len(await every_message(coordinator, "🚨")) == 1, "the capacity alert came once"

    records = await read_topic(settings, settings.topics.phase_events, expected=27)
    events = [parse_message(record.value, PHASE_EVENTS) for record in records]
    assert len({event.event_id for event in events}) == len(events), "no event announced twice"
    assert Counter(event.type for event in events if event.type not in (
        "phase.started", "phase.completed", "deliverable.submitted")) == {
        "evaluators.assigned": 1, "scorecard.submitted": 3, "practice.decided": 1,
        "systematization.scheduled": 1, "systematization.slipped": 1, "milestone.reached": 1,
        "participants.recorded": 1, "promotion.recorded": 1, "promotion.planned": 1, "companions.named": 1,
        "collaboration.requested": 3, "collaboration.assigned": 3, "collaboration.capacity_exhausted": 1,
        "collaboration.closed": 1}
