"""The event contract: envelope, typed payloads, topic names, and clear rejection of anything else."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from puente.contracts import COMMANDS, EVENTS, InvalidMessage, TopicName, Topics, derived_id, messages_on, parse_message
from puente.contracts.envelope import MAX_MESSAGE_BYTES, SYSTEM_ACTOR
from puente.contracts.items import ExchangeProposed
from puente.contracts.reporting import DigestGenerated, DigestGeneratedPayload, ReportFile
from tests.factories import propose_exchange, staff

INTAKE_COMMANDS = messages_on(TopicName.intake_commands)


def test_envelope_round_trips_through_bytes_with_every_field():
    command = propose_exchange()
    parsed = parse_message(command.to_bytes(), INTAKE_COMMANDS)
    assert parsed == command
    document = json.loads(command.to_bytes())
    assert set(document) == {"event_id", "type", "version", "occurred_at", "correlation_id", "causation_id",
                             "actor", "city", "payload"}
    assert document["type"] == "propose_exchange" and document["version"] == 1


def test_a_caused_message_inherits_the_correlation_id_and_names_its_cause():
    command = propose_exchange()
    event = ExchangeProposed.new(
        payload={"item_id": uuid.uuid4(), **command.payload.model_dump()}, actor=command.actor, city="bogota",
        caused_by=command,
    )
    assert event.correlation_id == command.correlation_id == command.event_id
    assert event.causation_id == command.event_id
    assert event.event_id != command.event_id


def test_occurred_at_is_normalised_to_utc_and_must_carry_a_zone():
    bogota = timezone(timedelta(hours=-5))
    command = propose_exchange().model_copy()
    document = json.loads(command.to_bytes())
    document["occurred_at"] = datetime(2026, 11, 28, 7, 0, tzinfo=bogota).isoformat()
    parsed = parse_message(json.dumps(document).encode(), INTAKE_COMMANDS)
    assert parsed.occurred_at == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    document["occurred_at"] = "2026-11-28T07:00:00"
    with pytest.raises(InvalidMessage, match="occurred_at"):
        parse_message(json.dumps(document).encode(), INTAKE_COMMANDS)


def test_every_message_type_is_named_once_and_in_the_right_tense():
    event_types = [cls.model_fields["type"].default for cls in EVENTS]
    command_types = [cls.model_fields["type"].default for cls in INTAKE_COMMANDS]
    assert len(set(event_types)) == len(event_types)
    for name in ["exchange.proposed", "practice.proposed", "item.updated", "phase.started", "phase.completed",
                 "phase.overdue", "commitment.due", "commitment.overdue", "commitment.updated",
                 "collaboration.requested", "collaboration.assigned", "survey.requested", "survey.submitted",
                 "digest.generated", "notification.delivered"]:
        assert name in event_types
    assert all("." in name for name in event_types), "facts are <noun>.<past participle>"
    assert all("." not in name and "_" in name for name in command_types), "commands are imperative verbs"


def test_messages_are_keyed_by_their_aggregate():
    command = propose_exchange()
    assert command.aggregate_id() == str(command.event_id), "a proposal's item id derives from the command id"
    digest_id = uuid.uuid4()
    digest = DigestGenerated.new(payload=DigestGeneratedPayload(
        digest_id=digest_id, iso_week="2026-W48", summary="📊 Informe semanal",
        file=ReportFile(report_id=digest_id, file_name="bogota-2026-w48.pdf", download_key="0f" * 16)),
        actor=SYSTEM_ACTOR, city="bogota")
    assert digest.aggregate_id() == "2026-W48"


def test_derived_ids_are_stable_and_distinct():
    base = uuid.uuid4()
    assert derived_id(base, "item") == derived_id(base, "item")
    assert derived_id(base, "item") != derived_id(base, "exchange.proposed")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"{", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"type": "drop_database"}', "unknown message type 'drop_database'"),
        (b'{"type": "exchange.proposed"}', "unknown message type 'exchange.proposed'"),
        (b"x" * (MAX_MESSAGE_BYTES + 1), "exceeds the limit"),
    ],
)
def test_unreadable_messages_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(InvalidMessage, match=reason):
        parse_message(raw, INTAKE_COMMANDS)


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("payload", "entity_id"), {"$gt": ""}, "payload.entity_id"),
        (("payload", "entity_id"), "sed.$where", "payload.entity_id"),
        (("payload", "title"), "x" * 201, "payload.title"),
        (("payload", "title"), "   ", "payload.title"),
        (("payload", "countries_of_interest"), ["Colombia"], "countries_of_interest"),
        (("payload", "unexpected"), 1, "payload.unexpected"),
        (("actor", "role"), "mayor", "actor.role"),
        (("city",), "Bogotá D.C.", "city"),
        (("version",), 2, "unsupported version 2"),
    ],
)
def test_invalid_fields_are_rejected_before_anything_is_stored(path, value, reason):
    document = json.loads(propose_exchange().to_bytes())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidMessage, match=reason.replace("$", r"\$")):
        parse_message(json.dumps(document).encode(), INTAKE_COMMANDS)


def test_messages_are_immutable():
    command = propose_exchange()
    with pytest.raises(ValidationError):
        command.city = "medellin"


def test_topic_names_live_in_one_place_and_each_has_a_dead_letter_topic():
    topics = Topics("puente")
    assert topics.intake_commands == "puente.intake.commands"
    assert topics.item_events == "puente.items.events"
    assert topics.dead_letter(topics.item_events) == "puente.items.events.dead-letter"
    main_topics = [topic for topic in topics.all() if not topic.endswith(".dead-letter")]
    assert len(topics.all()) == 2 * len(main_topics) == 16
    carried = [cls for topic in main_topics for cls in topics.messages_on(topic)]
    assert set(carried) == set(EVENTS) | set(COMMANDS), "every message type travels on some topic"
    travelling_twice = {cls.__name__ for cls in carried if carried.count(cls) > 1}
    assert travelling_twice == {"CommandRejected"}, "only a rejection travels beside what was refused"


def test_actor_ids_cannot_smuggle_operators():
    with pytest.raises(ValidationError):
        staff(user_id="$where")


def test_events_and_changes_clean_a_persons_text_too():
    import pydantic

    from puente.contracts.items import ItemChanges

    with pytest.raises(pydantic.ValidationError):
        ItemChanges(title="\u200b\u2060\ufeff")
    assert ItemChanges(need="Aulas\x00 abiertas\x1b").need == "Aulas abiertas"
