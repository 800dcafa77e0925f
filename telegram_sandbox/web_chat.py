"""The web chat: one static page at ``/`` that talks to the control API."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

CHAT_PAGE = Path(__file__).parent / "static" / "chat.html"


@cache
def _chat_page_html() -> str:
    return CHAT_PAGE.read_text(encoding="utf-8")


async def chat_page(request: Request) -> HTMLResponse:
    return HTMLResponse(_chat_page_html(), headers={"Cache-Control": "no-cache"})


# The page declares this icon inline, so a browser does not ask for one; /favicon.ico serves it to those that do.
FAVICON_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='8' fill='#2a8bd4'/>"
    "<path d='M4 5h8v5H7l-3 2z' fill='white'/></svg>"
)


async def favicon(request: Request) -> Response:
    return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


routes = [Route("/", chat_page, methods=["GET"]), Route("/favicon.ico", favicon, methods=["GET"])]
