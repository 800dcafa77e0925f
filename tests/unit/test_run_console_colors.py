"""The console log format has colour codes only when a person's terminal shows it: not in a pipe or a file."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from puente.wiring.logging import console_colors

LOG_ONE_LINE = (
    "from puente.wiring.logging import configure_logging, get_logger;"
    "configure_logging('intake', 'INFO', 'console');"
    "get_logger('x').warning('hello', answer=42)"
)
ESCAPE = b"\x1b["


def run_logging(stdout_is_terminal: bool, **environment: str) -> bytes:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(environment)
    if not stdout_is_terminal:
        return subprocess.run([sys.executable, "-c", LOG_ONE_LINE], env=env, capture_output=True, check=True).stdout
    controller, terminal = pty.openpty()
    try:
        subprocess.run([sys.executable, "-c", LOG_ONE_LINE], env=env, stdout=terminal, check=True)
        os.close(terminal)
        terminal = -1
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other side is closed: everything was read
                break
            if not chunk:
                break
            output += chunk
        return output
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)


def test_console_lines_in_a_pipe_have_no_colour_codes():
    output = run_logging(stdout_is_terminal=False)
    assert b"hello" in output and b"answer=42" in output
    assert ESCAPE not in output


def test_console_lines_on_a_terminal_are_coloured():
    output = run_logging(stdout_is_terminal=True)
    assert b"hello" in output and ESCAPE in output


def test_no_color_and_force_color_decide_for_a_process_whose_output_is_a_pipe():
    assert ESCAPE in run_logging(stdout_is_terminal=False, FORCE_COLOR="1")
    assert ESCAPE not in run_logging(stdout_is_terminal=True, NO_COLOR="1")
    assert console_colors({"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
