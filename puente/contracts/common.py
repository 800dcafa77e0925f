"""Types every domain's contract shares: the payload base, the program's lines, country codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(StrEnum):
    """The program's two lines of action."""

    aprende = "aprende"  # the city learns from an international practice through a knowledge exchange
    ensena = "ensena"  # the city systematizes and promotes one of its own practices


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class ParticipantType(StrEnum):
    """Who takes part in an exchange or a systematization, as the program counts them."""

    public_national = "public_national"  # public sector, national level
    public_local = "public_local"  # public sector, local level
    private_sector = "private_sector"
    civil_society = "civil_society"
    academia = "academia"
    international = "international"  # international organisations
