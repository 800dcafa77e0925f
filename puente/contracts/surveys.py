"""Surveys of an exchange's participants: one opens when each of the city's survey phases completes (after the
exchange, and at closure), participants answer it anonymously through a link the entity forwards, once per
Telegram account, and a low average alerts the coordinators.

An answer names no one: its respondent is a keyed hash of the survey and the Telegram account, which tells a second
answer from the same account apart and nothing else; its actor is `ANONYMOUS`."""

from __future__ import annotations

import base64
import uuid
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from puente.contracts.common import Payload
from puente.contracts.envelope import Actor, ActorRole, Message, Slug
from puente.contracts.phases import ItemCommand
from puente.contracts.text import NoteText
from puente.contracts.topic_names import TopicName

MAX_QUESTIONS = 8
MAX_ANSWERS = 5000  # to one survey
SurveyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z2-7]{8}$")]
RespondentKey = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Rating = Annotated[int, Field(ge=1, le=5)]
ANONYMOUS = Actor(role=ActorRole.guest, id="anonymous")


def survey_code(survey_id: uuid.UUID) -> str:
    """The short code a survey's link carries (`/start survey-<code>`): eight letters and digits from its id."""
    return base64.b32encode(survey_id.bytes[:5]).decode()


# --- commands, from the bot to phases -------------------------------------------------------------------------


class AnswerSurveyPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    respondent: RespondentKey
    ratings: dict[Slug, Rating] = Field(min_length=1, max_length=MAX_QUESTIONS)
    comment: NoteText | None = None


class AnswerSurvey(ItemCommand):
    """A participant's answer, sent by the bot for an anonymous actor."""

    type: Literal["answer_survey"] = "answer_survey"
    payload: AnswerSurveyPayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class SurveyRequestedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    code: SurveyCode
    phase_key: Slug = Field(description="The phase whose completion opened it: after the exchange, or at closure.")
    questions: list[Slug] = Field(min_length=1, max_length=MAX_QUESTIONS)


class SurveyRequested(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["survey.requested"] = "survey.requested"
    payload: SurveyRequestedPayload


class SurveySubmittedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    respondent: RespondentKey
    ratings: dict[Slug, Rating] = Field(min_length=1, max_length=MAX_QUESTIONS)
    comment: NoteText | None = None
    answers: int = Field(ge=1, le=MAX_ANSWERS, description="Answers to this survey so far, this one included.")
    average: float = Field(ge=1, le=5, description="The survey's average rating so far, over every question.")


class SurveySubmitted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["survey.submitted"] = "survey.submitted"
    payload: SurveySubmittedPayload


class SurveyScoredLowPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    phase_key: Slug
    answers: int = Field(ge=1)
    average: float = Field(ge=1, le=5)
    averages: dict[Slug, float]
    threshold: float


class SurveyScoredLow(Message):
    """A survey's average fell below the city's threshold once it had enough answers: told once per survey."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["survey.scored_low"] = "survey.scored_low"
    payload: SurveyScoredLowPayload


MESSAGES = (AnswerSurvey, SurveyRequested, SurveySubmitted, SurveyScoredLow)
