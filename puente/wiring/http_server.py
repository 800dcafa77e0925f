"""Uvicorn with a clean exit code: a stop on request (SIGTERM, Ctrl-C) ends the process with code 0."""

from __future__ import annotations

import contextlib
import signal
import socket

import uvicorn


class GracefulServer(uvicorn.Server):
    """Uvicorn re-raises SIGTERM after its graceful shutdown, so the exit code reads as a kill (143).
    This keeps uvicorn's graceful handling and drops the re-raise."""

    @contextlib.contextmanager
    def capture_signals(self):
        previous = {signum: signal.signal(signum, self.handle_exit) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if a server could listen on `port` now (with SO_REUSEADDR, as uvicorn binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True
