"""`puente run` for a person at a terminal: what it prints, and when.

The "ready" block (the web chat first, then each health address) is printed only once every child's /healthz has
answered; what is said about fetching and starting the servers is said before it happens, and only when true."""

from __future__ import annotations

import asyncio

import pytest

from puente.local import supervisor
from puente.local.supervisor import (
    child_commands,
    health_urls,
    ready_block,
    wait_until_ready,
    with_colour_choice,
)

PORTS = {"intake": 8001, "phases": 8002, "notifier": 8003, "reporting": 8004, "bot": 8005}


class FakeProbe:
    """A /healthz that does not answer for its first `silent_calls` calls (forever if None), then answers."""

    def __init__(self, silent_calls: int | None) -> None:
        self.silent_calls = silent_calls
        self.calls = 0
        self.asked = asyncio.Event()

    async def __call__(self) -> bool:
        self.calls += 1
        self.asked.set()
        return self.silent_calls is not None and self.calls > self.silent_calls


async def test_ready_only_after_every_probe_answered():
    probes = {name: FakeProbe(0) for name in PORTS}
    probes["bot"] = FakeProbe(5)  # the bot answers last
    await asyncio.wait_for(wait_until_ready(probes, interval=0), timeout=10)
    assert probes["bot"].calls == 6, "the bot was asked until it answered"
    assert all(probe.calls == 1 for name, probe in probes.items() if name != "bot"), "one answer is enough"


async def test_not_ready_while_one_health_check_never_answers():
    probes = {name: FakeProbe(0) for name in PORTS}
    probes["notifier"] = FakeProbe(None)
    waiting_for: list[list[str]] = []
    ready = asyncio.create_task(
        wait_until_ready(probes, interval=0, still_waiting=waiting_for.append, patience=0)
    )
    try:
        for _ in range(50):  # the silent one is asked again and again; readiness never comes
            probes["notifier"].asked.clear()
            await asyncio.wait_for(probes["notifier"].asked.wait(), timeout=10)
            assert not ready.done()
        assert waiting_for and waiting_for[-1] == ["notifier"], "the person is told what is still awaited"
    finally:
        ready.cancel()


async def test_announce_prints_the_ready_block_only_once_everything_answers(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(supervisor, "say", said.append)
    gate = asyncio.Event()
    answered: list[str] = []

    def probe(_client, url):
        async def answers() -> bool:
            if url.endswith(":8005/healthz") and not gate.is_set():  # the bot is not up yet
                return False
            answered.append(url)
            return True
        return answers

    monkeypatch.setattr(supervisor, "http_probe", probe)
    monkeypatch.setattr(supervisor, "READY_POLL_SECONDS", 0)
    announcer = asyncio.create_task(supervisor.announce_when_ready(PORTS, 8081))
    try:
        async with asyncio.timeout(10):
            while len(set(answered)) < 5:  # everything but the bot answered
                await asyncio.sleep(0)
        assert not any("ready" in line for line in said)
        gate.set()
        await asyncio.wait_for(announcer, timeout=10)
    finally:
        announcer.cancel()
    assert said == ready_block(PORTS, 8081)
    assert set(answered) == set(health_urls(PORTS, 8081).values())


def test_ready_block_names_the_web_chat_first_then_the_dashboard_and_each_health_address():
    lines = ready_block(PORTS, 8081)
    assert lines[0].startswith("ready")
    assert lines[1].startswith("web chat") and "http://127.0.0.1:8081/" in lines[1]
    assert lines[2].startswith("dashboard") and f"http://127.0.0.1:{PORTS['reporting']}/panel" in lines[2]
    assert [line.split()[0] for line in lines[3:8]] == list(PORTS)
    assert all(f"http://127.0.0.1:{port}/healthz" in line for line, port in zip(lines[3:8], PORTS.values(),
                                                                                   strict=True))
    with_token = ready_block(PORTS, None)
    assert not any("web chat" in line for line in with_token)
    assert "PUENTE_TELEGRAM_BOT_TOKEN" in with_token[1]


def test_health_urls_include_the_sandbox_when_it_runs():
    assert health_urls(PORTS, 8081)["telegram-sandbox"] == "http://127.0.0.1:8081/healthz"
    assert "telegram-sandbox" not in health_urls(PORTS, None)


def test_children_colour_their_lines_only_when_our_output_is_a_terminal():
    assert with_colour_choice({}, terminal=True) == {"FORCE_COLOR": "1"}
    assert with_colour_choice({}, terminal=False) == {"NO_COLOR": "1"}
    assert with_colour_choice({"NO_COLOR": "1"}, terminal=True) == {"NO_COLOR": "1"}  # the person's choice


def test_the_sandbox_logs_in_the_services_format_and_level():
    command = child_commands(8081, {"PUENTE_LOG_FORMAT": "console", "PUENTE_LOG_LEVEL": "WARNING"})
    sandbox = command["telegram-sandbox"]
    assert sandbox[sandbox.index("--log-format") + 1] == "console"
    assert sandbox[sandbox.index("--log-level") + 1] == "WARNING"


class FakeInfrastructure:
    events: list[str] = []
    missing: list[str] = []

    def __init__(self, name, *, kafka_port, mongo_port) -> None:
        self.state = type("State", (), {"kafka_port": kafka_port, "mongo_port": mongo_port})()

    @classmethod
    def missing_downloads(cls) -> list[str]:
        return list(cls.missing)

    @classmethod
    def fetch(cls) -> None:
        cls.events.append("FETCH")
        cls.missing = []

    def up(self) -> None:
        self.events.append("UP")

    def env_with_settings(self) -> dict[str, str]:
        return {"PUENTE_TELEGRAM_BOT_TOKEN": "123456:abcdefghijabcdefghijabcdefghij"}

    def down(self) -> None:
        self.events.append("DOWN")


@pytest.fixture
def fake_run(monkeypatch):
    FakeInfrastructure.events = []
    monkeypatch.setattr(supervisor, "LocalInfrastructure", FakeInfrastructure)
    monkeypatch.setattr(supervisor, "busy_ports", lambda environment: [])
    monkeypatch.setattr(supervisor, "say", lambda text: FakeInfrastructure.events.append(f"say: {text}"))

    async def supervise(environment, sandbox_port):
        FakeInfrastructure.events.append("SUPERVISE")
        return 0

    monkeypatch.setattr(supervisor, "supervise", supervise)
    monkeypatch.setattr(supervisor.signal, "signal", lambda *args: None)
    return FakeInfrastructure.events


def test_the_first_run_says_it_fetches_before_fetching_and_starts_the_servers_after(fake_run):
    FakeInfrastructure.missing = ["the Kafka jars (Maven Central)", "SecantusDB (PyPI)"]
    assert supervisor.run_everything() == 0
    fetching = next(i for i, event in enumerate(fake_run) if event.startswith("say: fetching"))
    starting = next(i for i, event in enumerate(fake_run) if event.startswith("say: starting Kafka"))
    assert "the Kafka jars" in fake_run[fetching] and "SecantusDB" in fake_run[fetching]
    assert fetching < fake_run.index("FETCH") < starting < fake_run.index("UP") < fake_run.index("SUPERVISE")


def test_a_later_run_does_not_speak_of_fetching(fake_run):
    FakeInfrastructure.missing = []
    assert supervisor.run_everything() == 0
    assert not any("fetch" in event for event in fake_run if event.startswith("say:"))
    assert any(event.startswith("say: starting Kafka") for event in fake_run)


def test_infra_fetch_says_what_it_fetches_before_fetching_and_nothing_when_all_is_there(monkeypatch):
    from click.testing import CliRunner

    from puente import cli

    events: list[str] = []
    missing = ["the Kafka jars (Maven Central)"]

    class Infrastructure:
        @staticmethod
        def missing_downloads() -> list[str]:
            return list(missing)

        @staticmethod
        def fetch():
            events.append("FETCH")
            missing.clear()
            return "jars", "secantusd"

    monkeypatch.setattr(cli, "LocalInfrastructure", Infrastructure)
    monkeypatch.setattr(cli.click, "echo", lambda text="", **_: events.append(f"echo: {text}"))
    assert CliRunner().invoke(cli.main, ["infra", "fetch"]).exit_code == 0
    assert events[0].startswith("echo: fetching the Kafka jars") and events[1] == "FETCH"
    events.clear()
    assert CliRunner().invoke(cli.main, ["infra", "fetch"]).exit_code == 0
    assert not any("fetching" in event for event in events)
