"""The web chat: one static page at ``/`` that talks to the control API."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

CHAT_PAGE = Path(__file__).parent / "static" / "chat.html"


@cache
def _chat_page_html() -> str:
    return CHAT_PAGE.read_text(encoding="utf-8")


async def chat_page(request: Request) -> HTMLResponse:
    return HTMLResponse(_chat_page_html(), headers={"Cache-Control": "no-cache"})


routes = [Route("/", chat_page, methods=["GET"])]
