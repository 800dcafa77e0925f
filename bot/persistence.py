"""python-telegram-bot persistence in MongoDB, so a conversation survives a restart and resumes where it was."""

from __future__ import annotations

from collections.abc import MutableMapping
from copy import deepcopy
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from telegram.ext import BasePersistence, PersistenceInput

USERS = "user_data"
CHATS = "chat_data"
CONVERSATIONS = "conversations"


class MongoPersistence(BasePersistence):
    """Stores user data, chat data and conversation states; bot data and callback data are not used."""

    def __init__(self, database: AsyncDatabase, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.database = database

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {doc["_id"]: doc["data"] async for doc in self.database[USERS].find()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {doc["_id"]: doc["data"] async for doc in self.database[CHATS].find()}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> MutableMapping[tuple[int | str, ...], object]:
        return {
            tuple(doc["key"]): doc["state"]
            async for doc in self.database[CONVERSATIONS].find({"name": name})
        }

    async def update_conversation(self, name: str, key: tuple[int | str, ...], new_state: object | None) -> None:
        document_id = f"{name}:{':'.join(str(part) for part in key)}"
        if new_state is None:
            await self.database[CONVERSATIONS].delete_one({"_id": document_id})
            return
        await self.database[CONVERSATIONS].replace_one(
            {"_id": document_id}, {"name": name, "key": list(key), "state": new_state}, upsert=True
        )

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self.database[USERS].replace_one({"_id": user_id}, {"data": deepcopy(data)}, upsert=True)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await self.database[CHATS].replace_one({"_id": chat_id}, {"data": deepcopy(data)}, upsert=True)

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        await self.database[CHATS].delete_one({"_id": chat_id})

    async def drop_user_data(self, user_id: int) -> None:
        await self.database[USERS].delete_one({"_id": user_id})

    async def forget_account(self, telegram_user_id: int) -> None:
        """Erase a Telegram account's stored chat state at once: its user data, its private chat's data and its
        conversations (whose keys hold the chat and the user). The running application drops its own copy."""
        await self.database[USERS].delete_one({"_id": telegram_user_id})
        await self.database[CHATS].delete_one({"_id": telegram_user_id})
        await self.database[CONVERSATIONS].delete_many({"key": telegram_user_id})

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
