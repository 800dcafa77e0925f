"""Assemble the sandbox app, its logging, and an in-process uvicorn runner."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import socket
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import bot_api, control_api, web_chat
from .state import SandboxState

DEFAULT_BOT_USERNAME = "puente_bot"
MAX_REQUEST_BODY_BYTES = bot_api.MAX_UPLOAD_BYTES + 1024 * 1024
GRACEFUL_SHUTDOWN_SECONDS = 2

logger = logging.getLogger("telegram_sandbox")


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(bot_token: str, bot_username: str = DEFAULT_BOT_USERNAME) -> Starlette:
    """The sandbox as an ASGI app. Its world is ``app.state.sandbox`` (a SandboxState)."""
    if not bot_token:
        raise ValueError("bot_token must not be empty")
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            *bot_api.routes,
            *control_api.routes,
            *web_chat.routes,
        ],
        max_body_size=MAX_REQUEST_BODY_BYTES,
    )
    app.state.sandbox = SandboxState(bot_token, bot_username)
    return app


# ----- logging ----------------------------------------------------------------------------

_STANDARD_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
REDACTED = "[REDACTED]"


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line; every occurrence of a secret is replaced by [REDACTED]."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_RECORD_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        line = json.dumps(entry, default=str, ensure_ascii=False)
        for secret in self.secrets:
            line = line.replace(secret, REDACTED)
        return line


def configure_json_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> None:
    """Send every log record (uvicorn's too) to stdout as JSON, with ``secrets`` redacted."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLogFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class _RedactSecrets(logging.Filter):
    """Replaces every occurrence of a secret in a record's message and string fields by [REDACTED]."""

    def __init__(self, secrets: Iterable[str]):
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg, record.args = self._redact(record.getMessage()), ()
            for key, value in vars(record).items():
                if isinstance(value, str) and key not in _STANDARD_RECORD_FIELDS:
                    setattr(record, key, self._redact(value))
        return True


def configure_logging(level: str = "INFO", log_format: str = "json", secrets: Iterable[str] = ()) -> None:
    """Log as Puente's services do (its structlog set-up: JSON lines, or ``console`` for a person, colour codes only
    on a terminal), every record uvicorn's included, with ``secrets`` redacted. Bot API calls are at debug level."""
    from puente.wiring.logging import configure_logging as configure_puente_logging

    configure_puente_logging("telegram-sandbox", level, log_format)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_RedactSecrets(secrets))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def uvicorn_config(app: Starlette, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    """Uvicorn settings for the sandbox: no access log (its paths hold the bot token)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        log_level=log_level.lower(),
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


# ----- in-process runner ------------------------------------------------------------------


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that reports when it listens and leaves signal handling to its host."""

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.started_event = asyncio.Event()
        self.exit_requested = asyncio.Event()

    def request_exit(self) -> None:
        self.should_exit = True
        self.exit_requested.set()

    async def main_loop(self) -> None:
        # uvicorn's loop ticks every 0.1 s; also wake at once when an exit is requested.
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exit_requested.wait(), 0.1)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.started_event.set()


class SandboxServer:
    """Serve the sandbox with uvicorn inside the running event loop.

    ``async with SandboxServer(token) as sandbox:`` then use ``sandbox.bot_api_base_url``
    (give it to ``telegram.Bot(base_url=...)``) and ``sandbox.base_url`` for the control API.
    """

    def __init__(
        self, bot_token: str, bot_username: str = DEFAULT_BOT_USERNAME, host: str = "127.0.0.1", port: int = 0
    ):
        self.app = create_app(bot_token, bot_username)
        self.host = host
        self.port = port
        self._socket: socket.socket | None = None
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def state(self) -> SandboxState:
        return self.app.state.sandbox

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def bot_api_base_url(self) -> str:
        return f"{self.base_url}/bot"

    @property
    def bot_file_base_url(self) -> str:
        """Give it to ``telegram.Bot(base_file_url=...)``: where files named by getFile are downloaded."""
        return f"{self.base_url}/file/bot"

    async def start(self) -> None:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
        # and without it every response waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((self.host, self.port))
        self.port = self._socket.getsockname()[1]
        self._server = _EmbeddedServer(uvicorn_config(self.app, self.host, self.port, log_level="warning"))
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        started = asyncio.create_task(self._server.started_event.wait())
        await asyncio.wait({self._task, started}, return_when=asyncio.FIRST_COMPLETED)
        if not started.done():
            started.cancel()
            await self.stop()
            raise RuntimeError("the sandbox server stopped before it started listening")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.request_exit()
            await self._task
        if self._socket is not None:
            self._socket.close()
        self._server = self._task = self._socket = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
