"""The sandbox's in-memory world: bot, users, private chats, messages, updates.

Plain classes with no web imports. Every collection is bounded. Errors are
raised as :class:`SandboxError` carrying the Telegram-style error code and
description, so the Bot API layer can answer exactly like Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_NAME_LENGTH = 64
MAX_LANGUAGE_CODE_LENGTH = 35

DEFAULT_MAX_MESSAGES_PER_CHAT = 500
DEFAULT_MAX_PENDING_UPDATES = 1000
DEFAULT_MAX_SEND_LOG = 10_000
DEFAULT_MAX_USERS = 10_000
DEFAULT_MAX_CALLBACK_QUERIES = 1000
DEFAULT_MAX_FILES = 1000
MAX_PENDING_FAULTS = 100

CHAT_ACTION_VISIBLE_SECONDS = 5.0
FIRST_UPDATE_ID = 1
FIRST_CALLBACK_QUERY_ID = 4_000_000_000_000_000

# Update types Telegram delivers when allowed_updates is empty or never set.
DEFAULT_ALLOWED_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

_USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,32}$")
_BOT_COMMAND_PATTERN = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?(?![A-Za-z0-9_@/])")
_URL_PATTERN = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")

T = TypeVar("T")


class SandboxError(Exception):
    """A request the world refuses, with Telegram's error code and description."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None,
                 migrate_to_chat_id: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id  # a group that became a supergroup: its new id


def bad_request(reason: str) -> SandboxError:
    return SandboxError(400, f"Bad Request: {reason}")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def detected_entities(text: str, existing: list[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Entities Telegram finds by itself: ``bot_command`` for ``/command``, ``url`` for links.

    Matches inside existing code, pre or text_link entities are skipped; the result holds
    ``existing`` plus the detected ones, sorted by offset.
    """
    opaque = [
        (e["offset"], e["offset"] + e["length"]) for e in existing if e.get("type") in ("code", "pre", "text_link")
    ]
    found = []
    for entity_type, pattern in (("bot_command", _BOT_COMMAND_PATTERN), ("url", _URL_PATTERN)):
        for match in pattern.finditer(text):
            offset = utf16_length(text[: match.start()])
            length = utf16_length(match.group())
            if not any(start < offset + length and offset < end for start, end in opaque):
                found.append({"type": entity_type, "offset": offset, "length": length})
    return sorted([*existing, *found], key=lambda e: (e["offset"], -e["length"]))


class ChangeSignal:
    """Wakes every waiter when something changes; waiters re-check their own predicate."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, predicate: Callable[[], T], timeout: float) -> T:
        """Return the first truthy ``predicate()`` result, or its last result after ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while True:
            result = predicate()
            remaining = deadline - loop.time()
            if result or remaining <= 0:
                return result
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)


@dataclass
class User:
    id: int
    first_name: str
    is_bot: bool = False
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    blocked_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return data

    def to_control(self) -> dict[str, Any]:
        return {**self.to_api(), "blocked_bot": self.blocked_bot}


@dataclass
class Chat:
    """A private chat between the bot and one user; its id is the user's id."""

    user: User
    type: str = "private"

    @property
    def id(self) -> int:
        return self.user.id

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type, "first_name": self.user.first_name}
        if self.user.last_name is not None:
            data["last_name"] = self.user.last_name
        if self.user.username is not None:
            data["username"] = self.user.username
        return data


@dataclass
class Document:
    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int | None
    content: bytes | None = field(default=None, repr=False)  # what getFile serves; None for a URL the bot named

    @property
    def file_path(self) -> str:
        return f"documents/{self.file_id}"

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        for name in ("file_name", "mime_type", "file_size"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return data


@dataclass
class Message:
    message_id: int
    chat: Chat
    sender: User
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    document: Document | None = None
    source_text: str | None = None  # text or caption exactly as the bot sent it (before parse_mode)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None  # any markup kind, as sent
    reply_to: Message | None = None
    edit_date: int | None = None

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]] | None:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup["inline_keyboard"]
        return None

    def to_api(self, include_reply_to: bool = True) -> dict[str, Any]:
        """The Telegram ``Message`` object."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.to_api(),
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if include_reply_to and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(include_reply_to=False)
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.document is not None:
            data["document"] = self.document.to_api()
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.inline_keyboard is not None:
            data["reply_markup"] = {"inline_keyboard": self.inline_keyboard}
        return data

    def to_history(self) -> dict[str, Any]:
        """The control API's view: the Telegram fields plus what only the sandbox knows."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat.id,
            "date": self.date,
            "direction": "bot_to_user" if self.from_bot else "user_to_bot",
            "from": self.sender.to_api(),
            "text": self.text,
            "entities": self.entities,
            "caption": self.caption,
            "caption_entities": self.caption_entities,
            "document": self.document.to_api() if self.document else None,
            "source_text": self.source_text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "reply_to_message_id": self.reply_to.message_id if self.reply_to else None,
            "edit_date": self.edit_date,
        }


@dataclass
class CallbackQuery:
    id: str
    user: User
    message: Message
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    url: str | None = None

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.user.to_api(),
            "message": self.message.to_api(),
            "chat_instance": f"sandbox-{self.message.chat.id}",
            "data": self.data,
        }

    def to_control(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chat_id": self.message.chat.id,
            "message_id": self.message.message_id,
            "data": self.data,
            "answered": self.answered,
            "text": self.answer_text,
            "show_alert": self.show_alert,
            "url": self.url,
        }


@dataclass
class SendRecord:
    """One call of a sending method (sendMessage, sendDocument), whatever its outcome."""

    seq: int
    method: str
    at: float  # unix time, seconds
    chat_id: int | str | None
    text: str | None
    status_code: int
    message_id: int | None = None
    description: str | None = None
    retry_after: int | None = None

    def to_control(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "method": self.method,
            "at": self.at,
            "chat_id": self.chat_id,
            "text": self.text,
            "ok": self.status_code == 200,
            "status_code": self.status_code,
            "message_id": self.message_id,
            "description": self.description,
            "retry_after": self.retry_after,
        }


_DEFAULT_FAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    """Make the next ``remaining`` calls of ``method`` fail with ``error_code``."""

    method: str
    remaining: int
    error_code: int
    retry_after: int | None = None
    description: str | None = None
    chat_id: int | None = None  # only calls to this chat, when set
    migrate_to_chat_id: int | None = None  # answer as Telegram does for a group upgraded to a supergroup

    def to_error(self) -> SandboxError:
        template = self.description or _DEFAULT_FAULT_DESCRIPTIONS.get(self.error_code, "Error")
        description = template.replace("{retry_after}", str(self.retry_after))
        return SandboxError(self.error_code, description, self.retry_after, self.migrate_to_chat_id)

    def to_control(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "remaining": self.remaining,
            "error_code": self.error_code,
            "retry_after": self.retry_after,
            "description": self.to_error().description,
            "chat_id": self.chat_id,
            "migrate_to_chat_id": self.migrate_to_chat_id,
        }


@dataclass
class RateLimitConfig:
    """Telegram-like limits: about 1 message/s per chat (with a small burst), 30/s overall."""

    enabled: bool = False
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    global_per_second: float = 30.0
    global_burst: int = 30

    def to_control(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TokenBucket:
    capacity: float
    refill_per_second: float
    tokens: float
    updated_at: float

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.refill_per_second)
        self.updated_at = now

    def seconds_until_token(self, now: float) -> float:
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.refill_per_second

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class RateLimiter:
    """Token buckets per chat and overall; answers how long to wait, or takes a token."""

    def __init__(self, config: RateLimitConfig, monotonic: Callable[[], float]):
        self.config = config
        self._monotonic = monotonic
        self._global: TokenBucket | None = None
        self._per_chat: OrderedDict[int, TokenBucket] = OrderedDict()

    def _bucket(self, capacity: float, per_second: float, now: float) -> TokenBucket:
        return TokenBucket(capacity, per_second, capacity, now)

    def acquire(self, chat_id: int) -> int | None:
        """Take a token for ``chat_id``; return None, or the seconds to wait (no token taken)."""
        if not self.config.enabled:
            return None
        now = self._monotonic()
        if self._global is None:
            self._global = self._bucket(self.config.global_burst, self.config.global_per_second, now)
        chat_bucket = self._per_chat.get(chat_id)
        if chat_bucket is None:
            chat_bucket = self._bucket(self.config.per_chat_burst, self.config.per_chat_per_second, now)
            self._per_chat[chat_id] = chat_bucket
            while len(self._per_chat) > DEFAULT_MAX_USERS:
                self._per_chat.popitem(last=False)
        wait = max(self._global.seconds_until_token(now), chat_bucket.seconds_until_token(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.take(now)
        chat_bucket.take(now)
        return None


def _bounded_put(mapping: OrderedDict, key: Any, value: Any, max_size: int) -> None:
    mapping[key] = value
    while len(mapping) > max_size:
        mapping.popitem(last=False)


class SandboxState:
    """Everything the fake Telegram knows. One instance per app; ``reset()`` empties it."""

    def __init__(
        self,
        bot_token: str,
        bot_username: str,
        *,
        max_messages_per_chat: int = DEFAULT_MAX_MESSAGES_PER_CHAT,
        max_pending_updates: int = DEFAULT_MAX_PENDING_UPDATES,
        max_send_log: int = DEFAULT_MAX_SEND_LOG,
        max_users: int = DEFAULT_MAX_USERS,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.bot_token = bot_token
        self.bot = User(
            id=_bot_id_from_token(bot_token),
            first_name=bot_username.replace("_", " ").title(),
            is_bot=True,
            username=bot_username,
        )
        self.max_messages_per_chat = max_messages_per_chat
        self.max_pending_updates = max_pending_updates
        self.max_send_log = max_send_log
        self.max_users = max_users
        self.clock = clock
        self.monotonic = monotonic
        self.updates_changed = ChangeSignal()  # a new update, or a new getUpdates poller
        self.chats_changed = ChangeSignal()  # anything visible in a chat, or a callback answer
        # Update ids never restart, so a running bot's offset stays valid after reset().
        self._next_update_id = FIRST_UPDATE_ID
        self.reset()

    def reset(self) -> None:
        """Forget users, chats, messages, updates, logs, faults and limits (not the bot)."""
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, OrderedDict[int, Message]] = {}
        self.reply_keyboards: dict[int, dict[str, Any] | None] = {}
        self.chat_actions: dict[int, tuple[str, float]] = {}
        self.chat_versions: dict[int, int] = {}
        self._next_message_id: dict[int, int] = {}
        self.pending_updates: deque[dict[str, Any]] = deque(maxlen=self.max_pending_updates)
        self.allowed_update_types: frozenset[str] = DEFAULT_ALLOWED_UPDATE_TYPES
        self.poller_generation = 0
        self.callback_queries: OrderedDict[str, CallbackQuery] = OrderedDict()
        self._next_callback_query_id = FIRST_CALLBACK_QUERY_ID
        self.files: OrderedDict[str, Document] = OrderedDict()
        self._next_file_number = 1
        self.send_log: deque[SendRecord] = deque(maxlen=self.max_send_log)
        self._next_send_seq = 1
        self.faults: list[Fault] = []
        self.rate_limiter = RateLimiter(RateLimitConfig(), self.monotonic)
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.updates_changed.notify()
        self.chats_changed.notify()

    # ----- users and chats -------------------------------------------------------------

    def upsert_user(
        self,
        user_id: int | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        blocked_bot: bool | None = None,
        open_chat: bool = False,
    ) -> User:
        """Create a user (an id is chosen when none is given) or update the given fields."""
        if user_id is not None and (user_id <= 0 or user_id >= 2**52 or user_id == self.bot.id):
            raise bad_request("user id must be a positive integer below 2^52, not the bot's id")
        for name, value, limit in (
            ("first_name", first_name, MAX_NAME_LENGTH),
            ("last_name", last_name, MAX_NAME_LENGTH),
            ("language_code", language_code, MAX_LANGUAGE_CODE_LENGTH),
        ):
            if value is not None and not 0 < len(value) <= limit:
                raise bad_request(f"{name} must have 1-{limit} characters")
        if username is not None and not _USERNAME_PATTERN.match(username):
            raise bad_request("username must be 1-32 letters, digits or underscores")
        user = self.users.get(user_id) if user_id is not None else None
        if user is None:
            if len(self.users) >= self.max_users:
                raise bad_request(f"the sandbox holds at most {self.max_users} users")
            if user_id is None:
                user_id = max([1_000_000, *self.users]) + 1
            user = User(id=user_id, first_name=first_name or f"User {user_id}")
            self.users[user_id] = user
        elif first_name is not None:
            user.first_name = first_name
        if last_name is not None:
            user.last_name = last_name
        if username is not None:
            user.username = username
        if language_code is not None:
            user.language_code = language_code
        if blocked_bot is not None:
            user.blocked_bot = blocked_bot
        if open_chat:
            self._open_chat(user)
        return user

    def _open_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(user=user)
            self.chats[user.id] = chat
            self.messages[user.id] = OrderedDict()
            self._next_message_id[user.id] = 1
            self.chat_versions[user.id] = 0
            self.reply_keyboards[user.id] = None
        return chat

    def find_chat(self, chat_id: int | str) -> Chat:
        """The chat for a numeric id or an ``@username``, as the bot may address it."""
        chat: Chat | None = None
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
            if chat is None and chat_id in self.users:
                raise SandboxError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat_id.startswith("@"):
            chat = next(
                (c for c in self.chats.values() if (c.user.username or "").lower() == chat_id[1:].lower()),
                None,
            )
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def chat_version(self, chat_id: int) -> int:
        return self.chat_versions.get(chat_id, 0)

    def _touch_chat(self, chat_id: int) -> None:
        self.chat_versions[chat_id] = self.chat_versions.get(chat_id, 0) + 1
        self.chats_changed.notify()

    # ----- messages ----------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock())

    def _store_message(self, chat: Chat, sender: User, **fields: Any) -> Message:
        message_id = self._next_message_id[chat.id]
        self._next_message_id[chat.id] = message_id + 1
        message = Message(message_id=message_id, chat=chat, sender=sender, date=self._now(), **fields)
        _bounded_put(self.messages[chat.id], message_id, message, self.max_messages_per_chat)
        self._touch_chat(chat.id)
        return message

    def find_message(self, chat_id: int, message_id: int) -> Message | None:
        return self.messages.get(chat_id, {}).get(message_id)

    def history(self, chat_id: int, after_message_id: int = 0, limit: int | None = None) -> list[Message]:
        messages = [m for m in self.messages.get(chat_id, {}).values() if m.message_id > after_message_id]
        return messages[-limit:] if limit else messages

    def last_message_id(self, chat_id: int) -> int:
        return self._next_message_id.get(chat_id, 1) - 1

    def _enqueue_update(self, update_type: str, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self.pending_updates.append({"update_id": update_id, update_type: payload})
        self.updates_changed.notify()
        return update_id

    def user_sends_text(self, user_id: int, text: str, reply_to_message_id: int | None = None) -> tuple[Message, int]:
        """A user writes to the bot: store the message and queue a ``message`` update."""
        user = self.users.get(user_id)
        if user is None:
            raise SandboxError(404, "user not found")
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        chat = self._open_chat(user)
        reply_to = None
        if reply_to_message_id is not None:
            reply_to = self.find_message(chat.id, reply_to_message_id)
            if reply_to is None:
                raise bad_request("message to be replied not found")
        keyboard = self.reply_keyboards.get(chat.id)
        if keyboard and keyboard.get("one_time_keyboard"):
            self.reply_keyboards[chat.id] = None
        message = self._store_message(chat, user, text=text, entities=detected_entities(text), reply_to=reply_to)
        update_id = self._enqueue_update("message", message.to_api())
        return message, update_id

    def user_sends_document(self, user_id: int, file_name: str, mime_type: str | None, content: bytes,
                            caption: str | None = None) -> tuple[Message, int]:
        """A user sends a file to the bot: keep its bytes (getFile serves them) and queue a ``message`` update."""
        user = self.users.get(user_id)
        if user is None:
            raise SandboxError(404, "user not found")
        if not content:
            raise bad_request("file is empty")
        if caption is not None and len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        chat = self._open_chat(user)
        document = self.store_document(file_name, mime_type, len(content), content)
        message = self._store_message(chat, user, document=document, caption=caption)
        update_id = self._enqueue_update("message", message.to_api())
        return message, update_id

    def user_presses_button(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str, forged: bool = False
    ) -> tuple[CallbackQuery, int]:
        """A user presses an inline button: queue a ``callback_query`` update. With ``forged``, the data need not be
        any button's, as a modified Telegram client can send (the message must still be the bot's)."""
        user = self.users.get(user_id)
        if user is None:
            raise SandboxError(404, "user not found")
        if chat_id != user_id or chat_id not in self.chats:
            raise SandboxError(404, "chat not found")
        message = self.find_message(chat_id, message_id)
        if message is None or not message.from_bot:
            raise SandboxError(404, "bot message not found")
        buttons = [button for row in (message.inline_keyboard or []) for button in row]
        if not forged and not any(button.get("callback_data") == callback_data for button in buttons):
            raise bad_request("the message has no inline button with this callback_data")
        query_id = str(self._next_callback_query_id)
        self._next_callback_query_id += 1
        query = CallbackQuery(id=query_id, user=user, message=message, data=callback_data)
        _bounded_put(self.callback_queries, query_id, query, DEFAULT_MAX_CALLBACK_QUERIES)
        update_id = self._enqueue_update("callback_query", query.to_api())
        return query, update_id

    def bot_sends(
        self,
        chat: Chat,
        *,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        caption_entities: list[dict[str, Any]] | None = None,
        document: Document | None = None,
        source_text: str | None = None,
        parse_mode: str | None = None,
        reply_markup: dict[str, Any] | None = None,
        reply_to: Message | None = None,
    ) -> Message:
        """Store a message from the bot; reply keyboards change what the user sees."""
        if reply_markup is not None:
            if "keyboard" in reply_markup:
                self.reply_keyboards[chat.id] = reply_markup
            elif reply_markup.get("remove_keyboard"):
                self.reply_keyboards[chat.id] = None
        self.chat_actions.pop(chat.id, None)
        return self._store_message(
            chat,
            self.bot,
            text=text,
            entities=entities or [],
            caption=caption,
            caption_entities=caption_entities or [],
            document=document,
            source_text=source_text,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            reply_to=reply_to,
        )

    def bot_message_to_edit(self, chat_id: int, message_id: int) -> Message:
        message = self.find_message(chat_id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def mark_edited(self, message: Message) -> None:
        message.edit_date = self._now()
        self._touch_chat(message.chat.id)

    def delete_message(self, chat_id: int, message_id: int) -> None:
        if self.messages.get(chat_id, {}).pop(message_id, None) is None:
            raise bad_request("message to delete not found")
        self._touch_chat(chat_id)

    def set_chat_action(self, chat: Chat, action: str) -> None:
        self.chat_actions[chat.id] = (action, self.monotonic())
        self._touch_chat(chat.id)

    def current_chat_action(self, chat_id: int) -> str | None:
        action = self.chat_actions.get(chat_id)
        if action and self.monotonic() - action[1] < CHAT_ACTION_VISIBLE_SECONDS:
            return action[0]
        return None

    def answer_callback_query(self, query_id: str, text: str | None, show_alert: bool, url: str | None) -> None:
        query = self.callback_queries.get(query_id)
        if query is None or query.answered:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer_text = text
        query.show_alert = show_alert
        query.url = url
        self.chats_changed.notify()

    # ----- files -------------------------------------------------------------------------

    def store_document(self, file_name: str | None, mime_type: str | None, file_size: int | None,
                       content: bytes | None = None) -> Document:
        number = self._next_file_number
        self._next_file_number += 1
        document = Document(
            file_id=f"BQACAgSandbox{number:010d}",
            file_unique_id=f"AgADSandbox{number:06d}",
            file_name=file_name,
            mime_type=mime_type,
            file_size=file_size,
            content=content,
        )
        _bounded_put(self.files, document.file_id, document, DEFAULT_MAX_FILES)
        return document

    # ----- updates -----------------------------------------------------------------------

    def acknowledge_updates(self, offset: int) -> None:
        """Apply getUpdates' ``offset``: forget updates below it, or keep the last ``-offset``."""
        if offset > 0:
            while self.pending_updates and self.pending_updates[0]["update_id"] < offset:
                self.pending_updates.popleft()
        elif offset < 0:
            while len(self.pending_updates) > -offset:
                self.pending_updates.popleft()

    def set_allowed_updates(self, update_types: list[str] | None) -> None:
        """None keeps the previous setting; an empty list restores the default types."""
        if update_types is None:
            return
        self.allowed_update_types = frozenset(update_types) or DEFAULT_ALLOWED_UPDATE_TYPES

    def deliverable_updates(self, limit: int) -> list[dict[str, Any]]:
        """Pending updates of allowed types; updates of other types are dropped, as Telegram does."""
        kept = deque(
            (u for u in self.pending_updates if _update_type(u) in self.allowed_update_types),
            maxlen=self.max_pending_updates,
        )
        self.pending_updates = kept
        return list(kept)[:limit]

    def drop_pending_updates(self) -> None:
        self.pending_updates.clear()

    def start_poller(self) -> int:
        """Register a new getUpdates call; an older waiting one ends with 409 Conflict."""
        self.poller_generation += 1
        self.updates_changed.notify()
        return self.poller_generation

    # ----- sending: faults, limits and the log -------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        if len(self.faults) >= MAX_PENDING_FAULTS:
            raise bad_request(f"at most {MAX_PENDING_FAULTS} pending faults")
        self.faults.append(fault)

    def take_fault(self, method: str, chat_id: int | str | None) -> Fault | None:
        """Consume one injected failure matching this call, if any."""
        for fault in self.faults:
            if fault.method.lower() == method.lower() and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def record_send(
        self,
        method: str,
        chat_id: int | str | None,
        text: str | None,
        status_code: int,
        message_id: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> SendRecord:
        record = SendRecord(
            seq=self._next_send_seq,
            method=method,
            at=self.clock(),
            chat_id=chat_id,
            text=text,
            status_code=status_code,
            message_id=message_id,
            description=description,
            retry_after=retry_after,
        )
        self._next_send_seq += 1
        self.send_log.append(record)
        return record

    # ----- bot settings ------------------------------------------------------------------

    def set_commands(self, scope_key: str, language_code: str, commands: list[dict[str, str]]) -> None:
        self.commands[(scope_key, language_code)] = commands

    def get_commands(self, scope_key: str, language_code: str) -> list[dict[str, str]]:
        return self.commands.get((scope_key, language_code), [])

    def delete_commands(self, scope_key: str, language_code: str) -> None:
        self.commands.pop((scope_key, language_code), None)


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _bot_id_from_token(token: str) -> int:
    prefix = token.split(":", 1)[0]
    return int(prefix) if prefix.isdigit() and 0 < len(prefix) <= 15 else 100_000_001
