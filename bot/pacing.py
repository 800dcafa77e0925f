"""Pacing, so that one chat's backlog never delays another chat.

In: each chat's updates are handled one at a time and in order, different chats side by side; a person who sends
faster than a person types gets one polite "slow down" answer, and what they send until they slow down is dropped.
Out: each chat's messages leave in order, paced below Telegram's limits (thirty a second overall, twenty a minute
per group; a private chat answers one person, who cannot read faster than that); when Telegram asks to wait (429),
only that chat waits.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from puente.wiring.logging import get_logger

log = get_logger(__name__)

MAX_TRACKED = 10_000  # people or chats whose buckets are remembered; the least recently seen are forgotten


@dataclass
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated_at: float

    @classmethod
    def full(cls, capacity: float, per_second: float, now: float) -> TokenBucket:
        return cls(capacity, per_second, capacity, now)

    def seconds_until_token(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated_at) * self.per_second)
        self.updated_at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second

    def try_take(self, now: float) -> bool:
        if self.seconds_until_token(now) > 0:
            return False
        self.tokens -= 1
        return True

    async def take(self, clock: Callable[[], float] = time.monotonic) -> None:
        """Wait until a token is free (pacing, not a guess at when something else is done), then take it."""
        while (wait := self.seconds_until_token(clock())) > 0:
            await asyncio.sleep(wait)
        self.tokens -= 1


class Verdict(Enum):
    handle = "handle"
    slow_down = "slow_down"  # the first update over the limit: answer "slow down" once
    drop = "drop"


class InboundLimiter:
    """Per person: a burst of `burst` messages (a forwarded batch, a long text split in parts), then `per_second`;
    past that, one warning, then drops until the person's bucket has a token again."""

    def __init__(self, burst: int = 20, per_second: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._people: OrderedDict[int, tuple[TokenBucket, list[bool]]] = OrderedDict()

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        entry = self._people.get(user_id)
        if entry is None:
            entry = (TokenBucket.full(self.burst, self.per_second, now), [False])
            self._people[user_id] = entry
            while len(self._people) > MAX_TRACKED:
                self._people.popitem(last=False)
        self._people.move_to_end(user_id)
        bucket, warned = entry
        if bucket.try_take(now):
            warned[0] = False
            return Verdict.handle
        if not warned[0]:
            warned[0] = True
            return Verdict.slow_down
        return Verdict.drop


class _Lanes:
    """One asyncio lock per key, held while that key's work runs; waiters get it in arrival order."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}

    async def run(self, key: Hashable, work: Awaitable[Any]) -> Any:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                return await work
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[key]


def _lane_of(update: object) -> Hashable:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("other",)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of one chat in order, one at a time; chats side by side; floods cut off per person."""

    def __init__(self, on_flood: Callable[[Update], Awaitable[None]], limiter: InboundLimiter | None = None,
                 max_concurrent_updates: int = 512) -> None:
        super().__init__(max_concurrent_updates)
        self.on_flood = on_flood
        self.limiter = limiter or InboundLimiter()
        self.counts = {verdict: 0 for verdict in Verdict}
        self._lanes = _Lanes()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        verdict = Verdict.handle
        if isinstance(update, Update) and update.effective_user is not None:
            verdict = self.limiter.check(update.effective_user.id)
        self.counts[verdict] += 1
        if verdict is not Verdict.handle:
            if isinstance(coroutine, Coroutine):
                coroutine.close()  # never started: nothing of this update runs
            if verdict is Verdict.slow_down:
                log.info("a person is sending too fast: asked to slow down, dropping their updates until they do",
                         update_id=update.update_id, user_id=update.effective_user.id)
                await self.on_flood(update)
            else:
                log.debug("update dropped: the person is sending too fast", update_id=update.update_id,
                          user_id=update.effective_user.id)
            return
        await self._lanes.run(_lane_of(update), coroutine)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _is_private(chat_id: int | str) -> bool:
    try:
        return int(chat_id) > 0
    except ValueError:  # an @channel name
        return False


class PerChatRateLimiter(BaseRateLimiter[None]):
    """Outgoing requests: in order per chat, paced per group and overall; a 429 pauses only its own chat."""

    def __init__(self, per_group_per_second: float = 20 / 60, per_group_burst: int = 20,
                 overall_per_second: float = 30.0, overall_burst: int = 30, max_retries: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_group = (per_group_burst, per_group_per_second)
        self.overall = TokenBucket.full(overall_burst, overall_per_second, clock())
        self.max_retries = max_retries
        self.clock = clock
        self._chats: OrderedDict[int | str, TokenBucket] = OrderedDict()
        self._lanes = _Lanes()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _group_bucket(self, chat_id: int | str) -> TokenBucket | None:
        """Groups (negative ids, or @channel names) have their own limit; private chats do not."""
        if _is_private(chat_id):
            return None
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = TokenBucket.full(*self.per_group, self.clock())
            while len(self._chats) > MAX_TRACKED:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return bucket

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: None) -> Any:
        chat_id = data.get("chat_id")
        if chat_id is None:  # not a chat's message (commands menu, callback answers): overall pace only
            return await self._send(None, callback, args, kwargs, endpoint)
        return await self._lanes.run(("chat", chat_id), self._send(chat_id, callback, args, kwargs, endpoint))

    async def _send(self, chat_id: int | str | None, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                    kwargs: dict[str, Any], endpoint: str) -> Any:
        for attempt in range(self.max_retries + 1):
            group = None if chat_id is None else self._group_bucket(chat_id)
            if group is not None:
                await group.take(self.clock)
            await self.overall.take(self.clock)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                seconds = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") \
                    else float(error.retry_after)
                log.info("telegram asked this chat to wait", endpoint=endpoint, chat_id=chat_id, seconds=seconds)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
