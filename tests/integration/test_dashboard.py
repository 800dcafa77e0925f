"""The coordinators' dashboard and /informe, from chat to a real browser, on the real servers (reporting, the notifier
and the bot, through the sandbox), with Playwright driving the system's Chromium:

- staff get no sign-in link and no report; a coordinator gets both: the report as a PDF in their chat;
- without a session the dashboard shows only how to sign in; the link opens a session kept by an HttpOnly,
  SameSite=Strict cookie, and the page shows the indicators and charts; an export downloads;
- the same link a second time, and a link past its 10 minutes, are refused; the session itself expires."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright
from pydantic import SecretStr

from puente.wiring.clock import SettableClock
from services.notifier.app import build_app as build_notifier
from services.reporting.admin import import_history
from services.reporting.app import build_app as build_reporting
from telegram_sandbox.app import SandboxServer
from tests.helpers import eventually, running_app
from tests.integration.test_bot import TOKEN, Member, notifier_knows, running_bot
from tests.integration.test_onboarding import Chat
from tests.unit.test_reporting_indicators import EXAMPLE

pytestmark = pytest.mark.integration

COORDINATOR, STAFF = 7801, 7802
MEMBERS = (Member(COORDINATOR, "coordinator", None, "Carla Ruiz"), Member(STAFF, "staff", "sdm", "Sebastián Mora"))
# Debian's Chromium, as the machine's notes say it runs here: no sandbox as root, and no background connections
# (this machine's network is closed).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LINK = re.compile(r"http://\S+/panel/signin\?token=\S+")


async def link_from(chat: Chat) -> str:
    await chat.send("/panel")
    message = await chat.until("🔐")
    return LINK.search(message["text"]).group(0)


async def test_a_coordinator_signs_in_once_and_sees_the_indicators_staff_do_not(settings, tmp_path):
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (apt-get install chromium; .ci/run installs it)"
    await import_history(settings, EXAMPLE, progress=False)
    clock = SettableClock(datetime.now(UTC))
    async with SandboxServer(TOKEN) as sandbox, httpx.AsyncClient(base_url=sandbox.base_url, timeout=40) as control:
        for member in MEMBERS:
            opened = await control.post("/sandbox/users", json={"id": member.user, "first_name": member.name,
                                                                "open_chat": True})
            assert opened.status_code == 200, opened.text
        coordinator, staff = Chat(control, COORDINATOR, "es"), Chat(control, STAFF, "es")
        reporting = build_reporting(settings, clock)
        async with running_app(reporting) as port:
            dashboard = f"http://127.0.0.1:{port}"
            live = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN),
                                               "telegram_api_url": sandbox.bot_api_base_url,
                                               "reporting_url": dashboard, "dashboard_url": dashboard})
            async with running_app(build_notifier(live, clock)), running_bot(live, sandbox, members=MEMBERS):
                await eventually(lambda: reporting.runtime.database.readers.count_documents({}),
                                 message="reporting to know the members")
                await notifier_knows(live, COORDINATOR, STAFF)
                # Staff get neither a link nor a report.
                for command in ("/panel", "/informe"):
                    await staff.send(command)
                    assert (await staff.until("Eso lo hacen solo"))["text"] == (
                        "Eso lo hacen solo la coordinación y la administración del programa.")

                # The coordinator's report comes back as a PDF with its summary.
                await coordinator.send("/informe")
                await coordinator.until("📊 Estoy preparando el informe")
                # (The welcome comes to the coordinator's chat too.)
                report = await coordinator.next()
                while not (report.get("caption") or "").startswith("📊 Informe del programa de buenas prácticas al "):
                    report = await coordinator.next()
                assert report["document"]["file_name"].endswith(".pdf") and report["document"]["file_size"] > 10_000

                link = await link_from(coordinator)
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                    try:
                        await _walk_the_dashboard(browser, dashboard, link, coordinator, clock)
                    finally:
                        await browser.close()


async def _walk_the_dashboard(browser, dashboard: str, link: str, coordinator: Chat, clock: SettableClock) -> None:
    # Without a session: only how to sign in.
    stranger = await browser.new_page()
    await stranger.goto(f"{dashboard}/panel")
    assert "escribe /panel al bot" in await stranger.inner_text("#sign-in")
    assert await stranger.locator("#status").count() == 0 and await stranger.locator("img").count() == 0

    # The link shows a button (opening it changes nothing, as a link preview would); the button signs in: the
    # session cookie is HttpOnly and SameSite=Strict, and the page shows the program.
    preview = await browser.new_page()
    await preview.goto(link)
    assert await preview.inner_text("#enter") == "Entrar al panel"
    context = await browser.new_context(accept_downloads=True)
    page = await context.new_page()
    await page.goto(link)
    await page.click("#enter")
    assert page.url == f"{dashboard}/panel"
    assert (await page.inner_text("#status")).startswith("Compartidas 0 de 20 buenas prácticas")
    text = await page.inner_text("body")
    assert "Buenas prácticas implementadas" in text and "Bogotá Enseña" in text
    assert await page.locator("img[alt='Metas de la administración']").count() == 1
    [cookie] = await context.cookies()
    assert (cookie["name"], cookie["httpOnly"], cookie["sameSite"]) == ("puente_panel", True, "Strict")

    # The administration of the history: its figures, and an export of its items.
    await page.click("text=Plan Distrital de Desarrollo 2016-2019")
    assert (await page.inner_text("#status")).startswith("Compartidas 1 de 20 buenas prácticas (5 %) y 5 de 48")
    async with page.expect_download() as waiting:
        await page.click("#exports tr:has-text('Ítems') >> text=CSV")
    download = await waiting.value
    rows = (await download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("item_id,reference,line,entity,sector,title") and len(rows) == 1 + 5
    await page.click("#other-language")
    assert (await page.inner_text("h1")) == "Best Practices Program coordination dashboard"

    # The same link again, in another browser: refused, and it shows nothing; so is the preview's button now.
    again = await browser.new_page()
    response = await again.goto(link)
    assert response.status == 403 and "ya se usó, venció" in await again.inner_text("#sign-in")
    await preview.click("#enter")
    assert "ya se usó, venció" in await preview.inner_text("#sign-in")

    # A new link, used after its 10 minutes: refused.
    late_link = await link_from(coordinator)
    clock.set(datetime.now(UTC) + timedelta(minutes=11))  # the bot signed it by the real time
    late = await browser.new_page()
    assert (await late.goto(late_link)).status == 403

    # The session ends on its own after 8 hours.
    clock.set(datetime.now(UTC) + timedelta(hours=8, minutes=1))
    await page.goto(f"{dashboard}/panel")
    assert await page.locator("#status").count() == 0 and await page.locator("#sign-in").count() == 1
