"""``python -m telegram_sandbox --host 127.0.0.1 --port 8081 --token TOKEN``.

The token may come from ``TELEGRAM_BOT_TOKEN`` (better: it stays out of the process list),
the port from ``SANDBOX_PORT``, the host from ``SANDBOX_HOST``, the bot's username from
``SANDBOX_BOT_USERNAME``, the log level from ``SANDBOX_LOG_LEVEL`` and the log format (``json`` lines, or
``console`` for a person, as Puente's services log) from ``SANDBOX_LOG_FORMAT``.
"""

from __future__ import annotations

import argparse
import logging
import os

from puente.wiring.http_server import GracefulServer

from .app import DEFAULT_BOT_USERNAME, configure_logging, create_app, uvicorn_config


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m telegram_sandbox", description="Local Telegram Bot API sandbox")
    parser.add_argument("--host", default=os.environ.get("SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8081")))
    parser.add_argument("--token", default=os.environ.get("TELEGRAM_BOT_TOKEN"), help="default: $TELEGRAM_BOT_TOKEN")
    parser.add_argument("--bot-username", default=os.environ.get("SANDBOX_BOT_USERNAME", DEFAULT_BOT_USERNAME))
    parser.add_argument("--log-level", default=os.environ.get("SANDBOX_LOG_LEVEL", "INFO"))
    parser.add_argument("--log-format", choices=("json", "console"),
                        default=os.environ.get("SANDBOX_LOG_FORMAT", "json"))
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("a bot token is required: --token or TELEGRAM_BOT_TOKEN")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(args.log_level, args.log_format, secrets=[args.token])
    app = create_app(args.token, args.bot_username)
    logging.getLogger("telegram_sandbox").info(
        "telegram sandbox starting",
        extra={"host": args.host, "port": args.port, "bot_username": args.bot_username},
    )
    GracefulServer(uvicorn_config(app, args.host, args.port, args.log_level)).run()


if __name__ == "__main__":
    main()
