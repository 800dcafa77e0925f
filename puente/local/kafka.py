"""Apache Kafka, single node in KRaft mode, from the release jars on Maven Central, run with the machine's JDK."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from puente.local.processes import is_running, port_is_open, start_detached, stop_process, tail, wait_until

KAFKA_VERSION = "4.1.1"
POM = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "pom.xml"
MAIN_CLASS = "kafka.Kafka"

LOG4J2_PROPERTIES = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
"""


class KafkaError(RuntimeError):
    pass


def jars_fetched(cache_dir: Path) -> bool:
    """True when an earlier `fetch_jars(cache_dir)` completed, so the next one fetches nothing."""
    return (cache_dir / f"kafka-{KAFKA_VERSION}" / ".complete").exists()


def fetch_jars(cache_dir: Path) -> Path:
    """Fetch the broker and its runtime dependencies with Maven, once. Returns the folder of jars."""
    jars = cache_dir / f"kafka-{KAFKA_VERSION}"
    done = jars / ".complete"
    if done.exists():
        return jars
    if shutil.which("mvn") is None:
        raise KafkaError("Maven (mvn) is needed to fetch the Kafka jars from Maven Central; install it (JDK 17+ too)")
    shutil.rmtree(jars, ignore_errors=True)
    result = subprocess.run(
        [
            "mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
            "-DincludeScope=runtime", f"-Dkafka.version={KAFKA_VERSION}", f"-DoutputDirectory={jars}",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not list(jars.glob(f"kafka_2.13-{KAFKA_VERSION}.jar")):
        raise KafkaError(
            f"fetching Kafka {KAFKA_VERSION} with Maven failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    done.write_text(KAFKA_VERSION)
    return jars


@dataclass
class KafkaNode:
    """One broker+controller. Its data lives in `home`, so it survives a stop and a start."""

    home: Path
    jars: Path
    port: int
    controller_port: int
    heap: str = "512m"

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.home / "kafka.log"

    @staticmethod
    def marker_in(home: Path) -> str:
        """What the broker's command line contains, so a reused pid is not taken for ours."""
        return str(home / "server.properties")

    @property
    def marker(self) -> str:
        return self.marker_in(self.home)

    def _write_config(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        config = self.home / "server.properties"
        config.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    f"log.dirs={self.home / 'data'}",
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=10",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "delete.topic.enable=true",
                    "",
                ]
            )
        )
        (self.home / "log4j2.properties").write_text(LOG4J2_PROPERTIES)
        return config

    def _java(self, *args: str) -> list[str]:
        return [
            "java",
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.home}",
            "-cp",
            f"{self.jars}/*",
            *args,
        ]

    def _format_storage(self, config: Path) -> None:
        if (self.home / "data" / "meta.properties").exists():
            return
        cluster_id = uuid.uuid4().hex[:22]
        result = subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise KafkaError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

    def start(self, pid: int | None) -> int:
        """Start unless already running; returns the pid. Waits until a Metadata request is answered and
        consumer groups can be coordinated."""
        if is_running(pid, self.marker):
            return pid
        config = self._write_config()
        self._format_storage(config)
        process = start_detached(self._java(MAIN_CLASS, str(config)), self.log_file)
        if not wait_until(lambda: self.answers() or process.poll() is not None, timeout=120, interval=0.5):
            stop_process(process.pid, self.marker)
            raise KafkaError(f"Kafka did not answer on port {self.port} within 120 s:\n{tail(self.log_file)}")
        if process.poll() is not None:
            raise KafkaError(f"Kafka exited while starting:\n{tail(self.log_file)}")
        return process.pid

    def answers(self) -> bool:
        """True when the broker answers a Metadata request and can coordinate consumer groups."""
        return asyncio.run(metadata_answers(self.bootstrap_servers))

    def stop(self, pid: int | None) -> None:
        stop_process(pid, self.marker, timeout=60)


async def metadata_answers(bootstrap_servers: str, timeout_ms: int = 2000) -> bool:
    from aiokafka.admin import AIOKafkaAdminClient

    host, _, port = bootstrap_servers.split(",")[0].rpartition(":")
    if not port_is_open(int(port), host):
        return False
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=timeout_ms)
    try:
        await asyncio.wait_for(admin.start(), timeout_ms / 1000)
        await asyncio.wait_for(admin.describe_cluster(), timeout_ms / 1000)
        # The first FindCoordinator makes a fresh broker create its offsets topic; until that is done, every
        # consumer that joins a group logs GroupCoordinatorNotAvailable errors. Wait here instead.
        await asyncio.wait_for(admin.find_coordinator("puente-readiness-check"), timeout_ms / 1000)
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False
    finally:
        try:
            await admin.close()
        except Exception:  # noqa: BLE001
            pass
