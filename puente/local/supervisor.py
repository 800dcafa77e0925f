"""`puente run`: the whole system in the foreground; one Ctrl-C stops everything."""

from __future__ import annotations

import asyncio
import ctypes
import os
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping

import httpx

from puente.local.infra import LocalInfrastructure
from puente.wiring.http_server import port_is_free
from puente.wiring.settings import DEFAULT_HTTP_PORTS

SERVICES = ("intake", "phases", "notifier", "reporting")
SANDBOX_TOKEN_ENV = "PUENTE_TELEGRAM_BOT_TOKEN"
PR_SET_PDEATHSIG = 1


def http_ports(environment: dict[str, str]) -> dict[str, int]:
    """Each child's health port: the defaults (8001-8005), or PUENTE_RUN_HTTP_PORT_BASE + 1..5."""
    base = environment.get("PUENTE_RUN_HTTP_PORT_BASE")
    if base is None:
        return dict(DEFAULT_HTTP_PORTS)
    return {name: int(base) + offset for offset, name in enumerate(DEFAULT_HTTP_PORTS, start=1)}


def child_commands(sandbox_port: int | None, environment: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    python = sys.executable
    environment = os.environ if environment is None else environment
    commands = {}
    if sandbox_port is not None:
        commands["telegram-sandbox"] = [
            python, "-m", "telegram_sandbox", "--host", "127.0.0.1", "--port", str(sandbox_port),
            # Logs like the services: the same format and level (Bot API calls only at debug level).
            "--log-format", environment.get("PUENTE_LOG_FORMAT", "console"),
            "--log-level", environment.get("PUENTE_LOG_LEVEL", "INFO"),
        ]
    for service in SERVICES:
        commands[service] = [python, "-m", f"services.{service}"]
    commands["bot"] = [python, "-m", "bot"]
    return commands


async def _pump(name: str, stream: asyncio.StreamReader) -> None:
    """Copy a child's output to ours, prefixed. If our output goes away (a closed pipe), keep draining."""
    prefix = f"{name:>16} | "
    while line := await stream.readline():
        try:
            sys.stdout.write(prefix + line.decode(errors="replace"))
            sys.stdout.flush()
        except (BrokenPipeError, OSError):
            pass


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM if `puente run` dies without stopping it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def say(text: str) -> None:
    try:
        print(f"puente run: {text}", flush=True)
    except (BrokenPipeError, OSError):
        pass


def with_colour_choice(environment: dict[str, str], terminal: bool) -> dict[str, str]:
    """The children's output is a pipe to us, so they cannot tell whether a person watches: colour codes only if
    our own output is a terminal (and the person did not choose with NO_COLOR or FORCE_COLOR)."""
    if environment.get("NO_COLOR") or environment.get("FORCE_COLOR"):
        return environment
    return {**environment, "FORCE_COLOR": "1"} if terminal else {**environment, "NO_COLOR": "1"}


# ----- readiness: one block saying what to open, once everything answers -----------------------------------------

READY_POLL_SECONDS = 0.25
STILL_WAITING_SECONDS = 60.0


def health_urls(ports: Mapping[str, int], sandbox_port: int | None) -> dict[str, str]:
    """What must answer before the system is ready: every child's /healthz (the sandbox's too, if it runs)."""
    urls = {name: f"http://127.0.0.1:{port}/healthz" for name, port in ports.items()}
    if sandbox_port is not None:
        urls["telegram-sandbox"] = f"http://127.0.0.1:{sandbox_port}/healthz"
    return urls


def ready_block(ports: Mapping[str, int], sandbox_port: int | None) -> list[str]:
    """The lines that tell a person the system is ready and what to open: the web chat first."""
    if sandbox_port is not None:
        first = f"web chat   http://127.0.0.1:{sandbox_port}/   <- open this and send /start"
    else:
        first = "bot        talks to Telegram with the token in PUENTE_TELEGRAM_BOT_TOKEN"
    health = [f"{name:<10} http://127.0.0.1:{port}/healthz" for name, port in ports.items()]
    dashboard = f"dashboard  http://127.0.0.1:{ports['reporting']}/panel   (coordinators get a link with /panel)"
    rule = "-" * 72
    join = 'first time: .venv/bin/puente admin invite --role administrator --name "Your name"  (then open its link)'
    return [f"ready {rule[6:]}", first, dashboard, *health, join, "Ctrl-C stops everything", rule]


async def wait_until_ready(
    probes: Mapping[str, Callable[[], Awaitable[bool]]],
    interval: float = READY_POLL_SECONDS,
    still_waiting: Callable[[list[str]], None] | None = None,
    patience: float = STILL_WAITING_SECONDS,
) -> None:
    """Return once every probe has answered True (each is asked until it does); every `patience` seconds until
    then, tell `still_waiting` which ones have not."""
    loop = asyncio.get_running_loop()
    waiting = dict(probes)
    next_notice = loop.time() + patience
    while waiting:
        answers = await asyncio.gather(*(probe() for probe in waiting.values()))
        waiting = {name: probe for (name, probe), ok in zip(waiting.items(), answers, strict=True) if not ok}
        if not waiting:
            return
        if still_waiting is not None and loop.time() >= next_notice:
            still_waiting(sorted(waiting))
            next_notice = loop.time() + patience
        await asyncio.sleep(interval)


def http_probe(client: httpx.AsyncClient, url: str) -> Callable[[], Awaitable[bool]]:
    async def answers() -> bool:
        try:
            return (await client.get(url)).status_code == 200
        except httpx.HTTPError:
            return False

    return answers


async def load_catalogue(environment: Mapping[str, str]) -> None:
    """The city's catalogue of Aprende (config/catalogues/<city>.toml), loaded into intake: new entries added,
    changed ones corrected, the rest left alone."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "puente.cli", "catalogue", "load", env=dict(environment),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    for line in output.decode(errors="replace").splitlines():
        say(line)


async def announce_when_ready(ports: Mapping[str, int], sandbox_port: int | None,
                              environment: Mapping[str, str] | None = None) -> None:
    urls = health_urls(ports, sandbox_port)
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
        await wait_until_ready(
            {name: http_probe(client, url) for name, url in urls.items()},
            still_waiting=lambda names: say(
                "still waiting for " + ", ".join(f"{name} ({urls[name]})" for name in names)
            ),
        )
    if environment is not None:
        await load_catalogue(environment)
    for line in ready_block(ports, sandbox_port):
        say(line)


async def _stop(processes: dict[str, asyncio.subprocess.Process], timeout: float = 20.0) -> dict[str, int]:
    """SIGTERM every child, SIGKILL those still running after `timeout`; returns each one's exit code."""
    for process in processes.values():
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes.values())), timeout)
    except TimeoutError:
        for process in processes.values():
            if process.returncode is None:
                process.kill()
        await asyncio.gather(*(p.wait() for p in processes.values()))
    return {name: process.returncode for name, process in processes.items()}


async def supervise(environment: dict[str, str], sandbox_port: int | None) -> int:
    processes: dict[str, asyncio.subprocess.Process] = {}
    pumps = []
    ports = http_ports(environment)
    # The notifier fetches reports from reporting, and the bot's /panel links point at its dashboard.
    environment.setdefault("PUENTE_REPORTING_URL", f"http://127.0.0.1:{ports['reporting']}")
    environment.setdefault("PUENTE_DASHBOARD_URL", f"http://127.0.0.1:{ports['reporting']}")
    for name, command in child_commands(sandbox_port, environment).items():
        child_environment = {**environment, "PUENTE_HTTP_PORT": str(ports[name])} if name in ports else environment
        process = await asyncio.create_subprocess_exec(
            *command, env=child_environment, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent,
        )
        processes[name] = process
        pumps.append(asyncio.create_task(_pump(name, process.stdout)))

    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop_requested.set)

    waits = {asyncio.create_task(p.wait()): name for name, p in processes.items()}
    stopper = asyncio.create_task(stop_requested.wait())
    announcer = asyncio.create_task(announce_when_ready(ports, sandbox_port, environment))
    done, _ = await asyncio.wait([stopper, *waits], return_when=asyncio.FIRST_COMPLETED)
    announcer.cancel()
    exit_code = 0
    for task in done:
        if task in waits:
            say(f"{waits[task]} exited with code {task.result()}; stopping everything")
            exit_code = 1
    say("stopping services")
    # The bot and the services first, while the Telegram sandbox still answers them; then the sandbox.
    services = {name: process for name, process in processes.items() if name != "telegram-sandbox"}
    sandbox = {name: process for name, process in processes.items() if name == "telegram-sandbox"}
    exit_codes = {**await _stop(services), **await _stop(sandbox)}
    for name, code in exit_codes.items():
        if code != 0:
            say(f"{name} did not stop cleanly (exit code {code})")
            exit_code = 1
    for task in [stopper, *waits]:
        task.cancel()
    await asyncio.gather(announcer, *pumps, return_exceptions=True)
    return exit_code


def busy_ports(environment: dict[str, str]) -> list[str]:
    """The HTTP ports `puente run` needs that something else already listens on, each named with the variable
    that moves it."""
    wanted = {name: (port, "PUENTE_RUN_HTTP_PORT_BASE") for name, port in http_ports(environment).items()}
    if not environment.get(SANDBOX_TOKEN_ENV):
        wanted["telegram-sandbox"] = (
            int(environment.get("PUENTE_TELEGRAM_SANDBOX_PORT", "8081")),
            "PUENTE_TELEGRAM_SANDBOX_PORT",
        )
    return [
        f"{name} needs port {port}, which is in use (set {variable} to move it)"
        for name, (port, variable) in wanted.items()
        if not port_is_free(port)
    ]


def run_everything() -> int:
    problems = busy_ports(dict(os.environ))
    if problems:
        for problem in problems:
            say(problem)
        return 1
    infrastructure = LocalInfrastructure(
        os.environ.get("PUENTE_RUN_INSTANCE", "local"),
        kafka_port=int(os.environ.get("PUENTE_LOCAL_KAFKA_PORT", "9092")),
        mongo_port=int(os.environ.get("PUENTE_LOCAL_MONGO_PORT", "27017")),
    )
    try:
        missing = LocalInfrastructure.missing_downloads()
        if missing:
            say(f"fetching {' and '.join(missing)}: only the first run does this, it takes a few minutes")
        LocalInfrastructure.fetch()
        say(f"starting Kafka (127.0.0.1:{infrastructure.state.kafka_port}) and the MongoDB-compatible server "
            f"(127.0.0.1:{infrastructure.state.mongo_port})")
        infrastructure.up()
        environment = infrastructure.env_with_settings()
        environment.setdefault("PUENTE_LOG_FORMAT", "console")  # for a person at a terminal; JSON in production
        environment = with_colour_choice(environment, sys.stdout.isatty())
        sandbox_port = None
        if not environment.get(SANDBOX_TOKEN_ENV):
            sandbox_port = int(environment.get("PUENTE_TELEGRAM_SANDBOX_PORT", "8081"))
            token = f"{100000 + secrets.randbelow(900000)}:SANDBOX{secrets.token_urlsafe(24)}"
            environment[SANDBOX_TOKEN_ENV] = token
            environment["TELEGRAM_BOT_TOKEN"] = token
            environment["PUENTE_TELEGRAM_API_URL"] = f"http://127.0.0.1:{sandbox_port}/bot"
            say("starting the services, the bot and the Telegram sandbox (no bot token is set); "
                "the addresses follow once everything answers")
        else:
            say("starting the services and the bot (with the token in PUENTE_TELEGRAM_BOT_TOKEN); "
                "the addresses follow once everything answers")
        return asyncio.run(supervise(environment, sandbox_port))
    except KeyboardInterrupt:  # Ctrl-C while the servers were starting
        return 130
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not leave the servers half-stopped
        say("stopping Kafka and the MongoDB-compatible server (data is kept)")
        infrastructure.down()
