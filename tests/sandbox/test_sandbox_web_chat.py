"""The web chat shows the bot's commands as soon as the page opens (not only once a chat is opened), and the
page declares its icon, so a browser does not ask for a /favicon.ico (which is served anyway)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import eventually

# Runs the page's own script in Node with a minimal stand-in for the browser's DOM, against the real sandbox: the
# page must fetch the bot's commands by itself, without anyone opening a chat, and list them.
PAGE_IN_NODE = r"""
const base = process.argv[process.argv.length - 1];  // the sandbox; the address opened comes before it
const script = require("fs").readFileSync(0, "utf8");
const elements = new Map();
function element(id) {
  return {
    id, value: "", textContent: "", disabled: false, children: [], style: {}, classList: { add() {} },
    listeners: {},
    addEventListener(type, listener) { this.listeners[type] = listener; },
    replaceChildren(...children) { this.children = children; },
    append(...children) { this.children.push(...children); },
    set innerHTML(html) { this.children = [{ textContent: html.replace(/<[^>]+>/g, "") }]; },
    focus() {}, querySelector() { return element("inner"); },
  };
}
global.document = {
  getElementById(id) { if (!elements.has(id)) elements.set(id, element(id)); return elements.get(id); },
  createElement(tag) { return element(tag); },
};
global.localStorage = { getItem() { return null; }, setItem() {} };
global.window = { alert() {}, open() {} };
// The address the page was opened at: a deep link when the test passes one after the base URL.
const opened = new URL(process.argv[process.argv.length - 2] || "/", "http://page");
global.location = { search: opened.search, pathname: opened.pathname };
global.history = { replaceState(state, title, url) { console.log(`ADDRESS ${url}`); } };
const realFetch = fetch;
const asked = [];
global.fetch = async (path, options) => {
  const response = await realFetch(base + path, options);
  asked.push(path);
  console.log(`ASKED ${path}`);  // once the sandbox has answered
  return response;
};
eval(script);
const started = Date.now();
(function report() {
  const list = document.getElementById("commands").children;
  const texts = list.map((item) => item.children ? item.children.map((c) => c.textContent).join("") : item.textContent);
  if (texts.some((text) => text.startsWith("/")) || Date.now() - started > 10000) {
    console.log(`RESULT ${JSON.stringify({ asked, commands: texts })}`);
    process.exit(0);
  }
  setTimeout(report, 20);
})();
"""


def page_script(page: str) -> str:
    return re.search(r"<script>(.*)</script>", page, re.DOTALL).group(1)


class PageInNode:
    """The page's script running in Node against the sandbox at `base_url`; its lines read one by one."""

    def __init__(self, base_url: str, script: str, address: str = "/") -> None:
        self.base_url, self.script, self.address = base_url, script, address
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> PageInNode:
        node = shutil.which("node")
        assert node, "Node.js runs the page's script in this test"
        self.process = await asyncio.create_subprocess_exec(
            node, "-e", PAGE_IN_NODE, self.address, self.base_url,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        self.process.stdin.write(self.script.encode())
        self.process.stdin.close()
        return self

    async def next_line(self, prefix: str) -> str:
        """The next line that starts with `prefix`, without it."""
        async with asyncio.timeout(30):
            while line := (await self.process.stdout.readline()).decode():
                if line.startswith(prefix):
                    return line[len(prefix):].strip()
        raise AssertionError(f"the page's script ended without a line starting with {prefix!r}")

    async def result(self) -> dict:
        return json.loads(await self.next_line("RESULT "))

    async def __aexit__(self, *exc_info: object) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()


@pytest.mark.asyncio
async def test_the_page_declares_its_icon_and_the_icon_is_served(control):
    page = (await control.get("/")).text
    head = page[: page.index("</head>")]
    assert re.search(r'<link rel="icon" href="data:image/svg\+xml,', head), "declared inline: no request for it"
    icon = await control.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml") and "<svg" in icon.text


@pytest.mark.asyncio
async def test_the_page_lists_the_bots_commands_without_a_chat_being_opened(sandbox, control, bot):
    await bot.set_my_commands([("start", "Empezar"), ("proponer", "Proponer un intercambio")])
    async with PageInNode(sandbox.base_url, page_script((await control.get("/")).text)) as page:
        result = await page.result()
    assert result["commands"] == ["/start — Empezar", "/proponer — Proponer un intercambio"]
    assert not any(path.startswith("/sandbox/users") for path in result["asked"]), "no chat was opened"


@pytest.mark.asyncio
async def test_the_page_keeps_asking_until_the_bot_has_published_its_commands(sandbox, control, bot):
    async with PageInNode(sandbox.base_url, page_script((await control.get("/")).text)) as page:
        assert (await page.next_line("ASKED ")).startswith("/sandbox/bot")  # and found none: no bot yet
        await bot.set_my_commands([("start", "Empezar")])  # the bot starts
        result = await page.result()
    assert result["commands"] == ["/start — Empezar"]


@pytest.mark.asyncio
async def test_commands_follow_the_chosen_language_and_fall_back_to_the_default_list(control, bot):
    await bot.set_my_commands([("start", "Empezar"), ("proponer", "Proponer")])
    await bot.set_my_commands([("start", "Start"), ("propose", "Propose")], language_code="en")
    english = (await control.get("/sandbox/bot", params={"language_code": "en"})).json()["commands"]
    assert [command["command"] for command in english] == ["start", "propose"]
    catalan = (await control.get("/sandbox/bot", params={"language_code": "ca"})).json()["commands"]
    assert [command["command"] for command in catalan] == ["start", "proponer"]
    assert (await control.get("/sandbox/bot")).json()["commands"] == catalan


def test_the_page_has_no_placeholder_saying_the_bot_has_no_commands():
    page = (Path(__file__).resolve().parents[2] / "telegram_sandbox" / "static" / "chat.html").read_text()
    assert "(ninguno · none)" not in page


@pytest.mark.asyncio
async def test_a_deep_link_opens_the_chat_as_the_user_and_sends_start_with_the_code_once(sandbox, control, bot):
    script = page_script((await control.get("/")).text)
    async with PageInNode(sandbox.base_url, script, "/?start=K7QXM4PT9WAB&user=9101") as page:
        assert await page.next_line("ADDRESS ") == "/", "the code leaves the address, so a reload does not resend it"

        async def sent() -> list[str]:
            history = (await control.get("/sandbox/chats/9101/messages")).json()["messages"]
            return [message["text"] for message in history]

        assert await eventually(sent, timeout=10, message="the page's /start") == ["/start K7QXM4PT9WAB"]
    await bot.set_my_commands([("start", "Empezar")])  # so the next page reports (and ends) at once
    async with PageInNode(sandbox.base_url, script, "/?start=<script>&user=9102") as page:
        await page.result()
    assert (await control.get("/sandbox/chats/9102/messages")).status_code == 404, "a malformed link does nothing"
