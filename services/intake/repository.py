"""What intake keeps: one `items` collection of exchanges and practices."""

from __future__ import annotations

from puente.wiring.storage import Stored
from services.intake.domain import Item

ITEMS = Stored("items", Item, indexed_by=[("entity_id", "line"), ("status",)])
