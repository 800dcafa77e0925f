"""The Telegram bot: the front door for district staff and coordinators. It sends commands to the services
through Kafka; the notifier answers back through Telegram."""
