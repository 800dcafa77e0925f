"""Fixtures of the sandbox tests: a sandbox served in the test's event loop, its control API and a bot client."""

from __future__ import annotations

import httpx
import pytest_asyncio
import telegram

from telegram_sandbox.app import SandboxServer

TOKEN = "123456789:AAHsandboxTestTokenXYZ"
WAIT = 10  # seconds: an upper bound for waits that normally end in milliseconds


@pytest_asyncio.fixture
async def sandbox():
    async with SandboxServer(TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def control(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=WAIT + 5) as client:
        yield client


@pytest_asyncio.fixture
async def bot(sandbox):
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_api_base_url,
                            base_file_url=sandbox.bot_file_base_url) as client:
        yield client
