"""Uvicorn with a clean exit code: a stop on request (SIGTERM, Ctrl-C) ends the process with code 0."""

from __future__ import annotations

import contextlib
import signal

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
