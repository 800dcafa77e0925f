"""`make run` (`puente run`) brings the whole system up: a person in the web chat's sandbox proposes an exchange
and hears back from the notifier; one Ctrl-C stops every process, the servers included.

What a person at a terminal reads is checked too: one "ready" block, the web chat first, printed only once every
/healthz answers; no error line on a clean start; the sandbox's lines in the services' format; no colour codes in
a file; nothing said about fetching when nothing is fetched."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from puente.local.infra import WORK_DIR
from puente.local.processes import free_port, port_is_open
from tests.helpers import eventually

pytestmark = pytest.mark.integration


async def say(control: httpx.AsyncClient, user_id: int, text: str) -> str:
    sent = (await control.post("/sandbox/messages", json={"user_id": user_id, "text": text, "first_name": "Ana",
                                                          "language_code": "es"})).json()
    answer = await control.get(f"/sandbox/chats/{user_id}/next_bot_message",
                               params={"after_message_id": sent["message"]["message_id"], "timeout": 30})
    assert answer.status_code == 200, f"no answer to {text!r}"
    return answer.json()["message"]["text"]


async def test_make_run_serves_a_person_end_to_end_and_one_ctrl_c_stops_everything(tmp_path):
    instance = f"test-run-{uuid.uuid4().hex[:8]}"
    base = free_port(consecutive=6)
    sandbox_port = free_port()
    environment = {
        **os.environ,
        "PUENTE_RUN_INSTANCE": instance,
        "PUENTE_LOCAL_KAFKA_PORT": str(free_port()),
        "PUENTE_LOCAL_MONGO_PORT": str(free_port()),
        "PUENTE_RUN_HTTP_PORT_BASE": str(base),
        "PUENTE_TELEGRAM_SANDBOX_PORT": str(sandbox_port),
        "PUENTE_LOG_LEVEL": "INFO",  # what a person sees by default
    }
    for name in ("PUENTE_TELEGRAM_BOT_TOKEN", "PUENTE_LOG_FORMAT", "NO_COLOR", "FORCE_COLOR"):
        environment.pop(name, None)
    log = tmp_path / "run.log"
    run = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "puente.cli", "run", env=environment, stdout=log.open("wb"),
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            async def ready_said() -> bool:
                assert run.returncode is None, "puente run exited:\n" + log.read_text(errors="replace")[-3000:]
                return "puente run: ready" in log.read_text(errors="replace")

            await eventually(ready_said, timeout=180, interval=0.1, message="the ready block")
            # Once said, everything answers already: each child's /healthz and the web chat.
            health = [f"http://127.0.0.1:{base + offset}/healthz" for offset in range(1, 6)]
            for url in [*health, f"http://127.0.0.1:{sandbox_port}/healthz"]:
                assert (await http.get(url)).status_code == 200, url
            web_chat = await http.get(f"http://127.0.0.1:{sandbox_port}/")
            assert web_chat.status_code == 200 and "<html" in web_chat.text.lower()
            assert (await http.get(f"http://127.0.0.1:{sandbox_port}/favicon.ico")).status_code == 200
            bot_commands = (await http.get(f"http://127.0.0.1:{sandbox_port}/sandbox/bot")).json()["commands"]
            assert "proponer" in [command["command"] for command in bot_commands], "the web chat lists them"

            lines = log.read_text(errors="replace").splitlines()
            ready = next(i for i, line in enumerate(lines) if line.startswith("puente run: ready"))
            assert f"http://127.0.0.1:{sandbox_port}/" in lines[ready + 1] and "web chat" in lines[ready + 1]
            assert f"http://127.0.0.1:{base + 4}/panel" in lines[ready + 2] and "dashboard" in lines[ready + 2]
            assert [url for url in health if any(url in line for line in lines[ready + 3:ready + 8])] == health
            bot_listening = f"Uvicorn running on http://127.0.0.1:{base + 5}"
            assert any(bot_listening in line for line in lines[:ready]), "the bot's server started before"
            assert not any("http://" in line for line in lines[:ready] if line.startswith("puente run:")), \
                "no address is given before the system is ready"

            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{sandbox_port}", timeout=40) as control:
                assert "solo a las personas invitadas" in await say(control, 777, "/start")
                # The README's first step: invite yourself from the command line, then open the link.
                invite = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "puente.cli", "admin", "invite", "--role", "staff", "--entity", "sed",
                    "--name", "Ana Gómez", stdout=asyncio.subprocess.PIPE, env={
                        **environment,
                        "PUENTE_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{environment['PUENTE_LOCAL_KAFKA_PORT']}",
                        "PUENTE_MONGO_URI": f"mongodb://127.0.0.1:{environment['PUENTE_LOCAL_MONGO_PORT']}/"
                                            "?retryWrites=false&directConnection=true"})
                printed = (await invite.communicate())[0].decode()
                assert invite.returncode == 0, printed
                web_chat_link = re.search(rf"http://127\.0\.0\.1:{sandbox_port}/\?start=([A-Z0-9]{{12}})", printed)
                assert web_chat_link and "https://t.me/" in printed, printed
                assert await say(control, 777, f"/start {web_chat_link.group(1)}") == (
                    "Estoy revisando tu código de invitación…")
                welcome = await control.get("/sandbox/chats/777/next_bot_message", params={"timeout": 60})
                assert welcome.json()["message"]["text"].startswith("👋 ¡Te damos la bienvenida, Ana Gómez!")

                async def asks_for_the_title() -> bool:  # the bot's view of the directory follows the events
                    return "título" in await say(control, 777, "/proponer")

                await eventually(asks_for_the_title, timeout=30, interval=0.5, message="the bot to know Ana")
                assert "reto institucional" in await say(control, 777, "Aulas abiertas")
                assert "Recibí tu propuesta" in await say(control, 777, "Reducir la deserción escolar rural")
                registered = await control.get("/sandbox/chats/777/next_bot_message",
                                               params={"timeout": 60})
                assert registered.json()["message"]["text"].startswith(
                    f"✅ Tu propuesta {this_years_first()} «Aulas abiertas»")

                async def listed() -> str | None:  # the bot's own view follows the events it reads
                    answer = await say(control, 777, "/mis")
                    return answer if f"{this_years_first()} «Aulas abiertas» · Bogotá Aprende" in answer else None

                mine = await eventually(listed, timeout=30, interval=0.5, message="/mis to list the proposal")
                assert mine.startswith(
                    "Intercambios y prácticas de Secretaría Distrital de Educación (1), página 1 de 1:")
                assert "Fase 1 de 6: Demanda y anclaje · vence el" in mine
    finally:
        if run.returncode is None:
            run.send_signal(signal.SIGINT)
        exit_code = await asyncio.wait_for(run.wait(), timeout=120)
        output = log.read_text(errors="replace")
        stopped = not any(port_is_open(base + offset) for offset in range(1, 6)) and not port_is_open(sandbox_port)
        servers_stopped = not port_is_open(int(environment["PUENTE_LOCAL_KAFKA_PORT"])) and \
            not port_is_open(int(environment["PUENTE_LOCAL_MONGO_PORT"]))
        shutil.rmtree(WORK_DIR / instance, ignore_errors=True)
    assert exit_code == 0, output[-3000:]
    assert stopped, "every service and the sandbox stopped"
    assert servers_stopped, "Kafka and the MongoDB-compatible server stopped"
    assert "stopping Kafka and the MongoDB-compatible server" in output
    assert output.count("puente run: ready") == 1
    errors = [line for line in output.splitlines()
              if re.search(r"\[(error|critical)\s*\]|Traceback|\"level\": \"error\"", line)]
    if errors:
        first = output.index(errors[0])
        raise AssertionError("a clean start and stop log no error:\n" + output[first:first + 4000])
    assert "\x1b[" not in output, "no colour codes when the output is a file"
    sandbox_lines = [line for line in output.splitlines() if line.lstrip().startswith("telegram-sandbox |")]
    assert sandbox_lines and not any(line.split("| ", 1)[1].startswith("{") for line in sandbox_lines), \
        "the sandbox logs in the services' console format"
    assert not any("Bot API call" in line for line in sandbox_lines), "Bot API calls are at debug level"
    assert len(sandbox_lines) < 30, "the sandbox says only what a person needs:\n" + "\n".join(sandbox_lines)
    assert "fetch" not in "\n".join(line for line in output.splitlines() if line.startswith("puente run:")), \
        "nothing is fetched: the jars and SecantusDB are already there"


def this_years_first() -> str:
    """The first exchange's code this year in Bogotá (the system runs on the real clock here)."""
    return f"AP-{datetime.now(ZoneInfo('America/Bogota')).year}-0001"
