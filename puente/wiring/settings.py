"""Settings from environment variables (prefix PUENTE_). Production points the same code elsewhere by these alone."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from puente.contracts.topics import Topics

DEFAULT_CITY_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config" / "cities"


class CrashPoint(StrEnum):
    """Test-only fault injection: kill the process at a named point to prove nothing is lost."""

    none = "none"
    after_outbox_write = "after_outbox_write"  # the database has the change and the event; Kafka has nothing yet
    after_publish = "after_publish"  # Kafka has the event; the outbox still says it is pending


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PUENTE_", extra="ignore")

    city: str = Field("bogota", pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$", description="The tenant: which city's program.")
    city_config_dir: Path = Field(DEFAULT_CITY_CONFIG_DIR, description="Folder with one <city>.toml per city.")

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = Field("puente", pattern=r"^[A-Za-z0-9._-]{1,100}$")
    kafka_topic_partitions: int = Field(3, ge=1)
    kafka_replication_factor: int = Field(1, ge=1)

    mongo_uri: SecretStr = SecretStr("mongodb://127.0.0.1:27017/?retryWrites=false&directConnection=true")
    mongo_database_prefix: str = Field("puente", pattern=r"^[A-Za-z0-9_-]{1,40}$")

    http_host: str = "127.0.0.1"
    http_port: int | None = Field(None, description="Health and metrics port; each service has its own default.")

    log_level: str = "INFO"
    log_format: str = Field("json", pattern=r"^(json|console)$")

    outbox_poll_seconds: float = Field(0.5, gt=0)
    outbox_lease_seconds: float = Field(
        10.0, gt=0, description="How long a replica's relay keeps the outbox after its last pass; a replica that "
        "died hands over after this long. Must exceed the poll interval.",
    )
    crash_at: CrashPoint = CrashPoint.none

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_sandbox_port: int = 8081

    survey_key: SecretStr = Field(
        SecretStr("puente-local-survey-key"), description="Keys the hash that tells one survey answer per Telegram "
        "account apart without naming the account; set a long random value in production, and keep it.")

    dashboard_key: SecretStr = Field(
        SecretStr("puente-local-dashboard-key"), description="Signs the one-time sign-in links to the coordinators' "
        "dashboard that the bot gives (/panel); the bot and reporting share it. Set a long random value in "
        "production.")
    reporting_url: str = Field("http://127.0.0.1:8004", description="Where the notifier fetches reports' PDFs from "
                               "reporting (inside the deployment).")
    dashboard_url: str = Field("http://127.0.0.1:8004", description="The dashboard's address as coordinators' "
                               "browsers reach it: the bot's sign-in links point here.")

    invitation_hours: int = Field(72, ge=1, le=24 * 30, description="How long an invitation code can be used.")

    @model_validator(mode="after")
    def _lease_outlasts_polls(self) -> Settings:
        if self.outbox_lease_seconds < 3 * self.outbox_poll_seconds:
            raise ValueError("PUENTE_OUTBOX_LEASE_SECONDS must be at least three times PUENTE_OUTBOX_POLL_SECONDS, "
                             "or a busy relay would lose its lease between two passes")
        return self

    @property
    def topics(self) -> Topics:
        return Topics(self.kafka_topic_prefix)

    @property
    def telegram_file_url(self) -> str:
        """Where files named by getFile are downloaded: Telegram's (and the sandbox's) /file/bot beside /bot."""
        base = self.telegram_api_url.removesuffix("/")
        return base.removesuffix("/bot") + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    def database_name(self, service: str) -> str:
        """Each service keeps its own database; no service reads another's."""
        return f"{self.mongo_database_prefix}_{service}"


DEFAULT_HTTP_PORTS = {"intake": 8001, "phases": 8002, "notifier": 8003, "reporting": 8004, "bot": 8005}
