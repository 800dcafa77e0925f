"""Notifier: alerts, nudges and digests to Telegram, paced below Telegram's limits, never sent twice."""
