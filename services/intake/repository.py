"""What intake keeps: the exchanges and practices (`items`) and the last reference code of each line and year
(`reference_counters`), and the directory (`people`, `invitations`, and the
recent wrong codes of each Telegram account)."""

from __future__ import annotations

from puente.wiring.storage import Stored
from services.intake.directory import Invitation, Person, WrongCodes
from services.intake.domain import Item, ReferenceCounter

ITEMS = Stored("items", Item, indexed_by=[("entity_id", "line"), ("status",), ("reference",)])
REFERENCE_COUNTERS = Stored("reference_counters", ReferenceCounter)
INVITATIONS = Stored("invitations", Invitation, indexed_by=[("code_hash",)])
PEOPLE = Stored("people", Person, indexed_by=[("telegram_user_id",), ("entity_id", "role")])
WRONG_CODES = Stored("wrong_codes", WrongCodes)
