"""The weekly digest and the current report: made from reporting's facts, kept as PDFs (the dashboard's archive),
and announced so the notifier sends them. Reporting keeps who the coordinators are, from the directory's events, to
decide who may have a report or sign in to the dashboard."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from puente.contracts.envelope import SYSTEM_ACTOR, Message, derived_id
from puente.contracts.people import Role
from puente.contracts.rejections import CommandRejected, CommandRejectedPayload
from puente.contracts.reporting import (
    MAX_SUMMARY,
    DigestGenerated,
    DigestGeneratedPayload,
    ReportFile,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportingRejectionReason,
    RequestReport,
)
from puente.contracts.topics import Topics
from puente.i18n import translate
from puente.wiring.city import CityConfig
from puente.wiring.clock import Clock
from puente.wiring.directory_view import DirectoryView
from puente.wiring.dispatch import Routes
from puente.wiring.scheduler import Job, weekly_at
from puente.wiring.storage import Stored
from puente.wiring.transaction import Transaction
from services.reporting.pdf import render_pdf
from services.reporting.report import Report, build_report, local_day, status_line

COORDINATING = (Role.coordinator, Role.administrator)
DIGEST_JOB = "reporting.weekly-digest"


class Reader(BaseModel):
    """A person of the directory, as reporting needs them: may they have reports, and in which language."""

    model_config = ConfigDict(frozen=True)
    id: str  # the person's id
    telegram_user_id: int
    role: Role
    language: str = "es"
    active: bool = True

    @property
    def coordinates(self) -> bool:
        return self.active and self.role in COORDINATING


class StoredReport(BaseModel):
    """A report made: a week's digest or a coordinator's current report, with its PDF."""

    model_config = ConfigDict(frozen=True)
    id: str  # the report's id
    city: str
    kind: str  # "digest" or "current"
    iso_week: str | None = None
    made_at: datetime
    language: str
    title: str
    summary: str
    file_name: str
    download_key: str
    pdf: bytes


class DigestSchedule(BaseModel):
    """Since when reporting makes a city's digests: its first pass."""

    model_config = ConfigDict(frozen=True)
    id: str  # the city
    since: datetime


DIGEST_SCHEDULES = Stored("digest_schedules", DigestSchedule)
READERS = Stored("readers", Reader, indexed_by=[("telegram_user_id",)])
REPORTS = Stored("reports", StoredReport, indexed_by=[("city", "kind", "made_at")])


def report_file(report: StoredReport) -> ReportFile:
    return ReportFile(report_id=uuid.UUID(report.id), file_name=report.file_name, download_key=report.download_key)


def summary_of(report: Report, title: str, language: str) -> str:
    text = f"📊 {title}\n{status_line(report, language)}\n{translate('report-summary-more', language)}"
    return text[:MAX_SUMMARY]


async def make_report(transaction: Transaction, city: CityConfig, now: datetime, report_id: uuid.UUID, kind: str,
                      language: str, iso_week: str | None = None, period_key: str | None = None) -> StoredReport:
    """Build the report as of `now`, render its PDF and keep it."""
    period = city.reporting.period(period_key) if period_key else None
    report = await build_report(transaction, city, now, period)
    day = local_day(city, now).isoformat()
    if kind == "digest":
        title = translate("report-title-weekly", language, week=iso_week)
    elif period is not None:  # another administration than the current one: its name says which
        title = translate("report-title-period", language, day=day, period=period.name.in_language(language))
    else:
        title = translate("report-title-current", language, day=day)
    named = "-".join(part for part in (city.city.slug, period_key, iso_week or day) if part)
    stored = StoredReport(
        id=str(report_id), city=city.city.slug, kind=kind, iso_week=iso_week, made_at=now, language=language,
        title=title, summary=summary_of(report, title, language),
        file_name=f"{named.lower()}.pdf".replace("_", "-"),
        download_key=secrets.token_hex(16),
        # Drawing takes a while on a large program: in a worker thread, so the service keeps answering meanwhile.
        pdf=await asyncio.to_thread(render_pdf, report, city, language, title),
    )
    await transaction.collection(REPORTS).add(stored)
    return stored


class ReportingHandlers:
    def __init__(self, topics: Topics, city: CityConfig, clock: Clock) -> None:
        self.topics = topics
        self.city = city
        self.clock = clock

    def jobs(self) -> list[Job]:
        reporting = self.city.reporting
        at = weekly_at(reporting.digest_weekday_number, reporting.digest_time, self.city.city.timezone)
        return [Job(DIGEST_JOB, at, self.make_digest)]

    def command_routes(self) -> Routes:
        return {RequestReport: self.report_requested}

    def people_routes(self) -> Routes:
        """Reporting's view of the directory (who coordinates, in which language), kept from the people events."""
        return DirectoryView(READERS).routes()

    def scheduled_moment(self, run_key: str) -> datetime:
        """When the digest of an ISO week (e.g. 2026-W49) is due: its weekday and time in the city's timezone."""
        year, week = (int(part) for part in run_key.split("-W"))
        day = date.fromisocalendar(year, week, self.city.reporting.digest_weekday_number + 1)
        return datetime.combine(day, self.city.reporting.digest_time, tzinfo=ZoneInfo(self.city.city.timezone))

    async def make_digest(self, transaction: Transaction, run_key: str, now: datetime) -> int:
        """The week's digest, once per week and city: its id derives from both, and the scheduler records the run
        in the same transaction, so two replicas (or a restart) never make a second one. Reporting that was down
        at the time makes it when it is back; but a week due before reporting first ran has none (a new deployment
        waits for its first Monday, rather than sending at once what its consumers have barely read)."""
        slug = self.city.city.slug
        schedule = transaction.collection(DIGEST_SCHEDULES)
        kept = await schedule.get(slug)
        if kept is None:
            kept = DigestSchedule(id=slug, since=now)
            await schedule.add(kept)
        if self.scheduled_moment(run_key) < kept.since:
            return 0
        digest_id = derived_id("digest", slug, run_key)
        if await transaction.collection(REPORTS).get(str(digest_id)) is not None:
            return 0
        language = self.city.city.default_language
        stored = await make_report(transaction, self.city, now, digest_id, "digest", language, iso_week=run_key)
        await transaction.announce(self.topics.reporting_events, DigestGenerated.new(
            payload=DigestGeneratedPayload(digest_id=digest_id, iso_week=run_key, language=language,
                                           summary=stored.summary, file=report_file(stored)),
            actor=SYSTEM_ACTOR, city=slug, event_id=derived_id(digest_id, "digest.generated"), occurred_at=now))
        return 1

    async def report_requested(self, command: RequestReport, transaction: Transaction) -> str:
        reader = await self.reader_of(transaction, command)
        if reader is None or not reader.coordinates:
            await self.refuse(transaction, command, ReportingRejectionReason.not_allowed)
            return "rejected"
        if command.payload.period is not None and self.city.reporting.period(command.payload.period) is None:
            await self.refuse(transaction, command, ReportingRejectionReason.unknown_period)
            return "rejected"
        now = self.clock()
        report_id = derived_id(command.event_id, "report")
        stored = await make_report(transaction, self.city, now, report_id, "current", reader.language,
                                   period_key=command.payload.period)
        await transaction.announce(self.topics.reporting_events, ReportGenerated.new(
            payload=ReportGeneratedPayload(person_id=uuid.UUID(reader.id), language=reader.language,
                                           summary=stored.summary, file=report_file(stored)),
            actor=command.actor, city=command.city, caused_by=command,
            event_id=derived_id(command.event_id, "report.generated"), occurred_at=now))
        return "applied"

    async def reader_of(self, transaction: Transaction, command: Message) -> Reader | None:
        if not command.actor.id.isdigit():
            return None
        found = await transaction.collection(READERS).find(telegram_user_id=int(command.actor.id))
        return next((reader for reader in found if reader.active), None)

    async def refuse(self, transaction: Transaction, command: Message, reason: ReportingRejectionReason) -> None:
        await transaction.announce(self.topics.reporting_events, CommandRejected.new(
            payload=CommandRejectedPayload(command_id=command.event_id, command_type=command.type,
                                           service="reporting", reason=reason.value),
            actor=command.actor, city=command.city, caused_by=command,
            event_id=derived_id(command.event_id, "command.rejected")))
