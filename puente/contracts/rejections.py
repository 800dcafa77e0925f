"""A command that was well-formed but could not be carried out, and why: the bot's person hears it in their language.

Each service keeps its reasons with its own contract (intake's in `items.py`); `REASONS_BY_SERVICE` names them,
so a rejection is valid only with a reason its service can give.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import model_validator

from puente.contracts.common import Payload
from puente.contracts.envelope import Message, Slug
from puente.contracts.items import IntakeRejectionReason
from puente.contracts.phases import PhasesRejectionReason
from puente.contracts.reporting import ReportingRejectionReason
from puente.contracts.topic_names import TopicName

REASONS_BY_SERVICE: dict[str, type[StrEnum]] = {"intake": IntakeRejectionReason, "phases": PhasesRejectionReason,
                                                 "reporting": ReportingRejectionReason}


class CommandRejectedPayload(Payload):
    command_id: uuid.UUID
    command_type: Slug
    service: Slug  # the service that refused the command; `reason` is one of its reasons
    reason: Slug
    item_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _a_reason_of_its_service(self) -> CommandRejectedPayload:
        reasons = REASONS_BY_SERVICE.get(self.service)
        if reasons is None:
            raise ValueError(f"no service {self.service!r} rejects commands; known: {sorted(REASONS_BY_SERVICE)}")
        if self.reason not in {reason.value for reason in reasons}:
            raise ValueError(f"{self.service} has no rejection reason {self.reason!r}")
        return self


def service_named_in_rejection(document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 did not name the service that refused: intake was the only one that could."""
    return {**document, "payload": {**document.get("payload", {}), "service": "intake"}}


class CommandRejected(Message):
    """A command was well-formed but could not be carried out; the bot tells the person why, in their language."""

    # beside the facts of what was refused
    topics: ClassVar = (TopicName.item_events, TopicName.people_events, TopicName.phase_events,
                        TopicName.reporting_events)
    schema_version: ClassVar = 2
    upcasters: ClassVar = {1: service_named_in_rejection}
    type: Literal["command.rejected"] = "command.rejected"
    payload: CommandRejectedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.item_id or self.payload.command_id)


MESSAGES = (CommandRejected,)
