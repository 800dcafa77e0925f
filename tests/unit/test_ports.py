"""Ports: tests and local servers get ports no client socket can take first, and a port already in use stops a
service or `puente run` with a message naming the port and the setting that moves it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from puente.local.processes import free_port
from puente.local.supervisor import busy_ports
from puente.wiring.http_server import port_is_free


def ephemeral_low() -> int:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
        return int(ranges.read().split()[0])


def test_free_ports_lie_below_the_range_outgoing_connections_draw_from():
    low = ephemeral_low()
    ports = [free_port() for _ in range(50)]
    assert all(1024 < port < low for port in ports)
    assert all(port_is_free(port) for port in ports)


def test_consecutive_free_ports_are_all_free():
    first = free_port(consecutive=6)
    assert all(port_is_free(first + offset) for offset in range(6))


def test_a_listening_port_is_not_free():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not port_is_free(listener.getsockname()[1])


def test_puente_run_names_each_busy_port_and_the_setting_that_moves_it():
    base = free_port(consecutive=6)
    sandbox_port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", base + 3))  # the notifier's port
        listener.listen()
        problems = busy_ports(
            {"PUENTE_RUN_HTTP_PORT_BASE": str(base), "PUENTE_TELEGRAM_SANDBOX_PORT": str(sandbox_port)}
        )
    assert problems == [f"notifier needs port {base + 3}, which is in use (set PUENTE_RUN_HTTP_PORT_BASE to move it)"]


def test_the_sandbox_port_only_matters_without_a_bot_token():
    base = free_port(consecutive=6)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        sandbox_port = listener.getsockname()[1]
        without_token = busy_ports(
            {"PUENTE_RUN_HTTP_PORT_BASE": str(base), "PUENTE_TELEGRAM_SANDBOX_PORT": str(sandbox_port)}
        )
        with_token = busy_ports(
            {
                "PUENTE_RUN_HTTP_PORT_BASE": str(base),
                "PUENTE_TELEGRAM_SANDBOX_PORT": str(sandbox_port),
                "PUENTE_TELEGRAM_BOT_TOKEN": "123:abc",
            }
        )
    assert without_token == [
        f"telegram-sandbox needs port {sandbox_port}, which is in use (set PUENTE_TELEGRAM_SANDBOX_PORT to move it)"
    ]
    assert with_token == []


def test_a_service_whose_port_is_taken_exits_with_a_clear_log_line_before_connecting_anywhere():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        environment = {
            **os.environ,
            "PUENTE_HTTP_PORT": str(port),
            "PUENTE_HTTP_HOST": "127.0.0.1",
            "PUENTE_LOG_FORMAT": "json",
            # nothing listens here: reaching the broker would hang, not fail fast
            "PUENTE_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
        }
        finished = subprocess.run(
            [sys.executable, "-m", "services.reporting"], env=environment, capture_output=True, text=True, timeout=60
        )
    assert finished.returncode == 1
    output = finished.stdout + finished.stderr
    assert '"event": "http_port_in_use"' in output
    assert f'"port": {port}' in output
