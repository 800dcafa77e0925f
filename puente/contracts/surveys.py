"""Surveys after an exchange and at closure, and their answers."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from puente.contracts.common import Payload
from puente.contracts.envelope import LongText, Message, Slug
from puente.contracts.topic_names import TopicName

PersonId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class SurveyMoment(StrEnum):
    after_exchange = "after_exchange"
    closure = "closure"


class SurveyRequestedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    moment: SurveyMoment
    participant_ids: list[PersonId] = Field(max_length=2000)


class SurveyRequested(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["survey.requested"] = "survey.requested"
    payload: SurveyRequestedPayload


class SurveySubmittedPayload(Payload):
    item_id: uuid.UUID
    survey_id: uuid.UUID
    respondent_id: PersonId
    scores: dict[Slug, Annotated[int, Field(ge=1, le=5)]] = Field(max_length=50)
    comment: LongText | None = None


class SurveySubmitted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["survey.submitted"] = "survey.submitted"
    payload: SurveySubmittedPayload


MESSAGES = (SurveyRequested, SurveySubmitted)
