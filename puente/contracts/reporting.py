"""Reports of the program: the weekly digest reporting makes on the city's schedule, and the current report a
coordinator asks for from chat (`/informe`). Each is a PDF reporting keeps; the events say where the notifier fetches
it (`ReportFile`) and carry the short message that goes with it."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from puente.contracts.common import Payload
from puente.contracts.envelope import Language, Message, Slug
from puente.contracts.topic_names import TopicName

MAX_SUMMARY = 900  # the message that goes with the PDF: a Telegram caption holds 1024 characters

IsoWeek = Annotated[str, StringConstraints(pattern=r"^\d{4}-W\d{2}$")]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SUMMARY)]


class ReportingRejectionReason(StrEnum):
    not_allowed = "not_allowed"  # only active coordinators get reports
    unknown_period = "unknown_period"  # the city file has no such period


class ReportFile(Payload):
    """Where the notifier fetches a report's PDF from reporting:
    `/reports/download?id=<report_id>&key=<download_key>`."""

    report_id: uuid.UUID
    file_name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,80}\.pdf$")]
    download_key: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


# --- commands, from the bot to reporting -------------------------------------------------------------------------


class RequestReportPayload(Payload):
    period: Slug | None = Field(None, description="A period of the city file; None for the current one.")


class RequestReport(Message):
    """A coordinator asks for the program's report as of now; it comes back as a PDF in their chat."""

    topics: ClassVar = (TopicName.reporting_commands,)
    type: Literal["request_report"] = "request_report"
    payload: RequestReportPayload

    def aggregate_id(self) -> str:
        return self.actor.id


# --- facts, announced by reporting ---------------------------------------------------------------------------


class DigestGeneratedPayload(Payload):
    digest_id: uuid.UUID
    iso_week: IsoWeek
    language: Language = "es"
    summary: Summary
    file: ReportFile


class DigestGenerated(Message):
    """The week's digest is made: the coordinators get the summary and the PDF, once per week and city. (Before
    reporting made digests, this had no summary nor file; none was ever announced.)"""

    topics: ClassVar = (TopicName.reporting_events,)
    type: Literal["digest.generated"] = "digest.generated"
    payload: DigestGeneratedPayload

    def aggregate_id(self) -> str:
        return self.payload.iso_week


class ReportGeneratedPayload(Payload):
    person_id: uuid.UUID = Field(description="The coordinator who asked; the report goes to their chat.")
    language: Language
    summary: Summary
    file: ReportFile


class ReportGenerated(Message):
    topics: ClassVar = (TopicName.reporting_events,)
    type: Literal["report.generated"] = "report.generated"
    payload: ReportGeneratedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.person_id)


MESSAGES = (RequestReport, DigestGenerated, ReportGenerated)
