"""Settings come from PUENTE_* variables and refuse combinations that would misbehave."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from puente.wiring.settings import Settings


def test_settings_are_read_from_puente_variables(monkeypatch):
    monkeypatch.setenv("PUENTE_OUTBOX_POLL_SECONDS", "1.5")
    monkeypatch.setenv("PUENTE_OUTBOX_LEASE_SECONDS", "30")
    settings = Settings()
    assert (settings.outbox_poll_seconds, settings.outbox_lease_seconds) == (1.5, 30.0)


def test_a_lease_shorter_than_three_polls_is_refused_with_the_variables_named(monkeypatch):
    monkeypatch.setenv("PUENTE_OUTBOX_POLL_SECONDS", "2")
    monkeypatch.setenv("PUENTE_OUTBOX_LEASE_SECONDS", "5")
    with pytest.raises(ValidationError, match="PUENTE_OUTBOX_LEASE_SECONDS must be at least three times"):
        Settings()
