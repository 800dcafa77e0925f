"""A city's program as configuration: lines, phases, sectors, entities, targets, coordinators.

Another city adopts Puente by writing `config/cities/<city>.toml` and setting PUENTE_CITY; no code changes.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from puente.contracts.common import Line
from puente.contracts.deliverables import MAX_DELIVERABLES, DeliverableRule, DeliverableType
from puente.wiring.settings import Settings

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
MAX_ENTITY_KEY = 32  # "people:newentity:" + the code stays within a button's 64 bytes of data
MAX_ENTITIES = 96  # an entity keyboard plus its extra buttons stays within Telegram's 100


class Text(BaseModel):
    """A text a person reads, in Spanish and English; a city that works in one language may give only that one."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    es: str | None = Field(None, min_length=1)
    en: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _in_some_language(self) -> Text:
        if self.es is None and self.en is None:
            raise ValueError("a text needs at least one language (es or en)")
        return self

    def in_language(self, language: str) -> str:
        if language == "en":
            return self.en or self.es or ""
        return self.es or self.en or ""


class Deliverable(BaseModel):
    """One thing a phase asks for, typed: staff fill it in from chat, and phases checks it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text
    type: DeliverableType
    required: bool = True
    choices: dict[Key, Text] = Field(default_factory=dict)  # a choice's options
    minimum: float | None = None  # a number's bounds
    maximum: float | None = None
    future: bool = False  # a date that may not lie in the past

    @model_validator(mode="after")
    def _consistent(self) -> Deliverable:
        if (self.type is DeliverableType.choice) != bool(self.choices):
            raise ValueError(f"deliverable {self.key!r}: choices belong to, and only to, a choice")
        if (self.minimum is not None or self.maximum is not None) and self.type is not DeliverableType.number:
            raise ValueError(f"deliverable {self.key!r}: bounds belong to a number")
        if self.future and self.type is not DeliverableType.date:
            raise ValueError(f"deliverable {self.key!r}: 'future' belongs to a date")
        return self

    def rule(self) -> DeliverableRule:
        return DeliverableRule(key=self.key, type=self.type, required=self.required, choices=list(self.choices),
                               minimum=self.minimum, maximum=self.maximum, future=self.future)


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text
    deliverable: Text
    duration_days: int = Field(ge=1, le=3650)
    working_days: bool = False  # the duration counts working days (the calendar's), not calendar days
    deliverables: list[Deliverable] = Field(default_factory=list, max_length=MAX_DELIVERABLES)

    @model_validator(mode="after")
    def _unique_deliverable_keys(self) -> Phase:
        keys = [deliverable.key for deliverable in self.deliverables]
        if len(keys) != len(set(keys)):
            raise ValueError(f"phase {self.key!r}: deliverable keys repeat: {keys}")
        return self


class LineConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Text
    purpose: Text
    # The start of the line's reference codes: "AP" gives AP-2026-0007, the seventh exchange proposed in 2026.
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")
    phases: list[Phase] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _unique_phase_keys(self) -> LineConfig:
        keys = [phase.key for phase in self.phases]
        if len(keys) != len(set(keys)):
            raise ValueError(f"phase keys repeat: {keys}")
        return self


class Entity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=200)
    sector: Key


class CityInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    slug: Key
    name: str
    office: Text
    default_language: str = Field("es", pattern=r"^(es|en)$")
    timezone: str = Field("UTC", description="An IANA time zone: the city's dates (due dates, weeks) are dated in it.")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as unknown:
            raise ValueError(f"unknown time zone {value!r}") from unknown
        return value

    def local_date(self, moment: datetime) -> date:
        """The city's calendar date at `moment` (an aware datetime): what a due date counts from."""
        return moment.astimezone(ZoneInfo(self.timezone)).date()


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Calendar(BaseModel):
    """The city's working calendar: which days are worked, whose public holidays are kept (from the `holidays`
    library), when reminders may go out, and how phases' deadlines are followed up."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    working_days: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    holidays_country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166 code, e.g. CO")
    holidays_subdivision: str | None = None
    working_hours_start: time = time(8, 0)
    working_hours_end: time = time(17, 0)
    due_soon_days: int = Field(3, ge=0, le=60, description="How many days before a due date people are reminded")
    overdue_every_days: int = Field(7, ge=1, le=90, description="How often a late phase is announced again")
    escalate_after_reminders: int = Field(3, ge=1, le=30, description="Reminders with no progress on a late item "
                                          "before the coordinators are told")

    @model_validator(mode="after")
    def _known(self) -> Calendar:
        unknown = sorted(set(self.working_days) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown working days {unknown}; use {list(WEEKDAYS)}")
        if self.working_hours_end <= self.working_hours_start:
            raise ValueError("working hours must end after they start")
        if self.holidays_country is not None:
            try:
                holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)
            except NotImplementedError as unknown_country:
                raise ValueError(f"no public holidays known for {self.holidays_country!r}") from unknown_country
        return self

    @cached_property
    def _weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(day) for day in self.working_days)

    @cached_property
    def _public_holidays(self) -> holidays.HolidayBase | dict:
        if self.holidays_country is None:
            return {}
        return holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self._weekdays and day not in self._public_holidays


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    practices_identified_and_shared: int = Field(ge=0)
    learning_and_teaching_opportunities: int = Field(ge=0)


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text


class Milestone(BaseModel):
    """A step of a selected practice's systematization, due so many days after the systematization phase starts."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text
    days_after_start: int = Field(ge=1, le=3650)


class Ensena(BaseModel):
    """How Bogotá Enseña evaluates, systematizes and accompanies practices: the phases where evaluation and
    systematization happen, the evaluation team's size, the scorecard's criteria and scale, the systematization's
    milestones, and how many open collaboration requests one companion can hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    evaluation_phase: Key
    systematization_phase: Key
    evaluators_min: int = Field(2, ge=1, le=5)
    evaluators_max: int = Field(3, ge=1, le=5)
    scale_min: int = Field(1, ge=0, le=9)
    scale_max: int = Field(5, ge=1, le=10)
    criteria: list[Criterion] = Field(min_length=1, max_length=8)
    milestones: list[Milestone] = Field(min_length=1, max_length=12)
    companion_capacity: int = Field(ge=1, le=50)

    @model_validator(mode="after")
    def _consistent(self) -> Ensena:
        if self.evaluators_max < self.evaluators_min:
            raise ValueError("ensena: evaluators_max is below evaluators_min")
        if self.scale_max <= self.scale_min:
            raise ValueError("ensena: the scale must go up")
        for name, keys in (("criteria", [criterion.key for criterion in self.criteria]),
                           ("milestones", [milestone.key for milestone in self.milestones])):
            if len(keys) != len(set(keys)):
                raise ValueError(f"ensena: {name} keys repeat: {keys}")
        days = [milestone.days_after_start for milestone in self.milestones]
        if days != sorted(set(days)):
            raise ValueError(f"ensena: milestones must come in order, each on a later day: {days}")
        return self

    def criterion(self, key: str) -> Criterion | None:
        return next((criterion for criterion in self.criteria if criterion.key == key), None)

    def milestone(self, key: str) -> Milestone | None:
        return next((milestone for milestone in self.milestones if milestone.key == key), None)


class SurveyQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text


class Aprende(BaseModel):
    """How Bogotá Aprende matches, records, surveys and follows up an exchange: the phase where practices and experts
    are matched to the need, the phases where the exchange is recorded (and the ones that cannot complete without
    its plan, or without its participants), the phase where the action plan's commitments are taken on, the phases
    after which participants are surveyed (and the questions), and when a survey's average alerts the
    coordinators."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    matching_phase: Key
    record_phases: list[Key] = Field(min_length=1, max_length=6)
    plan_phase: Key  # completing it needs the exchange's plan: instrument, dates and place
    participants_phase: Key  # completing it needs the participants by type
    action_plan_phase: Key
    survey_phases: list[Key] = Field(min_length=1, max_length=4)
    survey_questions: list[SurveyQuestion] = Field(min_length=1, max_length=8)
    survey_low_average: float = Field(3.0, ge=1, le=5)  # an average below this (on 1 to 5) alerts the coordinators
    survey_min_answers: int = Field(3, ge=1, le=100)  # answers before an average counts

    @model_validator(mode="after")
    def _consistent(self) -> Aprende:
        keys = [question.key for question in self.survey_questions]
        if len(keys) != len(set(keys)):
            raise ValueError(f"aprende: survey question keys repeat: {keys}")
        return self

    def question(self, key: str) -> SurveyQuestion | None:
        return next((question for question in self.survey_questions if question.key == key), None)


class Period(BaseModel):
    """A span the program reports on, usually an administration: its targets apply to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Key
    name: Text
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.ends_on < self.starts_on:
            raise ValueError(f"period {self.key!r} ends before it starts")
        return self

    def holds(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Reporting(BaseModel):
    """When the weekly digest is made (in the city's timezone), how far ahead reports look for deadlines, and the
    periods (administrations) the indicators are reported for, each against the city's targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    digest_weekday: str = "mon"
    digest_time: time = time(8, 0)
    deadline_days: int = Field(14, ge=1, le=90)
    periods: list[Period] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _consistent(self) -> Reporting:
        if self.digest_weekday not in WEEKDAYS:
            raise ValueError(f"reporting: unknown digest_weekday {self.digest_weekday!r}; use {list(WEEKDAYS)}")
        keys = [period.key for period in self.periods]
        if len(keys) != len(set(keys)):
            raise ValueError(f"reporting: period keys repeat: {keys}")
        return self

    @property
    def digest_weekday_number(self) -> int:
        return WEEKDAYS.index(self.digest_weekday)

    def period(self, key: str) -> Period | None:
        return next((period for period in self.periods if period.key == key), None)

    def period_on(self, day: date) -> Period:
        """The period holding `day`; between or after periods, the latest one that started (else the first)."""
        holding = [period for period in self.periods if period.holds(day)]
        if holding:
            return holding[-1]
        started = [period for period in self.periods if period.starts_on <= day]
        return max(started, key=lambda period: period.starts_on) if started else self.periods[0]


class Coordinators(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    chat_ids: list[int] = Field(default_factory=list)

    @field_validator("chat_ids")
    @classmethod
    def _no_repeats(cls, chat_ids: list[int]) -> list[int]:
        repeated = sorted({chat_id for chat_id in chat_ids if chat_ids.count(chat_id) > 1})
        if repeated:
            raise ValueError(f"coordinator chat ids repeat: {repeated}")
        return chat_ids


class CityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    city: CityInfo
    targets: Targets
    lines: dict[Line, LineConfig]
    sectors: dict[Key, Text]
    entities: dict[Key, Entity]
    coordinators: Coordinators = Coordinators()
    calendar: Calendar = Calendar()
    ensena: Ensena
    aprende: Aprende
    reporting: Reporting

    @model_validator(mode="after")
    def _consistent(self) -> CityConfig:
        if set(self.lines) != set(Line):
            raise ValueError(f"both lines must be configured: {sorted(Line)}")
        for key, entity in self.entities.items():
            if entity.sector not in self.sectors:
                raise ValueError(f"entity {key!r} names unknown sector {entity.sector!r}")
        # Entities are chosen with Telegram buttons, whose data holds at most 64 bytes and a message 100 buttons.
        long_keys = [key for key in self.entities if len(key) > MAX_ENTITY_KEY]
        if long_keys:
            raise ValueError(f"entity codes longer than {MAX_ENTITY_KEY} characters: {long_keys}")
        if len(self.entities) > MAX_ENTITIES:
            raise ValueError(f"{len(self.entities)} entities; at most {MAX_ENTITIES} fit in the bot's buttons")
        ensena_phases = [phase.key for phase in self.lines[Line.ensena].phases]
        for phase in (self.ensena.evaluation_phase, self.ensena.systematization_phase):
            if phase not in ensena_phases:
                raise ValueError(f"ensena names phase {phase!r}, which the Enseña line does not have: {ensena_phases}")
        if ensena_phases.index(self.ensena.evaluation_phase) >= ensena_phases.index(self.ensena.systematization_phase):
            raise ValueError("ensena: the evaluation phase must come before the systematization phase")
        aprende_phases = [phase.key for phase in self.lines[Line.aprende].phases]
        named = [self.aprende.matching_phase, self.aprende.action_plan_phase, self.aprende.plan_phase,
                 self.aprende.participants_phase, *self.aprende.record_phases, *self.aprende.survey_phases]
        unknown = [phase for phase in named if phase not in aprende_phases]
        if unknown:
            raise ValueError(f"aprende names phases {unknown}, which the Aprende line does not have: {aprende_phases}")
        prefixes = [line.reference_prefix for line in self.lines.values()]
        if len(prefixes) != len(set(prefixes)):
            raise ValueError(f"the lines' reference prefixes repeat: {prefixes}")
        return self

    def phases_of(self, line: Line) -> list[Phase]:
        return self.lines[line].phases


class CityConfigError(ValueError):
    """The city's configuration file is missing or wrong; the message says where."""


def load_city_config(settings: Settings) -> CityConfig:
    path = Path(settings.city_config_dir) / f"{settings.city}.toml"
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise CityConfigError(f"no configuration for city {settings.city!r}: {path} does not exist") from missing
    except tomllib.TOMLDecodeError as error:
        raise CityConfigError(f"{path} is not valid TOML: {error}") from error
    try:
        config = CityConfig.model_validate(document)
    except ValueError as error:
        raise CityConfigError(f"{path} is not a valid city configuration: {error}") from error
    if config.city.slug != settings.city:
        raise CityConfigError(f"{path} describes city {config.city.slug!r}, not {settings.city!r}")
    return config
