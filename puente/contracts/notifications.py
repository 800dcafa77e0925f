"""Messages delivered to people, announced by the notifier."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from puente.contracts.common import Payload
from puente.contracts.envelope import Message, Slug
from puente.contracts.topic_names import TopicName


class NotificationDeliveredPayload(Payload):
    notification_id: uuid.UUID
    chat_id: int
    kind: Slug
    item_id: uuid.UUID | None = None


class NotificationDelivered(Message):
    topics: ClassVar = (TopicName.notification_events,)
    type: Literal["notification.delivered"] = "notification.delivered"
    payload: NotificationDeliveredPayload

    def aggregate_id(self) -> str:
        return str(self.payload.notification_id)


MESSAGES = (NotificationDelivered,)
