"""Bogotá Enseña's evaluation: a coordinator assigns evaluators to a practice, each scores the city's criteria, and a
coordinator decides (selected, not selected, more information needed). Commands go to phases, which announces the
facts."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from puente.contracts.common import Payload
from puente.contracts.envelope import Message, Slug
from puente.contracts.phases import ItemCommand
from puente.contracts.text import NoteText
from puente.contracts.topic_names import TopicName

MAX_EVALUATORS = 5
MAX_CRITERIA = 8


class Decision(StrEnum):
    selected = "selected"
    not_selected = "not_selected"
    more_information = "more_information"


def _distinct(values: list) -> list:
    if len(values) != len(set(values)):
        raise ValueError("each one once")
    return values


# --- commands, from the bot to phases -------------------------------------------------------------------------


class AssignEvaluatorsPayload(Payload):
    item_id: uuid.UUID
    evaluator_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_EVALUATORS)

    _distinct_evaluators = field_validator("evaluator_ids")(_distinct)


class AssignEvaluators(ItemCommand):
    """A coordinator names the practice's evaluation team (it replaces an earlier one; scorecards of evaluators who
    stay are kept)."""

    type: Literal["assign_evaluators"] = "assign_evaluators"
    payload: AssignEvaluatorsPayload


class ScorePracticePayload(Payload):
    item_id: uuid.UUID
    scores: dict[Slug, int] = Field(min_length=1, max_length=MAX_CRITERIA,
                                    description="Each of the city's criteria, scored on the city's scale.")
    comment: NoteText


class ScorePractice(ItemCommand):
    """An assigned evaluator scores the practice."""

    type: Literal["score_practice"] = "score_practice"
    payload: ScorePracticePayload


class DecidePracticePayload(Payload):
    item_id: uuid.UUID
    decision: Decision
    note: NoteText | None = None


class DecidePractice(ItemCommand):
    """A coordinator decides once the scorecards are in."""

    type: Literal["decide_practice"] = "decide_practice"
    payload: DecidePracticePayload


# --- facts, announced by phases ------------------------------------------------------------------------------


class EvaluatorsAssignedPayload(Payload):
    item_id: uuid.UUID
    evaluator_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_EVALUATORS)
    due_on: date | None = Field(None, description="When the evaluation phase is due: the scorecards' due date.")


class EvaluatorsAssigned(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["evaluators.assigned"] = "evaluators.assigned"
    payload: EvaluatorsAssignedPayload


class ScorecardSubmittedPayload(Payload):
    item_id: uuid.UUID
    evaluator_id: uuid.UUID
    scores: dict[Slug, int]
    comment: NoteText
    waiting_for: int = Field(ge=0, description="Assigned evaluators who have not scored yet.")


class ScorecardSubmitted(Message):
    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["scorecard.submitted"] = "scorecard.submitted"
    payload: ScorecardSubmittedPayload


class PracticeDecidedPayload(Payload):
    item_id: uuid.UUID
    decision: Decision
    note: NoteText | None = None
    averages: dict[Slug, float] = Field(description="Each criterion's average score over the scorecards.")
    overall: float = Field(description="The average of the criteria's averages.")
    scorecards: int = Field(ge=0)


class PracticeDecided(Message):
    """The coordinator's decision, with the scores: not selected ends the practice's course."""

    topics: ClassVar = (TopicName.phase_events,)
    type: Literal["practice.decided"] = "practice.decided"
    payload: PracticeDecidedPayload


MESSAGES = (AssignEvaluators, ScorePractice, DecidePractice, EvaluatorsAssigned, ScorecardSubmitted, PracticeDecided)
