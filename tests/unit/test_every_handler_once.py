"""Every handler sees the same message delivered twice and has one effect, in memory (milliseconds, no servers).

The cases are the table in `tests/handler_cases.py`; the same table runs on the real servers in
`tests/integration/test_every_handler_once.py`.
"""

from __future__ import annotations

import pytest

from tests.handler_cases import CASES, Case
from tests.helpers import assert_handled_once, city_config_with_coordinators, in_memory_service, seat


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_message_delivered_twice_has_one_effect(settings, tmp_path, case: Case):
    with_coordinators = settings.model_copy(update={"city_config_dir": city_config_with_coordinators(tmp_path, 9001)})
    runtime = in_memory_service(case.service, with_coordinators)
    for user_id, role, entity_id in case.directory:
        await seat(runtime, user_id, role, entity_id)
    for earlier in case.seen_before:
        await runtime.dispatch(earlier)
    await assert_handled_once(runtime, case.message, case.outcome)


@pytest.mark.parametrize("service", ["intake", "phases", "reporting", "notifier"])
def test_every_routed_message_type_has_a_case(settings, service):
    covered = {type(case.message) for case in CASES.values() if case.service == service}
    routes = in_memory_service(service, settings).routes
    missing = sorted(message_type.__name__ for message_type in routes if message_type not in covered)
    assert not missing, f"{service} routes {missing} but no case in tests/handler_cases.py delivers them twice"
