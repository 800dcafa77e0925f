"""Bogotá Aprende from chat, through the sandbox on the real servers (intake, phases, the notifier and the bot):

- Bogotá's catalogue file is loaded twice: one copy of each entry, each announced once; a coordinator adds an expert
  from chat and corrects it;
- an exchange about cycling mobility gets the catalogue's cycling practice and a mobility expert first, with their
  reasons, and the coordinator shortlists them;
- its record gets a plan, experts, allies, a budget line co-funded by an ally, a logistics owner and participants
  by type, and shows them;
- its survey is answered anonymously from three accounts, a second answer from one of them is refused, and the low
  average reaches the coordinators;
- its commitments fall due and are reminded; one is answered from the reminder's button, the other is escalated;
- every step is announced exactly once on the phase topic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from bot.conversations.suggest import clipped
from bot.pacing import InboundLimiter
from puente.contracts import TopicName, messages_on, parse_message
from puente.wiring.city import load_city_config
from puente.wiring.clock import SettableClock
from puente.wiring.settings import DEFAULT_CITY_CONFIG_DIR, Settings
from services.intake.admin import load_catalogue_from_command_line
from services.intake.app import build_app as build_intake
from services.intake.catalogue import catalogue_path
from services.notifier.app import build_app as build_notifier
from services.phases.app import build_app as build_phases
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, read_topic, running_app, seated, service_runtime
from tests.integration.test_bot import TOKEN, Member, running_bot
from tests.integration.test_course import advance, deliver_phase, record_button, record_plan
from tests.integration.test_ensena import answered
from tests.integration.test_onboarding import Chat

pytestmark = pytest.mark.integration

COORDINATOR, STAFF, OWNER = 7601, 7602, 7603
RESPONDENTS = (7611, 7612, 7613)
UNHURRIED = InboundLimiter(burst=1000, per_second=100)
MEMBERS = (Member(COORDINATOR, "coordinator", None, "Carla Ruiz", language="en"),
           Member(STAFF, "staff", "sdm", "Sebastián Mora", language="en"),
           Member(OWNER, "staff", "sdm", "Olga Pinto", language="es"))
PHASE_EVENTS = messages_on(TopicName.phase_events)
ITEM_EVENTS = messages_on(TopicName.item_events)
BOGOTA = catalogue_path(DEFAULT_CITY_CONFIG_DIR, "bogota")
DUTCH = "Programa Asesores Holandeses (Dutch Advisors Programme)"


def due_week(today: date) -> date:
    """A Thursday at least a week ahead whose Monday to Friday are all working days in Bogotá: the reminders run
    from the Monday (due in three days) to the Friday (a day late)."""
    calendar = load_city_config(Settings()).calendar
    day = today + timedelta(days=7)
    while day.weekday() != 3 or not all(calendar.is_working_day(day + timedelta(days=offset))
                                        for offset in range(-3, 2)):
        day += timedelta(days=1)
    return day


async def propose_cycling(staff: Chat) -> str:
    await staff.send("/propose")
    await staff.until("Type a short title")
    await staff.send("Safe cycling routes")
    await staff.until("Describe")
    await staff.send("Queremos aprender de ciudades donde el ciclismo urbano es seguro y masivo, con ciclorrutas "
                     "y bicicletas en la movilidad diaria.")
    registered = (await staff.until("✅ Your proposal"))["text"]
    return re.search(r"AP-\d{4}-\d{4}", registered).group(0)


async def answer_survey(respondent: Chat, code: str, ratings: tuple[int, ...], comment: str | None) -> None:
    await respondent.send(f"/start survey-{code}")
    await respondent.until("📊 Thank you for answering")
    for number, rating in enumerate(ratings, start=1):
        question = await respondent.until(f"{number}/4.")
        await respondent.press(question, str(rating))
    ask = await respondent.until("Any comment?")
    if comment is None:
        await respondent.press(ask, "Finish without a comment")
    else:
        await respondent.send(comment)
    await respondent.until("Thank you! Your answer was recorded anonymously.")


async def test_an_exchange_is_matched_recorded_surveyed_and_followed_up_from_chat(settings):
    clock = SettableClock(datetime.now(UTC))
    await seated(settings, (COORDINATOR, "coordinator", None), (STAFF, "staff", "sdm"))

    # The catalogue, loaded twice before intake runs: the second load changes nothing.
    first = await load_catalogue_from_command_line(settings, BOGOTA)
    second = await load_catalogue_from_command_line(settings, BOGOTA)
    assert first.outcomes == {"applied": 24, "ignored": 0, "kept": 0, "rejected": 0} and first.refused == []
    assert second.outcomes == {"applied": 0, "ignored": 24, "kept": 0, "rejected": 0}
    async with service_runtime("intake", settings) as intake_runtime:
        assert await intake_runtime.database["catalogue"].count_documents({}) == 24

    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                           "telegram_api_url": sandbox.bot_api_base_url})
        for user in (*[member.user for member in MEMBERS], *RESPONDENTS):
            opened = await control.post("/sandbox/users", json={"id": user, "first_name": f"P{user}",
                                                                "open_chat": True})
            assert opened.status_code == 200, opened.text
        coordinator, staff, owner = Chat(control, COORDINATOR, "en"), Chat(control, STAFF, "en"), \
            Chat(control, OWNER, "es")
        phases, notifier = build_phases(live, clock), build_notifier(live, clock)
        async with running_app(build_intake(live)), running_app(phases), running_app(notifier), \
                running_bot(live, sandbox, members=MEMBERS, inbound_limiter=UNHURRIED):
            catalogue = [parse_message(record.value, ITEM_EVENTS)
                         for record in await read_topic(settings, settings.topics.item_events, expected=24)]
            assert Counter(event.type for event in catalogue) == {"catalogue.entry_recorded": 24}

            # A coordinator adds an expert from chat, field by field, and corrects one field; staff only read.
            await coordinator.send("/catalogue")
            await coordinator.press(await coordinator.until("📚 The exchanges' catalogue"), "➕ Expert")
            await coordinator.until("Let us add an expert")
            for asked, answer in (("Name:", "Rosa Ortega"), ("Organisation:", "Universidad de Chile")):
                await coordinator.until(asked)
                await coordinator.send(answer)
            await coordinator.press(await coordinator.until("Type of organisation:"), "academia")
            await coordinator.until("Country: the two-letter code")
            await coordinator.send("Chile")
            await coordinator.until("Type the country's two-letter code")
            for asked, answer in (("", "CL"), ("Topics:", "ciclismo urbano, movilidad"), ("Languages:", "es, en"),
                                  ("Fee expectations:", "-")):
                if asked:
                    await coordinator.until(asked)
                await coordinator.send(answer)
            await coordinator.until("Done, I asked for it")
            await coordinator.until("📚 “Rosa Ortega” is in the catalogue.", most=8)
            await coordinator.send("/catalogue")
            await coordinator.press(await coordinator.until("📚 The exchanges' catalogue"), "Experts (9)")
            experts = await coordinator.until("Experts (9) — page 1 of 2")
            assert "7. Rosa Ortega — Universidad de Chile (academia), CL · ciclismo urbano, movilidad" in \
                experts["text"]
            await coordinator.press(experts, "✏️ 7")
            await coordinator.press(await coordinator.until("Which field of “Rosa Ortega”"), "Country")
            await coordinator.until("Country: the two-letter code")
            await coordinator.send("ar")
            await coordinator.until("Done, I asked for it")
            await coordinator.until("📚 “Rosa Ortega” is corrected in the catalogue.", most=8)
            await staff.send("/catalogue")
            listing = await staff.until("📚 The exchanges' catalogue")
            assert [row[0]["text"] for row in listing["reply_markup"]["inline_keyboard"]] == [
                "International practices (8)", "Experts (9)", "Strategic allies (8)"], "no ➕ for staff"

            code = await propose_cycling(staff)
            await staff.send(f"/edit {code}")
            await staff.press(await staff.until(f"What do you want to change in {code}"), "Countries of interest")
            await staff.until("Type the two-letter codes")
            await staff.send("dk, NL")
            await staff.until("I received the change.")
            await deliver_phase(staff, code, 1)
            await advance(coordinator, code, 1, 6)

            # Matching: the cycling practice and the mobility expert come first, each with its reasons.
            async def with_countries() -> dict | None:
                message = await answered(coordinator, f"/matches {code}", "🔎 Suggestions for")
                return message if "a country of interest (DK)" in message["text"] else None

            suggestions = await eventually(with_countries, timeout=20, interval=0.3, message="the countries")
            lines = suggestions["text"].splitlines()
            practice = lines[lines.index("International practices:") + 1]
            assert practice.startswith("P1. Supercykelstier: autopistas para bicicletas (DK) — same sector "
                                       "(Mobility); words in common: ")
            assert "ciclismo" in practice and practice.endswith("a country of interest (DK)")
            expert = lines[lines.index("Experts:") + 1]
            assert expert.startswith("E1. Mette Jensen (DK) — words in common: ") and "ciclismo" in expert
            await coordinator.press(suggestions, "☐ P1")
            await coordinator.press(suggestions, "☐ E1")

            async def two_chosen() -> dict | None:
                history = (await control.get(f"/sandbox/chats/{COORDINATOR}/messages")).json()["messages"]
                message = next(m for m in history if m["message_id"] == suggestions["message_id"])
                labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
                return message if "💾 Keep the shortlist (2)" in labels else None

            await coordinator.press(await eventually(two_chosen, message="two chosen"), "💾 Keep the shortlist (2)")
            await coordinator.until("Done, I asked for it")
            shortlist = (await staff.until("🔎 Shortlist of", most=8))["text"]
            assert "• Supercykelstier: autopistas para bicicletas — same sector (Mobility)" in shortlist
            assert "• Mette Jensen — words in common" in shortlist

            await deliver_phase(staff, code, 2)
            await advance(coordinator, code, 2, 6)

            # The record: allies, experts, a co-funded budget line, a logistics owner and the plan.
            await record_button(staff, code, "🤝 Allies", "design")
            allies = await staff.until("Mark the exchange's allies")
            await staff.press(allies, f"☐ {clipped(DUTCH, 50)}")
            await eventually(lambda: labelled(control, STAFF, allies["message_id"], "✅ Save (1)"),
                             message="the ally marked")
            await staff.press(await labelled(control, STAFF, allies["message_id"], "✅ Save (1)"), "✅ Save (1)")
            assert "record updated (allies)" in (await staff.until(f"✅ {code}", most=8))["text"]
            await record_button(staff, code, "🧑‍🏫 Experts", "design")
            experts = await staff.until("Mark the experts who take part")
            await staff.press(experts, "☐ Mette Jensen")
            await eventually(lambda: labelled(control, STAFF, experts["message_id"], "✅ Save (1)"),
                             message="the expert marked")
            await staff.press(await labelled(control, STAFF, experts["message_id"], "✅ Save (1)"), "✅ Save (1)")
            assert "record updated (experts)" in (await staff.until(f"✅ {code}", most=8))["text"]

            async def budget_line(concept: str, amount: str, currency: str, payer: str) -> None:
                await record_button(staff, code, "💰 Budget", "design")
                await staff.press(await staff.until("💰 Budget"), "➕ Add a line")
                await staff.until("The line's concept?")
                await staff.send(concept)
                await staff.until("Amount?")
                await staff.send("-20")
                await staff.until("The amount must be 0 or more")  # a negative amount is refused
                await staff.send(amount)
                await staff.press(await staff.until("Currency?"), currency)
                await staff.press(await staff.until("Who pays it?"), payer)
                await staff.until("Done, I asked for it")
                assert "record updated (budget)" in (await staff.until(f"✅ {code}", most=8))["text"]

            await budget_line("Expert fees", "4,500.50", "EUR", clipped(DUTCH, 50))
            await budget_line("Venue and catering", "12,000,000", "COP", "Program")

            await record_button(staff, code, "🧳 Logistics", "design")
            await staff.press(await staff.until("Which logistics task?"), "Travel")
            await staff.press(await staff.until("Who takes care of “Travel”?"), "Olga Pinto")
            assert (await owner.until("🧳 Te encargas de «Viajes»", most=8))["text"].endswith(f"/expediente {code}")
            assert "record updated (logistics)" in (await staff.until(f"✅ {code}", most=8))["text"]
            await record_plan(staff, code, "Study visit", "2099-03-15 2099-03-19", "Copenhagen, DK")

            async def whole_record() -> str | None:
                await staff.send(f"/record {code}")
                text = (await staff.until("📁 Record of", most=8))["text"]
                return text if "Travel: Olga Pinto" in text and "COP" in text else None

            record = await eventually(whole_record, timeout=20, interval=0.3, message="the whole record")
            assert "🗓 Study visit, from 2099-03-15 to 2099-03-19, in Copenhagen, DK" in record
            assert "🧑‍🏫 Experts: Mette Jensen" in record and f"🤝 Allies: {DUTCH}" in record
            assert f"1. Expert fees — 4,500.50 EUR — {DUTCH}" in record
            assert "Total 4,500.50 EUR: program 0.00 EUR, allies 4,500.50 EUR" in record
            assert "Total 12,000,000.00 COP: program 12,000,000.00 COP, allies 0.00 COP" in record
            assert "• Supercykelstier: autopistas para bicicletas — same sector (Mobility)" in record
            await advance(coordinator, code, 3, 6)
            await deliver_phase(staff, code, 4)
            record = await eventually(whole_record, timeout=20, interval=0.3, message="the record")
            assert "👥 39 participants: " in record and "public sector, local: 30" in record

            # The survey opens as the exchange phase completes; three accounts answer, one twice.
            await advance(coordinator, code, 4, 6)
            assert f"/survey {code}" in (await staff.until("📊 The survey of", most=8))["text"]
            results = await answered(staff, f"/survey {code}", "📊 Survey of")
            survey_code = re.search(r"start=survey-([A-Z2-7]{8})", results["text"]).group(1)
            respondents = [Chat(control, user, "en") for user in RESPONDENTS]
            await answer_survey(respondents[0], survey_code, (2, 2, 1, 2), "The interpretation failed.")
            await answer_survey(respondents[1], survey_code, (3, 2, 2, 2), None)
            await answer_survey(respondents[2], survey_code, (2, 3, 2, 2), "Too short.")
            await respondents[0].send(f"/start survey-{survey_code}")
            await respondents[0].until("You already answered this survey from this account")
            low = (await coordinator.until("⚠️ La encuesta de", most=8))["text"]
            assert "promedia 2,08 con 3 respuestas" in low

            async def three_answers() -> str | None:
                text = (await answered(staff, f"/survey {code}", "📊 Survey of"))["text"]
                return text if "Answers: 3" in text else None

            results = await eventually(three_answers, timeout=20, interval=0.3, message="three answers")
            assert "Overall average: 2.08" in results and "💬 Too short." in results

            # The action plan: two commitments, due on a Thursday with working days around it.
            await deliver_phase(staff, code, 5)  # the action plan's document; the commitments come before advancing
            due = due_week(datetime.now(ZoneInfo("America/Bogota")).date())
            for action, owner_name in (("Design the school cycling network", "Olga Pinto"),
                                       ("Train the school principals", "Sebastián Mora")):
                await staff.send(f"/commitment {code}")
                await staff.until("New commitment for", most=8)
                await staff.send(action)
                await staff.press(await staff.until("Who owns it?"), owner_name)
                await staff.until("By what date?")
                await staff.send(due.isoformat())
                await staff.until("Which indicator")
                await staff.send("Schools reached")
                await staff.until("What is that indicator's target?")
                await staff.send("40 schools")
                await staff.until("Done, I asked for it")
            owned = (await owner.until("📌 Eres responsable del compromiso 1", most=8))["text"]
            assert "Design the school cycling network" in owned
            await staff.until("📌 You own commitment 2", most=8)

            async def morning(day: date) -> None:
                """Phases' scan (06:00) and the reminders (08:00) of one day, in Bogotá."""
                bogota = ZoneInfo("America/Bogota")
                clock.set(datetime.combine(day, time(6, 30), bogota).astimezone(UTC))
                phases.runtime.scheduler.wake()
                await eventually(lambda: reminders_of(notifier, day, due), timeout=20, message=f"{day}'s reminders")
                clock.set(datetime.combine(day, time(8, 30), bogota).astimezone(UTC))
                notifier.runtime.scheduler.wake()

            await morning(due - timedelta(days=3))
            reminder = await owner.until("⏰ Recordatorio", most=8)
            assert "compromiso 1 (Design the school cycling network)" in reminder["text"]
            await owner.press(reminder, f"📝 {code} #1")
            progress = await owner.until(f"{code} «Safe cycling routes»")
            await owner.press(progress, "✅ Cumplido")
            await owner.until("Listo, lo pedí")
            assert "cumplido, 100 %" in (await owner.until("📝 Compromiso 1", most=8))["text"]
            await staff.until("⏰ Reminder", most=8)
            for days in (2, 1, 0, -1):
                await morning(due - timedelta(days=days))
                await staff.until("⏰ Reminder", most=8)
            escalated = (await coordinator.until("🚨 El responsable del compromiso 2", most=10))["text"]
            assert f"/compromisos {code}" in escalated
            listed = await answered(staff, f"/commitments {code}", "📋 Action plan of")
            assert "✅ 1. Design the school cycling network — Olga Pinto" in listed["text"]
            assert "⏳ 2. Train the school principals — Sebastián Mora" in listed["text"]

    records = await read_topic(settings, settings.topics.phase_events, expected=33)
    counts = Counter(parse_message(record.value, PHASE_EVENTS).type for record in records)
    assert {kind: counts[kind] for kind in (
        "shortlist.recorded", "allies.recorded", "experts.recorded", "budget_line.added", "logistics.assigned",
        "exchange.planned", "exchange_participants.recorded", "survey.requested", "survey.submitted",
        "survey.scored_low", "commitment.recorded", "commitment.due", "commitment.updated",
        "commitment.overdue")} == {
        "shortlist.recorded": 1, "allies.recorded": 1, "experts.recorded": 1, "budget_line.added": 2,
        "logistics.assigned": 1, "exchange.planned": 1, "exchange_participants.recorded": 1,
        "survey.requested": 1, "survey.submitted": 3, "survey.scored_low": 1, "commitment.recorded": 2,
        "commitment.due": 2, "commitment.updated": 1, "commitment.overdue": 1}
    assert counts["command.rejected"] == 0 and len(records) == 33, f"nothing announced twice: {counts}"


async def labelled(control: httpx.AsyncClient, user: int, message_id: int, label: str) -> dict | None:
    """The bot's message as it reads now (buttons edit it), once one of its buttons has this label."""
    history = (await control.get(f"/sandbox/chats/{user}/messages")).json()["messages"]
    message = next(message for message in history if message["message_id"] == message_id)
    labels = [button["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
              for button in row]
    return message if label in labels else None


async def reminders_of(notifier, day: date, due: date) -> bool:
    """The notifier has the commitments on its lists for this day (after the scan's events reached it)."""
    kept = await notifier.runtime.database["reminders"].find({"kind": "commitment"}).to_list()
    if day < due:
        return len(kept) >= (2 if day == due - timedelta(days=3) else 1)
    return bool(kept)
