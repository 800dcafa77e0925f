"""Control API under ``/sandbox/...``: act as users, read chats, inject faults, inspect sends.

Every route takes and returns JSON. Errors answer ``{"error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .bot_api import ClientDisconnected, wait_unless_client_leaves
from .state import Fault, RateLimitConfig, RateLimiter, SandboxError, SandboxState, bad_request

logger = logging.getLogger("telegram_sandbox.control_api")

MAX_WAIT_SECONDS = 60.0
DEFAULT_WAIT_SECONDS = 5.0
DEFAULT_HISTORY_LIMIT = 200
MAX_FAULT_COUNT = 10_000
MAX_RETRY_AFTER = 3600

Handler = Callable[[Request], Awaitable[Any]]


def _state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def _control_route(path: str, methods: list[str]) -> Callable[[Handler], Route]:
    """Wrap a handler returning JSON-able data; SandboxError becomes ``{"error": ...}``."""

    def wrap(handler: Handler) -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                result = await handler(request)
            except SandboxError as error:
                return JSONResponse({"error": error.description}, status_code=error.error_code)
            except ClientDisconnected:
                return Response(status_code=499)
            if isinstance(result, Response):
                return result
            return JSONResponse(result)

        endpoint.__name__ = handler.__name__
        return Route(path, endpoint, methods=methods)

    return wrap


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise bad_request("body must be a JSON object") from None
    if not isinstance(data, dict):
        raise bad_request("body must be a JSON object")
    return data


def _int(data: dict[str, Any], name: str, default: int | None = None, *, required: bool = False) -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{name} must be an integer")
    return value


def _float(data: Any, name: str, default: float) -> float:
    value = data.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f"{name} must be a number") from None


def _str(data: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def _wait_seconds(request: Request, name: str = "timeout", default: float = DEFAULT_WAIT_SECONDS) -> float:
    return min(max(_float(request.query_params, name, default), 0.0), MAX_WAIT_SECONDS)


def _path_int(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not value.lstrip("-").isdigit():
        raise SandboxError(404, f"{name} must be an integer")
    return int(value)


# ----- bot and world ----------------------------------------------------------------------


@_control_route("/sandbox/bot", ["GET"])
async def get_bot(request: Request) -> dict[str, Any]:
    state = _state(request)
    default_scope = json.dumps({"type": "default"})
    return {
        "bot": state.bot.to_api(),
        # Like Telegram: the list for the person's language if the bot set one, else the default list.
        "commands": state.get_commands(default_scope, request.query_params.get("language_code", ""))
        or state.get_commands(default_scope, ""),
        "description": state.descriptions.get(("description", ""), ""),
        "short_description": state.descriptions.get(("short_description", ""), ""),
    }


@_control_route("/sandbox/reset", ["POST"])
async def reset(request: Request) -> dict[str, Any]:
    _state(request).reset()
    logger.info("sandbox reset")
    return {"ok": True}


# ----- users ------------------------------------------------------------------------------


def _upsert_user_from(state: SandboxState, data: dict[str, Any], user_id: int | None) -> Any:
    blocked = data.get("blocked_bot")
    if blocked is not None and not isinstance(blocked, bool):
        raise bad_request("blocked_bot must be a boolean")
    return state.upsert_user(
        user_id=user_id,
        first_name=_str(data, "first_name"),
        last_name=_str(data, "last_name"),
        username=_str(data, "username"),
        language_code=_str(data, "language_code"),
        blocked_bot=blocked,
        open_chat=bool(data.get("open_chat", False)),
    )


@_control_route("/sandbox/users", ["GET"])
async def list_users(request: Request) -> dict[str, Any]:
    return {"users": [user.to_control() for user in _state(request).users.values()]}


@_control_route("/sandbox/users", ["POST"])
async def upsert_user(request: Request) -> dict[str, Any]:
    data = await _json_body(request)
    user = _upsert_user_from(_state(request), data, _int(data, "id"))
    return {"user": user.to_control()}


@_control_route("/sandbox/users/{user_id}", ["GET"])
async def get_user(request: Request) -> dict[str, Any]:
    user = _state(request).users.get(_path_int(request, "user_id"))
    if user is None:
        raise SandboxError(404, "user not found")
    return {"user": user.to_control()}


# ----- acting as a user -------------------------------------------------------------------


@_control_route("/sandbox/messages", ["POST"])
async def user_sends_message(request: Request) -> dict[str, Any]:
    state = _state(request)
    data = await _json_body(request)
    user_id = _int(data, "user_id", required=True)
    text = _str(data, "text", required=True)
    assert user_id is not None and text is not None
    _upsert_user_from(state, data, user_id)
    message, update_id = state.user_sends_text(user_id, text, _int(data, "reply_to_message_id"))
    logger.info("a person sent a message",
                extra={"user_id": user_id, "message_id": message.message_id, "update_id": update_id})
    return {"message": message.to_history(), "update_id": update_id}


@_control_route("/sandbox/documents", ["POST"])
async def user_sends_document(request: Request) -> dict[str, Any]:
    """A person sends a file: ``{"user_id", "file_name", "mime_type", "content_base64", "caption"}``."""
    state = _state(request)
    data = await _json_body(request)
    user_id = _int(data, "user_id", required=True)
    file_name = _str(data, "file_name", required=True)
    encoded = _str(data, "content_base64", required=True)
    assert user_id is not None and file_name is not None and encoded is not None
    try:
        content = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise SandboxError(400, "content_base64 is not base64") from error
    _upsert_user_from(state, data, user_id)
    message, update_id = state.user_sends_document(user_id, file_name, _str(data, "mime_type"), content,
                                                   _str(data, "caption"))
    logger.info("a person sent a document",
                extra={"user_id": user_id, "message_id": message.message_id, "update_id": update_id})
    return {"message": message.to_history(), "update_id": update_id}


@_control_route("/sandbox/files/{file_id}", ["GET"])
async def file_content(request: Request) -> Response:
    """The bytes of a file a person or the bot sent, to compare with what was uploaded."""
    document = _state(request).files.get(request.path_params["file_id"])
    if document is None or document.content is None:
        raise SandboxError(404, "file not found")
    return Response(document.content, media_type=document.mime_type or "application/octet-stream")


@_control_route("/sandbox/callbacks", ["POST"])
async def user_presses_button(request: Request) -> dict[str, Any]:
    data = await _json_body(request)
    user_id = _int(data, "user_id", required=True)
    message_id = _int(data, "message_id", required=True)
    callback_data = _str(data, "callback_data", required=True)
    assert user_id is not None and message_id is not None and callback_data is not None
    chat_id = _int(data, "chat_id", default=user_id)
    assert chat_id is not None
    forged = data.get("forged", False) is True  # data no button carries, as a modified client can send
    query, update_id = _state(request).user_presses_button(user_id, chat_id, message_id, callback_data, forged)
    logger.info("a person pressed a button",
                extra={"user_id": user_id, "message_id": message_id, "update_id": update_id})
    return {"callback_query": query.to_control(), "update_id": update_id}


@_control_route("/sandbox/callbacks/{query_id}", ["GET"])
async def get_callback_query(request: Request) -> dict[str, Any]:
    """The query and the bot's answer; ``?timeout=S`` waits up to S seconds for the answer."""
    state = _state(request)
    query = state.callback_queries.get(request.path_params["query_id"])
    if query is None:
        raise SandboxError(404, "callback query not found")
    timeout = _wait_seconds(request, default=0.0)
    await wait_unless_client_leaves(request, state.chats_changed.wait_for(lambda: query.answered, timeout))
    return {"callback_query": query.to_control()}


# ----- reading chats ----------------------------------------------------------------------


@_control_route("/sandbox/chats", ["GET"])
async def list_chats(request: Request) -> dict[str, Any]:
    state = _state(request)
    return {
        "chats": [
            {**chat.to_api(), "last_message_id": state.last_message_id(chat.id), "version": state.chat_version(chat.id)}
            for chat in state.chats.values()
        ]
    }


@_control_route("/sandbox/chats/{chat_id}/messages", ["GET"])
async def chat_history(request: Request) -> dict[str, Any]:
    """History, oldest first. ``?after_version=V&timeout=S`` waits until the chat changes past V."""
    state = _state(request)
    chat_id = _path_int(request, "chat_id")
    query = request.query_params
    after_version = _int(dict(query), "after_version")
    if after_version is not None:
        timeout = _wait_seconds(request)
        await wait_unless_client_leaves(
            request, state.chats_changed.wait_for(lambda: state.chat_version(chat_id) > after_version, timeout)
        )
    chat = state.chats.get(chat_id)
    if chat is None:
        raise SandboxError(404, "chat not found")
    after_message_id = _int(dict(query), "after_message_id", 0) or 0
    limit = min(max(_int(dict(query), "limit", DEFAULT_HISTORY_LIMIT) or 1, 1), state.max_messages_per_chat)
    return {
        "chat": {**chat.to_api(), "blocked_bot": chat.user.blocked_bot},
        "version": state.chat_version(chat_id),
        "messages": [m.to_history() for m in state.history(chat_id, after_message_id, limit)],
        "reply_keyboard": state.reply_keyboards.get(chat_id),
        "chat_action": state.current_chat_action(chat_id),
    }


@_control_route("/sandbox/chats/{chat_id}/next_bot_message", ["GET"])
async def next_bot_message(request: Request) -> Response | dict[str, Any]:
    """Wait for a bot message with id above ``after_message_id`` (default: the chat's latest id).

    Answers 200 ``{"message": {...}}`` or 408 ``{"error": "timeout", "message": null}``.
    """
    state = _state(request)
    chat_id = _path_int(request, "chat_id")
    after_message_id = _int(dict(request.query_params), "after_message_id")
    if after_message_id is None:
        after_message_id = state.last_message_id(chat_id)
    timeout = _wait_seconds(request)

    def first_bot_message() -> Any:
        return next((m for m in state.history(chat_id, after_message_id) if m.from_bot), None)

    message = await wait_unless_client_leaves(request, state.chats_changed.wait_for(first_bot_message, timeout))
    if message is None:
        return JSONResponse({"error": "timeout", "message": None}, status_code=408)
    return {"message": message.to_history()}


@_control_route("/sandbox/updates", ["GET"])
async def pending_updates(request: Request) -> dict[str, Any]:
    return {"updates": list(_state(request).pending_updates)}


# ----- faults, rate limits, send log ------------------------------------------------------


@_control_route("/sandbox/faults", ["GET"])
async def list_faults(request: Request) -> dict[str, Any]:
    return {"faults": [fault.to_control() for fault in _state(request).faults]}


@_control_route("/sandbox/faults", ["POST"])
async def add_fault(request: Request) -> dict[str, Any]:
    """Body: ``{"method": "sendMessage", "count": 1, "error_code": 429, "retry_after": 3}``.

    Optional: ``description`` (default: Telegram's text for the code), ``chat_id``, ``migrate_to_chat_id`` (with
    400: the chat became a supergroup with this id, as Telegram answers).
    """
    state = _state(request)
    data = await _json_body(request)
    error_code = _int(data, "error_code", 429)
    count = _int(data, "count", 1)
    retry_after = _int(data, "retry_after")
    assert error_code is not None and count is not None
    if not 400 <= error_code <= 599:
        raise bad_request("error_code must be between 400 and 599")
    if not 1 <= count <= MAX_FAULT_COUNT:
        raise bad_request(f"count must be between 1 and {MAX_FAULT_COUNT}")
    if error_code == 429:
        retry_after = 1 if retry_after is None else retry_after
        if not 1 <= retry_after <= MAX_RETRY_AFTER:
            raise bad_request(f"retry_after must be between 1 and {MAX_RETRY_AFTER}")
    fault = Fault(
        method=_str(data, "method") or "sendMessage",
        remaining=count,
        error_code=error_code,
        retry_after=retry_after if error_code == 429 else None,
        description=_str(data, "description"),
        chat_id=_int(data, "chat_id"),
        migrate_to_chat_id=_int(data, "migrate_to_chat_id"),
    )
    state.add_fault(fault)
    logger.info("fault added", extra={"method": fault.method, "error_code": error_code, "count": count})
    return {"faults": [f.to_control() for f in state.faults]}


@_control_route("/sandbox/faults", ["DELETE"])
async def clear_faults(request: Request) -> dict[str, Any]:
    _state(request).faults.clear()
    return {"faults": []}


@_control_route("/sandbox/rate_limits", ["GET"])
async def get_rate_limits(request: Request) -> dict[str, Any]:
    return _state(request).rate_limiter.config.to_control()


@_control_route("/sandbox/rate_limits", ["PUT", "POST"])
async def set_rate_limits(request: Request) -> dict[str, Any]:
    """Body: any of ``enabled``, ``per_chat_per_second``, ``per_chat_burst``, ``global_per_second``,
    ``global_burst``. Buckets start full again."""
    state = _state(request)
    data = await _json_body(request)
    current = state.rate_limiter.config
    enabled = data.get("enabled", current.enabled)
    if not isinstance(enabled, bool):
        raise bad_request("enabled must be a boolean")
    config = RateLimitConfig(
        enabled=enabled,
        per_chat_per_second=_float(data, "per_chat_per_second", current.per_chat_per_second),
        per_chat_burst=_int(data, "per_chat_burst", current.per_chat_burst) or 0,
        global_per_second=_float(data, "global_per_second", current.global_per_second),
        global_burst=_int(data, "global_burst", current.global_burst) or 0,
    )
    if min(config.per_chat_per_second, config.global_per_second) <= 0:
        raise bad_request("rates must be positive")
    if min(config.per_chat_burst, config.global_burst) < 1:
        raise bad_request("bursts must be at least 1")
    state.rate_limiter = RateLimiter(config, state.monotonic)  # fresh, full buckets
    logger.info("rate limits set", extra=config.to_control())
    return config.to_control()


@_control_route("/sandbox/send_log", ["GET"])
async def send_log(request: Request) -> dict[str, Any]:
    """Every sendMessage/sendDocument call in order. Filters: ``?method=`` and ``?chat_id=``."""
    method = request.query_params.get("method")
    chat_id = request.query_params.get("chat_id")
    calls = [
        record.to_control()
        for record in _state(request).send_log
        if (method is None or record.method.lower() == method.lower())
        and (chat_id is None or str(record.chat_id) == chat_id)
    ]
    return {"calls": calls}


routes = [
    get_bot,
    reset,
    list_users,
    upsert_user,
    get_user,
    user_sends_message,
    user_sends_document,
    file_content,
    user_presses_button,
    get_callback_query,
    list_chats,
    chat_history,
    next_bot_message,
    pending_updates,
    list_faults,
    add_fault,
    clear_faults,
    get_rate_limits,
    set_rate_limits,
    send_log,
]
