"""Unit tests run with no servers: their settings point nowhere, and nothing in them connects."""

from __future__ import annotations

import pytest

from puente.wiring.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings()
