"""`puente infra up|down|status`: the local Kafka and MongoDB-compatible server, as one idempotent unit.

An instance lives in a folder (`.puente/<name>/`, git-ignored) holding data, logs and a state file with the
ports and process ids. `up` starts what is not running and waits until each server answers; `down` stops by
process id; data survives `down` and `up`. Tests use throw-away instances on free ports.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from puente.local.kafka import KafkaNode, fetch_jars, jars_fetched
from puente.local.mongo import MongoServer, install_server, server_command
from puente.local.processes import free_port, is_running

REPO_ROOT = Path(__file__).resolve().parents[2]
WORK_DIR = REPO_ROOT / ".puente"
CACHE_DIR = WORK_DIR / "cache"


@dataclass
class InfraState:
    kafka_port: int
    kafka_controller_port: int
    mongo_port: int
    kafka_pid: int | None = None
    mongo_pid: int | None = None


class LocalInfrastructure:
    def __init__(self, name: str = "local", *, kafka_port: int | None = None, mongo_port: int | None = None,
                 root: Path = WORK_DIR) -> None:
        self.name = name
        self.home = root / name
        self.state_file = self.home / "state.json"
        self.state = self._load_state(kafka_port, mongo_port)

    def _load_state(self, kafka_port: int | None, mongo_port: int | None) -> InfraState:
        """The saved ports and pids; requested ports apply when nothing runs (0 or None: keep, or pick a free one)."""
        if not self.state_file.exists():
            return InfraState(
                kafka_port=kafka_port or free_port(),
                kafka_controller_port=free_port(),
                mongo_port=mongo_port or free_port(),
            )
        state = InfraState(**json.loads(self.state_file.read_text()))
        running = is_running(state.kafka_pid, KafkaNode.marker_in(self.home / "kafka")) or \
            is_running(state.mongo_pid, MongoServer.marker_in(self.home / "mongo"))
        if not running:
            state.kafka_port = kafka_port or state.kafka_port
            state.mongo_port = mongo_port or state.mongo_port
        return state

    def _save_state(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(asdict(self.state), indent=2))

    def _kafka(self, jars: Path | None = None) -> KafkaNode:
        """The Kafka node; `jars` is needed only to start it."""
        return KafkaNode(
            home=self.home / "kafka",
            jars=jars or CACHE_DIR / "jars" / "not-fetched",
            port=self.state.kafka_port,
            controller_port=self.state.kafka_controller_port,
        )

    def _mongo(self, command: Path | None = None) -> MongoServer:
        return MongoServer(
            home=self.home / "mongo", command=command or Path("secantusd-py"), port=self.state.mongo_port
        )

    @staticmethod
    def missing_downloads() -> list[str]:
        """What `fetch` would download (nothing once an earlier run fetched it), in words for a person."""
        missing = []
        if not jars_fetched(CACHE_DIR / "jars"):
            missing.append("the Kafka jars (Maven Central)")
        if not server_command(CACHE_DIR / "tools").exists():
            missing.append("SecantusDB (PyPI)")
        return missing

    @staticmethod
    def fetch() -> tuple[Path, Path]:
        """Fetch what the servers need (Kafka jars, SecantusDB), once; later calls return at once."""
        jars = fetch_jars(CACHE_DIR / "jars")
        secantusd = install_server(CACHE_DIR / "tools")
        return jars, secantusd

    def up(self) -> InfraState:
        jars, secantusd = self.fetch()
        self._save_state()
        self.state.mongo_pid = self._mongo(secantusd).start(self.state.mongo_pid)
        self._save_state()
        self.state.kafka_pid = self._kafka(jars).start(self.state.kafka_pid)
        self._save_state()
        return self.state

    def down(self) -> None:
        if not self.home.exists():
            return
        self.down_kafka()
        self.down_mongo()

    def down_kafka(self) -> None:
        """Stop only Kafka (tests of a broker restart)."""
        self._kafka().stop(self.state.kafka_pid)
        self.state.kafka_pid = None
        self._save_state()

    def down_mongo(self) -> None:
        """Stop only the MongoDB-compatible server (tests of a database restart)."""
        self._mongo().stop(self.state.mongo_pid)
        self.state.mongo_pid = None
        self._save_state()

    def destroy(self) -> None:
        """Stop and delete the instance's data (throw-away test instances)."""
        self.down()
        shutil.rmtree(self.home, ignore_errors=True)

    def status(self) -> dict[str, dict]:
        kafka = self._kafka()
        mongo = self._mongo()
        return {
            "kafka": {
                "running": is_running(self.state.kafka_pid, kafka.marker),
                "answers": kafka.answers(),
                "pid": self.state.kafka_pid,
                "bootstrap_servers": kafka.bootstrap_servers,
                "log": str(kafka.log_file),
            },
            "mongo": {
                "running": is_running(self.state.mongo_pid, mongo.marker),
                "answers": mongo.answers(),
                "pid": self.state.mongo_pid,
                "uri": mongo.uri,
                "log": str(mongo.log_file),
            },
        }

    def environment(self) -> dict[str, str]:
        """The settings that point services and tests at this instance."""
        return {
            "PUENTE_KAFKA_BOOTSTRAP_SERVERS": self._kafka().bootstrap_servers,
            "PUENTE_MONGO_URI": self._mongo().uri,
        }

    def env_with_settings(self) -> dict[str, str]:
        return {**os.environ, **self.environment()}
