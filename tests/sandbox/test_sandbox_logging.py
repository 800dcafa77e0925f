"""Under `make run` the sandbox logs like Puente's services (the same console format, from puente's structlog
set-up), without colour codes when its output is not a terminal, and only what a person needs: each Bot API call
is at debug level, a person's message at info."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import httpx
import pytest

from puente.local.processes import free_port
from tests.helpers import eventually

TOKEN = "123456789:AAHsandboxLoggingTokenXYZ"


async def run_sandbox(*arguments: str, **environment: str) -> str:
    """Start the sandbox as `puente run` does, talk to it as a bot and a person do, stop it; return its output."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TELEGRAM_BOT_TOKEN": TOKEN, **environment})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "telegram_sandbox", "--port", str(port), *arguments, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            async def answers() -> bool:
                assert process.returncode is None, (await process.stdout.read()).decode()
                try:
                    return (await http.get("/healthz")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(answers, timeout=30, message="the sandbox's /healthz")
            assert (await http.post(f"/bot{TOKEN}/getMe")).json()["ok"]
            for _ in range(5):
                assert (await http.post(f"/bot{TOKEN}/getUpdates", json={"timeout": 0})).json()["ok"]
            sent = await http.post("/sandbox/messages", json={"user_id": 42, "text": "hola", "first_name": "Ana"})
            assert sent.status_code == 200
            assert (await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 42, "text": "¡Hola!"})).json()["ok"]
            failed = await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 999, "text": "x"})
            assert failed.status_code == 400
    finally:
        process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.stdout.read(), timeout=30)).decode()
        await process.wait()
    return output


@pytest.mark.asyncio
async def test_console_format_like_the_services_and_only_what_a_person_needs():
    output = await run_sandbox("--log-format", "console", "--log-level", "INFO")
    lines = output.splitlines()
    assert lines, "the sandbox logged nothing"
    assert not any(line.lstrip().startswith("{") for line in lines), "no JSON lines among the console lines"
    assert "\x1b[" not in output, "no colour codes when the output is not a terminal"
    assert TOKEN not in output
    assert all("service=telegram-sandbox" in line for line in lines if line[:4].isdigit()), output
    started = next(line for line in lines if "Uvicorn running on" in line)
    assert "[info" in started and "[uvicorn.error]" in started  # the services' console layout
    assert any("a person sent a message" in line and "user_id=42" in line for line in lines), "a person's message shows"
    calls = [line for line in lines if "Bot API call" in line]
    assert len(calls) == 1 and "status=400" in calls[0], "a successful Bot API call is not shown at info level"


@pytest.mark.asyncio
async def test_each_bot_api_call_is_logged_at_debug_level():
    output = await run_sandbox("--log-format", "console", "--log-level", "DEBUG")
    calls = [line for line in output.splitlines() if "Bot API call" in line and "status=200" in line]
    assert len(calls) == 7 and all("[debug" in line for line in calls), output  # getMe, 5 getUpdates, sendMessage


@pytest.mark.asyncio
async def test_json_lines_when_asked_for_json():
    output = await run_sandbox("--log-format", "json")
    entries = [json.loads(line) for line in output.splitlines()]
    assert any(entry["event"] == "a person sent a message" and entry["service"] == "telegram-sandbox"
               for entry in entries)
    assert TOKEN not in output
