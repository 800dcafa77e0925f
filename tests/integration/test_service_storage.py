"""What a service sets up in its database: the inbox's expiry, and no index that nothing uses."""

from __future__ import annotations

import pytest

from puente.wiring.outbox import INBOX, OUTBOX
from tests.helpers import service_runtime

pytestmark = pytest.mark.integration


async def test_the_outbox_has_only_the_index_the_relay_reads_by(settings):
    async with service_runtime("intake", settings) as runtime:
        await runtime.database[OUTBOX].insert_one({"probe": True})
        outbox_indexes = [index["key"] for index in await (await runtime.database[OUTBOX].list_indexes()).to_list()]
        inbox = await (await runtime.database[INBOX].list_indexes()).to_list()
        inbox_indexes = {index["name"]: index for index in inbox}
    assert [dict(key) for key in outbox_indexes] == [{"_id": 1}], "the relay reads the outbox in _id order"
    assert inbox_indexes["received_at_1"]["expireAfterSeconds"] == 30 * 24 * 3600
