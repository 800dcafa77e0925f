"""The bot's pacing: a person who floods is told once and then dropped; chats never wait for one another."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User
from telegram.error import RetryAfter

from bot.pacing import InboundLimiter, PerChatRateLimiter, PerChatUpdateProcessor, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_person_past_the_burst_is_told_once_then_dropped_until_they_slow_down():
    clock = Clock()
    limiter = InboundLimiter(burst=3, per_second=0.5, clock=clock)
    assert [limiter.check(1) for _ in range(6)] == [Verdict.handle] * 3 + [Verdict.slow_down] + [Verdict.drop] * 2
    assert limiter.check(2) is Verdict.handle, "another person has their own allowance"
    clock.now += 1.0
    assert limiter.check(1) is Verdict.drop, "half a token is not enough"
    clock.now += 1.0
    assert limiter.check(1) is Verdict.handle
    assert [limiter.check(1), limiter.check(1)] == [Verdict.slow_down, Verdict.drop], "told again after slowing down"


def update(update_id: int, user_id: int) -> Update:
    person = User(user_id, "Ana", False)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), Chat(user_id, Chat.PRIVATE),
                                             from_user=person, text="hola"))


async def test_updates_of_one_chat_run_in_order_and_other_chats_do_not_wait_for_them():
    told = []

    async def on_flood(flooding: Update) -> None:
        told.append(flooding.update_id)

    processor = PerChatUpdateProcessor(on_flood, InboundLimiter(burst=3, per_second=0.001))
    release_first = asyncio.Event()
    handled = []

    async def handle(number: int, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        handled.append(number)

    chat_a = [asyncio.create_task(processor.process_update(update(1, 10), handle(1, release_first)))]
    chat_a += [asyncio.create_task(processor.process_update(update(n, 10), handle(n))) for n in (2, 3, 4, 5)]
    await processor.process_update(update(6, 20), handle(6))  # another chat: done while chat 10 is held up
    assert handled == [6]
    release_first.set()
    await asyncio.gather(*chat_a)
    assert handled == [6, 1, 2, 3], "chat 10 in order; its 4th and 5th updates were over the limit"
    assert told == [4] and processor.counts == {Verdict.handle: 4, Verdict.slow_down: 1, Verdict.drop: 1}


async def test_a_429_pauses_only_its_own_chat_and_a_chat_keeps_its_order():
    limiter = PerChatRateLimiter()
    sent = []
    refused = set()

    async def send_message(endpoint: str, data: dict) -> bool:
        if data["text"] == "a1" and "a1" not in refused:
            refused.add("a1")
            raise RetryAfter(1)
        sent.append(data["text"])
        return True

    def request(chat_id: int, text: str) -> asyncio.Task:
        data = {"chat_id": chat_id, "text": text}
        return asyncio.create_task(limiter.process_request(send_message, ("sendMessage", data), {}, "sendMessage",
                                                           data, None))

    a1, a2 = request(1, "a1"), request(1, "a2")
    await request(2, "b1")
    assert sent == ["b1"], "chat 2 did not wait for chat 1's pause"
    assert not a1.done() and not a2.done()
    await asyncio.gather(a1, a2)
    assert sent == ["b1", "a1", "a2"]
