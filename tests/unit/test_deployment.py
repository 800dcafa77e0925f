"""No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked against the code instead."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from puente.wiring.settings import DEFAULT_HTTP_PORTS, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APPLICATIONS = {"intake": "services.intake", "phases": "services.phases", "notifier": "services.notifier",
                "reporting": "services.reporting", "bot": "bot"}
SETTINGS_VARIABLES = {f"PUENTE_{name.upper()}" for name in Settings.model_fields}


def test_every_service_and_the_bot_run_from_one_image_built_by_the_dockerfile():
    images = set()
    for name, module in APPLICATIONS.items():
        service = COMPOSE["services"][name]
        assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}
        assert (ROOT / service["build"]["dockerfile"]).exists()
        assert service["command"] == ["python", "-m", module]
        assert importlib.util.find_spec(f"{module}.__main__") is not None, f"{module} cannot be run with -m"
        images.add(service["image"])
    assert len(images) == 1


def test_service_variables_are_settings_the_code_reads():
    for name in APPLICATIONS:
        environment = COMPOSE["services"][name]["environment"]
        unknown = {variable for variable in environment if variable not in SETTINGS_VARIABLES}
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert environment["PUENTE_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert environment["PUENTE_MONGO_URI"].startswith("mongodb://mongo:27017/")
        Settings(**{variable.removeprefix("PUENTE_").lower(): value for variable, value in environment.items()
                    if "${" not in str(value)})


def test_health_checks_probe_the_port_each_service_listens_on():
    for name in APPLICATIONS:
        service = COMPOSE["services"][name]
        port = service["environment"]["PUENTE_HTTP_PORT"]
        assert int(port) == DEFAULT_HTTP_PORTS[name]
        assert f"http://127.0.0.1:{port}/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert COMPOSE["services"]["bot"]["environment"]["PUENTE_TELEGRAM_BOT_TOKEN"].startswith(
        "${PUENTE_TELEGRAM_BOT_TOKEN"
    )


def test_kafka_runs_in_kraft_mode_and_mongodb_as_a_replica_set():
    kafka = COMPOSE["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    mongo = COMPOSE["services"]["mongo"]
    assert mongo["image"].startswith("mongo:") and "--replSet" in mongo["command"]


def test_the_dockerfile_copies_what_the_services_need():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for folder in ("puente", "services", "bot", "config"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "requirements.lock" in dockerfile
    exposed = {int(port) for line in dockerfile.splitlines() if line.startswith("EXPOSE") for port in line.split()[1:]}
    assert exposed == set(DEFAULT_HTTP_PORTS.values())


def test_the_installed_package_carries_its_texts_and_the_web_chat():
    import tomllib

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for package, patterns in package_data.items():
        shipped = {path for pattern in patterns for path in (ROOT / package).glob(pattern)}
        assert shipped, f"{package}: {patterns} match nothing"
    texts = set((ROOT / "puente").glob("locales/*/*.ftl"))
    assert texts <= {path for pattern in package_data["puente"] for path in (ROOT / "puente").glob(pattern)}
    assert len(texts) == 2
