"""Test-only fault injection: die abruptly at a named point, as a power cut or an OOM kill would."""

from __future__ import annotations

import os
import signal

from puente.wiring.settings import CrashPoint, Settings


def crash_here_if_asked(settings: Settings, point: CrashPoint) -> None:
    if settings.crash_at == point:
        os.kill(os.getpid(), signal.SIGKILL)
