"""Starting and stopping local server processes by process id, and waiting until they really answer."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from puente.wiring.http_server import port_is_free


def _ephemeral_port_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port(consecutive: int = 1) -> int:
    """A port (or the first of `consecutive` ports) nobody listens on, chosen below the kernel's ephemeral range.

    A port the kernel hands out for binding to port 0 lies in the ephemeral range, which outgoing connections also
    draw from: between choosing it and a server binding it, a client socket may take it. Ports below that range
    are never handed to client sockets, so a server started a moment later still finds its port free.
    """
    ephemeral_low, ephemeral_high = _ephemeral_port_range()
    low, high = (
        (10000, ephemeral_low - consecutive) if ephemeral_low > 12000 else (ephemeral_high + 1, 65535 - consecutive)
    )
    for _ in range(1000):
        first = random.randint(low, high)
        if all(port_is_free(first + offset) for offset in range(consecutive)):
            return first
    raise RuntimeError(f"no {consecutive} free consecutive port(s) between {low} and {high}")


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def start_detached(
    command: list[str], log_file: Path, cwd: Path | None = None, env: dict | None = None
) -> subprocess.Popen:
    """Start a server in its own session so that Ctrl-C in a terminal does not reach it."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    return process


def is_running(pid: int | None, marker: str) -> bool:
    """True if `pid` is alive and its command line contains `marker` (a reused pid is not ours)."""
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z" and marker in cmdline


def stop_process(pid: int | None, marker: str, timeout: float = 30.0) -> None:
    """SIGTERM, wait for a clean exit, SIGKILL if it does not come."""
    if not is_running(pid, marker):
        return
    os.kill(pid, signal.SIGTERM)
    if wait_until(lambda: not is_running(pid, marker), timeout):
        _reap(pid)
        return
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not is_running(pid, marker), 10)
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"({path} does not exist)"
