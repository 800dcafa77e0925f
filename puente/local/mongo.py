"""SecantusDB's MongoDB-wire-compatible server, run as its own process from its own virtualenv.

SecantusDB is GPL-2.0: Puente never imports it; it only talks to the server over the MongoDB wire protocol.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from puente.local.processes import is_running, start_detached, stop_process, tail, wait_until

SECANTUSDB_VERSION = "0.7.0b3"


class MongoServerError(RuntimeError):
    pass


def server_command(tools_dir: Path) -> Path:
    """Where `install_server(tools_dir)` puts `secantusd-py`; it exists once the server is installed."""
    return tools_dir / f"secantusdb-{SECANTUSDB_VERSION}" / "bin" / "secantusd-py"


def install_server(tools_dir: Path) -> Path:
    """Install SecantusDB into a virtualenv of its own, once. Returns the path of `secantusd-py`."""
    command = server_command(tools_dir)
    venv = command.parents[1]
    if command.exists():
        return command
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
         f"secantusdb=={SECANTUSDB_VERSION}"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not command.exists():
        raise MongoServerError(
            f"installing secantusdb=={SECANTUSDB_VERSION} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return command


@dataclass
class MongoServer:
    home: Path
    command: Path
    port: int

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?retryWrites=false&directConnection=true"

    @property
    def log_file(self) -> Path:
        return self.home / "secantusd.log"

    @staticmethod
    def marker_in(home: Path) -> str:
        """What the server's command line contains, so a reused pid is not taken for ours."""
        return str(home / "data")

    @property
    def marker(self) -> str:
        return self.marker_in(self.home)

    def start(self, pid: int | None) -> int:
        if is_running(pid, self.marker):
            return pid
        (self.home / "data").mkdir(parents=True, exist_ok=True)
        process = start_detached(
            [
                str(self.command), "--host", "127.0.0.1", "--port", str(self.port),
                "--storage-path", str(self.home / "data"), "--log-level", "WARNING",
            ],
            self.log_file,
            cwd=self.home,
        )
        if not wait_until(lambda: self.answers() or process.poll() is not None, timeout=60, interval=0.3):
            stop_process(process.pid, self.marker)
            raise MongoServerError(f"SecantusDB did not answer a ping on port {self.port}:\n{tail(self.log_file)}")
        if process.poll() is not None:
            raise MongoServerError(f"SecantusDB exited while starting:\n{tail(self.log_file)}")
        return process.pid

    def answers(self) -> bool:
        """True when the server answers a MongoDB `ping`."""
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        client = MongoClient(self.uri, serverSelectionTimeoutMS=1000, connectTimeoutMS=1000)
        try:
            client.admin.command("ping")
            return True
        except PyMongoError:
            return False
        finally:
            client.close()

    def stop(self, pid: int | None) -> None:
        stop_process(pid, self.marker, timeout=30)
