"""`make run` (`puente run`) brings the whole system up: a person in the web chat's sandbox proposes an exchange
and hears back from the notifier; one Ctrl-C stops every process, the servers included."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import uuid

import httpx

from puente.local.infra import WORK_DIR
from puente.local.processes import free_port, port_is_open
from tests.helpers import eventually


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
        "PUENTE_LOG_LEVEL": "WARNING",
    }
    environment.pop("PUENTE_TELEGRAM_BOT_TOKEN", None)
    log = tmp_path / "run.log"
    run = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "puente.cli", "run", env=environment, stdout=log.open("wb"),
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            async def all_healthy() -> bool:
                assert run.returncode is None, "puente run exited:\n" + log.read_text(errors="replace")[-3000:]
                for offset in range(1, 6):
                    try:
                        if (await http.get(f"http://127.0.0.1:{base + offset}/healthz")).status_code != 200:
                            return False
                    except httpx.TransportError:
                        return False
                return True

            await eventually(all_healthy, timeout=180, interval=0.5, message="every service's /healthz")
            web_chat = await http.get(f"http://127.0.0.1:{sandbox_port}/")
            assert web_chat.status_code == 200 and "<html" in web_chat.text.lower()

            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{sandbox_port}", timeout=40) as control:
                assert (await say(control, 777, "/start")).startswith("¡Hola, Ana!")
                assert "entidad" in await say(control, 777, "/proponer")
                assert "no conozco" in (await say(control, 777, "nasa")).lower()
                assert "título" in await say(control, 777, "sed")
                assert "reto institucional" in await say(control, 777, "Aulas abiertas")
                assert "Recibí tu propuesta" in await say(control, 777, "Reducir la deserción escolar rural")
                registered = await control.get("/sandbox/chats/777/next_bot_message",
                                               params={"timeout": 60})
                assert registered.json()["message"]["text"].startswith("✅ Tu propuesta «Aulas abiertas»")
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
