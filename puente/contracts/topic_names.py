"""The topics messages travel on, by name without the deployment's prefix (see `topics.Topics`).

Each message class names its topic here (`Message.topics`), so every topic's message list is derived from the
classes themselves and never kept by hand a second time.
"""

from __future__ import annotations

from enum import StrEnum


class TopicName(StrEnum):
    intake_commands = "intake.commands"  # commands from the bot to intake
    item_events = "items.events"  # facts about exchanges and practices, announced by intake
    people_events = "people.events"  # the directory: people invited and joined, announced by intake
    phase_commands = "phases.commands"  # commands from the bot to phases: advance, return, hold, resume, withdraw
    phase_events = "phases.events"  # facts about phases, commitments, collaboration requests and surveys
    reporting_commands = "reporting.commands"  # commands from the bot to reporting: a report now
    reporting_events = "reporting.events"  # digests and reports, announced by reporting
    notification_events = "notifications.events"  # messages delivered to people, announced by the notifier
