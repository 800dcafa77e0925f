"""The `puente` command: local infrastructure, the whole system, one service, the AsyncAPI catalogue."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import click

from puente.local.infra import REPO_ROOT, LocalInfrastructure

SERVICES = ("intake", "phases", "notifier", "reporting")
ASYNCAPI_DIR = REPO_ROOT / "docs" / "asyncapi"


@click.group()
def main() -> None:
    """Puente: chat-ops for a city's international Best Practices Program."""


@main.group()
def infra() -> None:
    """Local Kafka (KRaft) and the MongoDB-compatible server, for development and tests."""


def _instance(name: str, kafka_port: int | None, mongo_port: int | None) -> LocalInfrastructure:
    return LocalInfrastructure(name, kafka_port=kafka_port, mongo_port=mongo_port)


instance_option = click.option("--instance", default="local", show_default=True, help="Name of the local instance.")
kafka_port_option = click.option(
    "--kafka-port", type=int, envvar="PUENTE_LOCAL_KAFKA_PORT", default=9092, show_default=True
)
mongo_port_option = click.option(
    "--mongo-port", type=int, envvar="PUENTE_LOCAL_MONGO_PORT", default=27017, show_default=True
)


@infra.command()
@instance_option
@kafka_port_option
@mongo_port_option
def up(instance: str, kafka_port: int, mongo_port: int) -> None:
    """Start what is not running and wait until each server answers. Idempotent."""
    infrastructure = _instance(instance, kafka_port, mongo_port)
    infrastructure.up()
    for name, value in infrastructure.environment().items():
        click.echo(f"{name}={value}")


@infra.command()
@instance_option
def down(instance: str) -> None:
    """Stop the servers by process id. Their data is kept."""
    _instance(instance, None, None).down()
    click.echo("stopped")


@infra.command()
@instance_option
def status(instance: str) -> None:
    """Whether each server runs and answers."""
    report = _instance(instance, None, None).status()
    click.echo(json.dumps(report, indent=2))
    if not all(server["answers"] for server in report.values()):
        sys.exit(1)


@infra.command()
def fetch() -> None:
    """Fetch the Kafka jars (Maven) and install SecantusDB, if missing."""
    missing = LocalInfrastructure.missing_downloads()
    if missing:
        click.echo(f"fetching {' and '.join(missing)}: only the first time, it takes a few minutes")
    jars, secantusd = LocalInfrastructure.fetch()
    click.echo(f"kafka jars: {jars}\nsecantusd: {secantusd}")


@main.command()
def run() -> None:
    """Bring up the whole system in the foreground: infrastructure, every service and the bot."""
    from puente.local.supervisor import run_everything

    sys.exit(run_everything())


@main.group()
def admin() -> None:
    """Operator's tasks against the configured Kafka and database."""


@admin.command()
@click.option("--role", type=click.Choice(["administrator", "coordinator", "evaluator", "staff"]), required=True)
@click.option("--name", required=True, help="The invited person's name, as the program will show it.")
@click.option("--entity", "entity_id", default=None, help="The entity's code (required for staff).")
@click.option("--sector", "sectors", multiple=True, help="An evaluator's sector (a code of the city file); repeat it.")
@click.option("--topic", "topics", multiple=True, help="A topic an evaluator knows about; repeat it.")
def invite(role: str, name: str, entity_id: str | None, sectors: tuple[str, ...], topics: tuple[str, ...]) -> None:
    """Invite a person (the very first administrator, typically): prints the code and the deep link."""
    import asyncio

    from puente.contracts.people import MAX_SECTORS, MAX_TOPICS, Role
    from puente.contracts.text import SHORT_TEXT_MAX, TOPIC_MAX, TextRefused, person_text
    from puente.wiring.city import load_city_config
    from puente.wiring.settings import Settings
    from services.intake.admin import invite_from_command_line

    settings = Settings()
    city = load_city_config(settings)
    entities = city.entities
    if (sectors or topics) and role != "evaluator":
        raise click.UsageError("only evaluators have sectors and topics")
    unknown = sorted(set(sectors) - set(city.sectors))
    if unknown:
        raise click.UsageError(f"no sector {unknown[0]!r} in {settings.city}; codes: {', '.join(sorted(city.sectors))}")
    try:
        topics = tuple(person_text(topic, TOPIC_MAX) for topic in topics)
    except TextRefused as refused:
        raise click.UsageError(f"a topic cannot be used ({refused.reason}): 2 to {TOPIC_MAX} characters") from refused
    if len(sectors) > MAX_SECTORS or len(topics) > MAX_TOPICS:
        raise click.UsageError(f"at most {MAX_SECTORS} sectors and {MAX_TOPICS} topics")
    if role == "staff" and entity_id is None:
        raise click.UsageError("staff belong to an entity: add --entity <code>")
    if entity_id is not None and entity_id not in entities:
        raise click.UsageError(f"no entity {entity_id!r} in {settings.city}; codes: {', '.join(sorted(entities))}")
    try:
        name = person_text(name, SHORT_TEXT_MAX)
    except TextRefused as refused:
        raise click.UsageError(f"the name cannot be used ({refused.reason})") from refused
    issued = asyncio.run(invite_from_command_line(settings, Role(role), name, entity_id, sectors, topics))
    if issued.outcome != "applied":
        click.echo(f"intake refused the invitation ({issued.outcome})", err=True)
        sys.exit(1)
    click.echo(f"invitation for {name} ({role}), valid {settings.invitation_hours} hours, usable once")
    click.echo(f"code       {issued.code}")
    if issued.bot_username:
        click.echo(f"link       https://t.me/{issued.bot_username}?start={issued.code}")
    if settings.telegram_bot_token is None:
        click.echo(f"web chat   http://127.0.0.1:{settings.telegram_sandbox_port}/?start={issued.code}")
    click.echo(f"or send    /start {issued.code}   to the bot")


@main.group("catalogue")
def catalogue_group() -> None:
    """Bogotá Aprende's catalogue of international practices, experts and allies."""


@catalogue_group.command("load")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Also overwrite entries coordinators added or corrected in chat.")
def load_catalogue(file: Path | None, force: bool) -> None:
    """Load the city's catalogue file (config/catalogues/<city>.toml, or FILE) into intake: new entries are added,
    changed ones corrected, and unchanged ones left alone, so loading it twice changes nothing. Entries that
    coordinators added or corrected in chat are kept, unless --force."""
    import asyncio

    from puente.wiring.settings import Settings
    from services.intake.admin import load_catalogue_from_command_line
    from services.intake.catalogue import CatalogueFileError, catalogue_path

    settings = Settings()
    path = file or catalogue_path(settings.city_config_dir, settings.city)
    try:
        loaded = asyncio.run(load_catalogue_from_command_line(settings, path, force))
    except CatalogueFileError as error:
        raise click.ClickException(str(error)) from error
    outcomes = loaded.outcomes
    click.echo(f"catalogue {path}: {outcomes['applied']} recorded (new or corrected), {outcomes['ignored']} "
               f"unchanged, {outcomes['kept']} kept as corrected in chat (--force replaces them), "
               f"{len(loaded.refused)} refused")
    for line in loaded.refused:
        click.echo(f"  refused {line}", err=True)
    if loaded.refused:
        sys.exit(1)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress/--no-progress", default=True, help="A progress bar on large files.")
def import_history(file: Path, progress: bool) -> None:
    """Import the years the program ran before Puente: a JSON Lines file of past exchanges and practices (the
    README describes it; config/history/bogota-example.jsonl is an example). Each row becomes the events live work
    announces; rows that are wrong are reported with their line and reason, and the good ones still go in.
    Importing the same file again changes nothing."""
    import asyncio

    from puente.wiring.settings import Settings
    from services.reporting.admin import import_history as run_import

    outcome = asyncio.run(run_import(Settings(), file, progress))
    click.echo(f"history {file}: {outcome.imported} rows imported ({outcome.events} events), {outcome.unchanged} "
               f"unchanged, {len(outcome.refused)} refused; {outcome.catalogue_added} experts and allies added to "
               f"the catalogue")
    for error in outcome.refused:
        click.echo(f"  line {error.line_number}: {error.reason}", err=True)
    if outcome.refused:
        sys.exit(1)


@main.command("export")
@click.argument("table", type=click.Choice(["items", "phases", "commitments", "participants", "indicators"]))
@click.option("--format", "form", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option("--period", default=None, help="A period of the city file (e.g. 2016-2019); the current one if left out.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write; standard output if left out (not for xlsx).")
def export(table: str, form: str, period: str | None, output: Path | None) -> None:
    """Export reporting's items, completed phases, commitments, participants or indicators for a period."""
    import asyncio

    from puente.wiring.settings import Settings
    from services.reporting import exports
    from services.reporting.admin import export_table

    if output is None and form == "xlsx":
        raise click.ClickException("an XLSX export needs --output FILE")
    try:
        content = asyncio.run(export_table(Settings(), exports.Table(table), exports.Form(form), period))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        output.write_bytes(content)
        click.echo(f"wrote {output} ({len(content)} bytes)")


@main.group("reporting")
def reporting_group() -> None:
    """Reporting's own data."""


@reporting_group.command("rebuild")
def rebuild_reporting() -> None:
    """Rebuild reporting's facts from scratch from its journal of events, and show the indicators before and after
    (they should be the same). Stop reporting first, or run it again if events kept arriving."""
    import asyncio

    from puente.wiring.settings import Settings
    from services.reporting.admin import rebuild

    rebuilt = asyncio.run(rebuild(Settings()))
    click.echo(f"rebuilt {rebuilt.items} items and {rebuilt.catalogue} catalogue entries from {rebuilt.events} "
               f"events; {rebuilt.changed} differed from the journal and were replaced")
    for period, after in rebuilt.after.items():
        before, now = rebuilt.before[period].model_dump(), after.model_dump()
        if before == now:
            click.echo(f"indicators for {period}: the same before and after")
            continue
        click.echo(f"indicators for {period}: changed")
        for key in sorted(before):
            if before[key] != now[key]:
                click.echo(f"  {key}: before {before[key]!r}, after {now[key]!r}")


@main.command()
@click.argument("name", type=click.Choice([*SERVICES, "bot"]))
def service(name: str) -> None:
    """Run one service (or the bot), as `python -m services.<name>` does."""
    runpy.run_module("bot" if name == "bot" else f"services.{name}", run_name="__main__")


def _sorted(specification):
    """FastStream lists channels, operations and components in no fixed order; sort them so the catalogue is
    reproducible."""
    specification.channels = dict(sorted(specification.channels.items()))
    specification.operations = dict(sorted(specification.operations.items()))
    components = specification.components
    if components is not None:
        components.messages = dict(sorted((components.messages or {}).items()))
        components.schemas = dict(sorted((components.schemas or {}).items()))
    return specification


def generate_asyncapi() -> dict[str, str]:
    """Each service's AsyncAPI document, generated by FastStream from the app itself, and the bot's, from its
    broker (what it sends and what its projection reads)."""
    import importlib

    from faststream.specification import AsyncAPI

    from bot.app import bot_runtime
    from puente.wiring.service import PUENTE_VERSION
    from puente.wiring.settings import Settings

    documents = {}
    settings = Settings(kafka_bootstrap_servers="kafka:9092")
    for name in SERVICES:
        app = importlib.import_module(f"services.{name}.app").build_app(settings)
        documents[name] = _sorted(app.schema.to_specification()).to_yaml()
    bot = AsyncAPI(bot_runtime(settings).broker, title="Puente bot", version=PUENTE_VERSION, description=(
        "The Telegram bot: sends the commands its conversations collect, and keeps its own view of the item and "
        "phase events for what it shows."))
    documents["bot"] = _sorted(bot.to_specification()).to_yaml()
    return documents


@main.command()
@click.option("--check", is_flag=True, help="Fail if the checked-in documents differ from the generated ones.")
def asyncapi(check: bool) -> None:
    """Write the AsyncAPI catalogue to docs/asyncapi/<service>.yaml."""
    stale = []
    for name, document in generate_asyncapi().items():
        path: Path = ASYNCAPI_DIR / f"{name}.yaml"
        if check:
            if not path.exists() or path.read_text() != document:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document)
        click.echo(f"wrote {path}")
    if stale:
        click.echo("out of date (run `puente asyncapi`): " + ", ".join(stale), err=True)
        sys.exit(1)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def test(context: click.Context) -> None:
    """Start throw-away Kafka and MongoDB-compatible servers, run the whole suite, stop them.

    Extra arguments go to pytest."""
    import os
    import subprocess

    instance = LocalInfrastructure(f"test-run-{os.getpid()}")
    click.echo("puente test: starting Kafka and the MongoDB-compatible server on free ports", err=True)
    try:
        instance.up()
        environment = {
            **os.environ,
            "PUENTE_TEST_KAFKA_BOOTSTRAP_SERVERS": instance.environment()["PUENTE_KAFKA_BOOTSTRAP_SERVERS"],
            "PUENTE_TEST_MONGO_URI": instance.environment()["PUENTE_MONGO_URI"],
        }
        result = subprocess.run([sys.executable, "-m", "pytest", *context.args], cwd=REPO_ROOT, env=environment)
    finally:
        click.echo("puente test: stopping the servers and deleting their data", err=True)
        instance.destroy()
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
