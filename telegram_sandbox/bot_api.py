"""The Telegram Bot API over HTTP: ``/bot{token}/{method}``, answered as api.telegram.org does."""

from __future__ import annotations

import asyncio
import hmac
import html
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import Message as MimeHeaders
from email.parser import BytesHeaderParser
from email.policy import HTTP as HTTP_POLICY
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlparse

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .state import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    Chat,
    Message,
    SandboxError,
    SandboxState,
    bad_request,
    detected_entities,
    utf16_length,
)

logger = logging.getLogger("telegram_sandbox.bot_api")

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_POLL_TIMEOUT_SECONDS = 50
MAX_COMMANDS = 100
SENDING_METHODS = frozenset({"sendMessage", "sendDocument"})
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
INLINE_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"

T = TypeVar("T")


# ----- responses --------------------------------------------------------------------------


def ok_response(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def error_response(error: SandboxError) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": error.error_code, "description": error.description}
    if error.retry_after is not None and error.error_code == 429:
        body["parameters"] = {"retry_after": error.retry_after}
    if error.migrate_to_chat_id is not None:
        body["parameters"] = {"migrate_to_chat_id": error.migrate_to_chat_id}
    return JSONResponse(body, status_code=error.error_code)


class ClientDisconnected(Exception):
    """The HTTP client went away while its long poll was waiting."""


async def _client_disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def wait_unless_client_leaves(request: Request, waiting: Awaitable[T]) -> T:
    """Await ``waiting`` but give up (raising ClientDisconnected) when the client disconnects."""
    wait_task = asyncio.ensure_future(waiting)
    disconnect_task = asyncio.ensure_future(_client_disconnected(request))
    try:
        await asyncio.wait({wait_task, disconnect_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (wait_task, disconnect_task):
            if not task.done():
                task.cancel()
        await asyncio.gather(wait_task, disconnect_task, return_exceptions=True)
    if wait_task.cancelled() or not wait_task.done():
        raise ClientDisconnected()
    return wait_task.result()


# ----- request parameters -----------------------------------------------------------------


@dataclass
class UploadedFile:
    file_name: str | None
    content_type: str | None
    size: int
    content: bytes = field(default=b"", repr=False)


@dataclass
class Params:
    """Parameters from the query string and a JSON, urlencoded or multipart body.

    Form values arrive as strings (objects JSON-encoded), JSON bodies as typed values;
    the accessors accept both, as Telegram does.
    """

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def string(self, name: str, *, required: bool = False, empty_error: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(empty_error or f"{name} is empty")
            return None
        if isinstance(value, dict | list):
            raise bad_request(f'field "{name}" must be of type String')
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def integer(self, name: str, *, required: bool = False, empty_error: str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(empty_error or f"{name} is empty")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise bad_request(f'field "{name}" must be of type Integer')

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("true", "1"):
            return True
        if str(value).strip().lower() in ("false", "0"):
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def json(self, name: str) -> Any:
        """A structured value: a JSON object/array, or its JSON-encoded string form."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int | str:
        """``chat_id`` as an integer, or an ``@username`` string."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if text.startswith("@"):
            return text
        raise bad_request("chat not found")

    def chat_id_or_none(self) -> int | str | None:
        try:
            return self.chat_id()
        except SandboxError:
            return None


async def read_params(request: Request) -> Params:
    params = Params(values=dict(request.query_params))
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    body = await request.body()
    if not body:
        return params
    if media_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(data, dict):
            raise bad_request("JSON object expected")
        params.values.update(data)
    elif media_type == "application/x-www-form-urlencoded":
        params.values.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif media_type == "multipart/form-data":
        fields, files = parse_multipart(body, content_type)
        params.values.update(fields)
        params.files.update(files)
    return params


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into text fields and uploaded files (names and sizes)."""
    header = MimeHeaders()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise bad_request("multipart boundary is missing")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, separator, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            continue
        content = content.removesuffix(b"\r\n")
        part_headers = BytesHeaderParser(policy=HTTP_POLICY).parsebytes(head + b"\r\n\r\n")
        name = part_headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        file_name = part_headers.get_filename()
        if file_name is None and "filename" not in str(part_headers.get("content-disposition", "")):
            fields[name] = content.decode("utf-8", "replace")
        else:
            files[name] = UploadedFile(file_name, part_headers.get_content_type(), len(content), content)
    return fields, files


# ----- formatted text: HTML, MarkdownV2 and legacy Markdown -------------------------------


def _parse_error(reason: str) -> SandboxError:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


class _TextBuilder:
    """Collects plain text and entities (offsets in UTF-16 code units)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.position = 0
        self.entities: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.position += utf16_length(text)

    def add_entity(self, entity_type: str, start: int, **extra: Any) -> None:
        if self.position > start:
            self.entities.append({"type": entity_type, "offset": start, "length": self.position - start, **extra})

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


_HTML_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ATTRIBUTE = re.compile(r"""([a-zA-Z][\w-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_HTML_CHAR_REFERENCE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def _html_attributes(text: str) -> dict[str, str]:
    attributes = {}
    for match in _HTML_ATTRIBUTE.finditer(text):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attributes[match.group(1).lower()] = html.unescape(value)
    return attributes


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    out = _TextBuilder()
    open_tags: list[tuple[str, int, dict[str, str]]] = []  # (tag, start position, attributes)
    index = 0
    while index < len(source):
        char = source[index]
        if char == "<":
            end = source.find(">", index)
            if end == -1:
                raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(source, index)}")
            inside = source[index + 1 : end]
            if inside.startswith("/"):
                tag = inside[1:].strip().lower()
                if not open_tags:
                    raise _parse_error(f"Unexpected end tag at byte offset {_byte_offset(source, index)}")
                open_tag, start, attributes = open_tags.pop()
                if open_tag != tag:
                    raise _parse_error(
                        f"Unmatched end tag at byte offset {_byte_offset(source, index)}, "
                        f'expected "</{open_tag}>", found "</{tag}>"'
                    )
                _close_html_tag(out, open_tag, start, attributes, open_tags)
            else:
                match = re.match(r"([a-zA-Z][\w-]*)(.*)$", inside, re.S)
                tag = match.group(1).lower() if match else ""
                attributes = _html_attributes(match.group(2)) if match else {}
                if tag not in _HTML_TAG_TYPES or (tag == "span" and attributes.get("class") != "tg-spoiler"):
                    raise _parse_error(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(source, index)}')
                open_tags.append((tag, out.position, attributes))
            index = end + 1
        elif char == "&":
            match = _HTML_CHAR_REFERENCE.match(source, index)
            if match:
                out.add(html.unescape(match.group()))
                index = match.end()
            else:
                out.add("&")
                index += 1
        else:
            next_special = min(
                (p for p in (source.find("<", index), source.find("&", index)) if p != -1), default=len(source)
            )
            out.add(source[index:next_special])
            index = next_special
    if open_tags:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"')
    return out.result()


def _close_html_tag(
    out: _TextBuilder,
    tag: str,
    start: int,
    attributes: dict[str, str],
    outer_tags: list[tuple[str, int, dict[str, str]]],
) -> None:
    entity_type = _HTML_TAG_TYPES[tag]
    if tag == "a":
        if attributes.get("href"):
            out.add_entity("text_link", start, url=attributes["href"])
    elif (
        tag == "code"
        and outer_tags
        and outer_tags[-1][0] == "pre"
        and attributes.get("class", "").startswith("language-")
    ):
        outer_tags[-1][2]["language"] = attributes["class"].removeprefix("language-")
    elif tag == "pre" and attributes.get("language"):
        out.add_entity("pre", start, language=attributes["language"])
    elif tag == "blockquote" and "expandable" in attributes:
        out.add_entity("expandable_blockquote", start)
    elif tag == "tg-emoji":
        out.add_entity("custom_emoji", start, custom_emoji_id=attributes.get("emoji-id", ""))
    else:
        out.add_entity(entity_type, start)


_MARKDOWN_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MARKDOWN_V2_TOGGLES = {"*": "bold", "__": "underline", "_": "italic", "~": "strikethrough", "||": "spoiler"}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "code": "Code",
    "pre": "Pre",
}


def _find_unescaped(source: str, target: str, start: int) -> int:
    index = start
    while index < len(source):
        if source[index] == "\\":
            index += 2
            continue
        if source.startswith(target, index):
            return index
        index += 1
    return -1


def _unescape_markdown_v2(text: str) -> str:
    return re.sub(r"\\([\x01-\x7e])", r"\1", text)


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    out = _TextBuilder()
    open_entities: list[tuple[str, int, int]] = []  # (type, start position, byte offset of marker)
    blockquote_start: int | None = None
    index = 0
    while index < len(source):
        char = source[index]
        line_start = index == 0 or source[index - 1] == "\n"
        if char == "\\" and index + 1 < len(source) and 1 <= ord(source[index + 1]) <= 126:
            out.add(source[index + 1])
            index += 2
            continue
        if char == "`":
            fence = "```" if source.startswith("```", index) else "`"
            end = _find_unescaped(source, fence, index + len(fence))
            if end == -1:
                kind = "Pre" if fence == "```" else "Code"
                raise _parse_error(f"Can't find end of {kind} entity at byte offset {_byte_offset(source, index)}")
            content = source[index + len(fence) : end]
            start = out.position
            if fence == "```":
                language = ""
                first_line, newline, rest = content.partition("\n")
                if newline and not re.search(r"\s", first_line):
                    language, content = first_line, rest
                out.add(_unescape_markdown_v2(content))
                out.add_entity("pre", start, **({"language": language} if language else {}))
            else:
                out.add(_unescape_markdown_v2(content))
                out.add_entity("code", start)
            index = end + len(fence)
            continue
        marker = next((m for m in ("||", "__", "*", "_", "~") if source.startswith(m, index)), None)
        if marker is not None:
            entity_type = _MARKDOWN_V2_TOGGLES[marker]
            if open_entities and open_entities[-1][0] == entity_type:
                _, start, _ = open_entities.pop()
                out.add_entity(entity_type, start)
            elif any(open_type == entity_type for open_type, _, _ in open_entities):
                open_type, _, byte_offset = open_entities[-1]
                raise _parse_error(f"Can't find end of {_ENTITY_NAMES[open_type]} entity at byte offset {byte_offset}")
            else:
                open_entities.append((entity_type, out.position, _byte_offset(source, index)))
            index += len(marker)
            continue
        if char == "[" or (char == "!" and source.startswith("![", index)):
            entity_type = "custom_emoji" if char == "!" else "text_link"
            open_entities.append((entity_type, out.position, _byte_offset(source, index)))
            index += 2 if char == "!" else 1
            continue
        if char == "]" and open_entities and open_entities[-1][0] in ("text_link", "custom_emoji"):
            entity_type, start, byte_offset = open_entities.pop()
            url_end = _find_unescaped(source, ")", index + 2) if source.startswith("(", index + 1) else -1
            if url_end == -1:
                raise _parse_error(f"Can't find end of a URL at byte offset {_byte_offset(source, index)}")
            url = _unescape_markdown_v2(source[index + 2 : url_end])
            if entity_type == "text_link":
                out.add_entity("text_link", start, url=url)
            else:
                out.add_entity("custom_emoji", start, custom_emoji_id=url.partition("id=")[2])
            index = url_end + 1
            continue
        if char == ">" and line_start:
            if blockquote_start is None:
                blockquote_start = out.position
            index += 1
            continue
        if char == "\n" and blockquote_start is not None and not source.startswith(">", index + 1):
            out.add_entity("blockquote", blockquote_start)
            blockquote_start = None
        if char in _MARKDOWN_V2_RESERVED:
            raise _parse_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
        out.add(char)
        index += 1
    if open_entities:
        open_type, _, byte_offset = open_entities[-1]
        raise _parse_error(f"Can't find end of {_ENTITY_NAMES[open_type]} entity at byte offset {byte_offset}")
    if blockquote_start is not None:
        out.add_entity("blockquote", blockquote_start)
    return out.result()


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy ``Markdown``: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = _TextBuilder()
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source) and source[index + 1] in "_*`[":
            out.add(source[index + 1])
            index += 2
            continue
        if char in "*_`[":
            fence = "```" if source.startswith("```", index) else ("]" if char == "[" else char)
            end = source.find(fence, index + (3 if fence == "```" else 1))
            if end == -1:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(source, index)}"
                )
            content = source[index + (3 if fence == "```" else 1) : end]
            start = out.position
            index = end + len(fence)
            if fence == "```":
                first_line, newline, rest = content.partition("\n")
                language = first_line if newline and " " not in first_line else ""
                out.add(rest if newline and " " not in first_line else content)
                out.add_entity("pre", start, **({"language": language} if language else {}))
            elif char == "[":
                out.add(content)
                url_end = source.find(")", index) if source.startswith("(", index) else -1
                if url_end != -1:
                    out.add_entity("text_link", start, url=source[index + 1 : url_end])
                    index = url_end + 1
            else:
                out.add(content)
                out.add_entity({"*": "bold", "_": "italic", "`": "code"}[char], start)
            continue
        out.add(char)
        index += 1
    return out.result()


_PARSERS: dict[str, Callable[[str], tuple[str, list[dict[str, Any]]]]] = {
    "html": parse_html,
    "markdownv2": parse_markdown_v2,
    "markdown": parse_markdown,
}


@dataclass
class FormattedText:
    text: str
    entities: list[dict[str, Any]]
    source: str
    parse_mode: str | None


def formatted_text(
    params: Params,
    text_field: str,
    entities_field: str,
    *,
    max_length: int,
    empty_error: str | None,
    too_long_error: str,
) -> FormattedText | None:
    """Read text (or a caption) with its parse_mode or explicit entities, as Telegram checks it.

    ``empty_error`` None means the field is optional (captions).
    """
    source = params.string(text_field)
    if source is None or not source.strip():
        if empty_error is not None:
            raise bad_request(empty_error)
        return None
    parse_mode = params.string("parse_mode")
    explicit_entities = params.json(entities_field)
    if explicit_entities is not None:
        if not isinstance(explicit_entities, list) or not all(
            isinstance(e, dict) and {"type", "offset", "length"} <= e.keys() for e in explicit_entities
        ):
            raise bad_request(f"can't parse {entities_field} JSON object")
        text, entities = source, explicit_entities
    elif parse_mode:
        parser = _PARSERS.get(parse_mode.lower())
        if parser is None:
            raise bad_request("unsupported parse_mode")
        text, entities = parser(source)
    else:
        text, entities = source, []
    if not text.strip() and empty_error is not None:
        raise bad_request(empty_error)
    entities = detected_entities(text, entities)
    if len(text) > max_length:
        raise bad_request(too_long_error)
    return FormattedText(text, entities, source, parse_mode)


# ----- reply markup -----------------------------------------------------------------------


def _validate_inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard markup: field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [name for name in INLINE_BUTTON_ACTIONS if name in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                raise bad_request("can't parse inline keyboard button: Can't find field \"text\"")
            data = button.get("callback_data")
            if "callback_data" in button and (
                not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
            ):
                raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not (isinstance(button["url"], str) and button["url"]):
                raise bad_request("BUTTON_URL_INVALID")
    return rows


def _validate_reply_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse reply keyboard markup: field "keyboard" must be an Array of Arrays')
    normalized = []
    for row in rows:
        normalized_row = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
                raise bad_request("can't parse keyboard button: Text must be non-empty")
            normalized_row.append(button)
        normalized.append(normalized_row)
    return normalized


def reply_markup_param(params: Params, *, inline_only: bool = False) -> dict[str, Any] | None:
    markup = params.json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {**markup, "inline_keyboard": _validate_inline_keyboard(markup["inline_keyboard"])}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return {**markup, "keyboard": _validate_reply_keyboard(markup["keyboard"])}
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


# ----- method handlers --------------------------------------------------------------------


@dataclass
class CallContext:
    state: SandboxState
    params: Params
    request: Request


BotMethod = Callable[[CallContext], Awaitable[Any]]


@dataclass
class MethodSpec:
    name: str
    handler: BotMethod


BOT_METHODS: dict[str, MethodSpec] = {}  # keyed by lower-case name: Telegram's are case-insensitive


def bot_method(*names: str) -> Callable[[BotMethod], BotMethod]:
    def register(handler: BotMethod) -> BotMethod:
        for name in names:
            BOT_METHODS[name.lower()] = MethodSpec(name, handler)
        return handler

    return register


def _chat_to_message(ctx: CallContext) -> Chat:
    """The chat a sending method addresses; a user who blocked the bot refuses it."""
    chat = ctx.state.find_chat(ctx.params.chat_id())
    if chat.user.blocked_bot:
        raise SandboxError(403, "Forbidden: bot was blocked by the user")
    return chat


def _reply_target(ctx: CallContext, chat: Chat) -> Message | None:
    reply_parameters = ctx.params.json("reply_parameters")
    allow_without_reply = ctx.params.boolean("allow_sending_without_reply")
    if reply_parameters is not None:
        if not isinstance(reply_parameters, dict) or "message_id" not in reply_parameters:
            raise bad_request("can't parse reply parameters JSON object")
        message_id = Params(reply_parameters).integer("message_id")
        allow_without_reply = bool(reply_parameters.get("allow_sending_without_reply", allow_without_reply))
    else:
        message_id = ctx.params.integer("reply_to_message_id")
    if message_id is None:
        return None
    target = ctx.state.find_message(chat.id, message_id)
    if target is None and not allow_without_reply:
        raise bad_request("message to be replied not found")
    return target


def _deliver(ctx: CallContext, chat: Chat, **fields: Any) -> Message:
    """Store a bot message once the optional rate limit lets it through."""
    retry_after = ctx.state.rate_limiter.acquire(chat.id)
    if retry_after is not None:
        raise SandboxError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
    return ctx.state.bot_sends(chat, **fields)


@bot_method("getMe")
async def get_me(ctx: CallContext) -> dict[str, Any]:
    return {
        **ctx.state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@bot_method("getUpdates")
async def get_updates(ctx: CallContext) -> list[dict[str, Any]]:
    state, params = ctx.state, ctx.params
    offset = params.integer("offset") or 0
    limit = min(max(params.integer("limit") or 100, 1), 100)
    timeout = min(max(params.integer("timeout") or 0, 0), MAX_POLL_TIMEOUT_SECONDS)
    allowed_updates = params.json("allowed_updates")
    if allowed_updates is not None and (
        not isinstance(allowed_updates, list) or not all(isinstance(t, str) for t in allowed_updates)
    ):
        raise bad_request("can't parse allowed_updates JSON array")
    state.set_allowed_updates(allowed_updates)
    state.acknowledge_updates(offset)
    generation = state.start_poller()
    superseded = object()

    def updates_or_superseded() -> Any:
        if state.poller_generation != generation:
            return superseded
        return state.deliverable_updates(limit)

    result = await wait_unless_client_leaves(
        ctx.request, state.updates_changed.wait_for(updates_or_superseded, timeout)
    )
    if result is superseded:
        raise SandboxError(409, CONFLICT)
    return result


@bot_method("deleteWebhook")
async def delete_webhook(ctx: CallContext) -> bool:
    if ctx.params.boolean("drop_pending_updates"):
        ctx.state.drop_pending_updates()
    return True


@bot_method("setWebhook")
async def set_webhook(ctx: CallContext) -> bool:
    raise bad_request("webhooks are not supported by the sandbox: use getUpdates")


@bot_method("getWebhookInfo")
async def get_webhook_info(ctx: CallContext) -> dict[str, Any]:
    return {"url": "", "has_custom_certificate": False, "pending_update_count": len(ctx.state.pending_updates)}


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True), params.string("language_code") or ""


@bot_method("setMyCommands")
async def set_my_commands(ctx: CallContext) -> bool:
    commands = ctx.params.json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    cleaned = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name = str(command.get("command", "")).removeprefix("/")
        description = str(command.get("description", ""))
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    ctx.state.set_commands(*_commands_key(ctx.params), cleaned)
    return True


@bot_method("getMyCommands")
async def get_my_commands(ctx: CallContext) -> list[dict[str, str]]:
    return ctx.state.get_commands(*_commands_key(ctx.params))


@bot_method("deleteMyCommands")
async def delete_my_commands(ctx: CallContext) -> bool:
    ctx.state.delete_commands(*_commands_key(ctx.params))
    return True


def _bot_text_setting(field_name: str, max_length: int) -> tuple[BotMethod, BotMethod]:
    """A setter and getter pair for setMyDescription-like settings, stored per language."""

    async def setter(ctx: CallContext) -> bool:
        value = ctx.params.string(field_name) or ""
        if len(value) > max_length:
            raise bad_request(f"{field_name} is too long")
        key = (field_name, ctx.params.string("language_code") or "")
        if value:
            ctx.state.descriptions[key] = value
        else:
            ctx.state.descriptions.pop(key, None)
        return True

    async def getter(ctx: CallContext) -> dict[str, str]:
        key = (field_name, ctx.params.string("language_code") or "")
        default = ctx.state.bot.first_name if field_name == "name" else ""
        return {field_name: ctx.state.descriptions.get(key, default)}

    return setter, getter


for _setting, _max_length, _set_name, _get_name in (
    ("description", 512, "setMyDescription", "getMyDescription"),
    ("short_description", 120, "setMyShortDescription", "getMyShortDescription"),
    ("name", 64, "setMyName", "getMyName"),
):
    _setter, _getter = _bot_text_setting(_setting, _max_length)
    bot_method(_set_name)(_setter)
    bot_method(_get_name)(_getter)


@bot_method("sendMessage")
async def send_message(ctx: CallContext) -> dict[str, Any]:
    chat = _chat_to_message(ctx)
    text = formatted_text(
        ctx.params,
        "text",
        "entities",
        max_length=MAX_TEXT_LENGTH,
        empty_error="message text is empty",
        too_long_error="message is too long",
    )
    assert text is not None
    reply_markup = reply_markup_param(ctx.params)
    reply_to = _reply_target(ctx, chat)
    message = _deliver(
        ctx,
        chat,
        text=text.text,
        entities=text.entities,
        source_text=text.source,
        parse_mode=text.parse_mode,
        reply_markup=reply_markup,
        reply_to=reply_to,
    )
    return message.to_api()


@bot_method("sendDocument")
async def send_document(ctx: CallContext) -> dict[str, Any]:
    chat = _chat_to_message(ctx)
    document_value = ctx.params.string("document")
    upload = ctx.params.files.get("document")
    if upload is None and document_value and document_value.startswith("attach://"):
        upload = ctx.params.files.get(document_value.removeprefix("attach://"))
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            raise SandboxError(413, "Request Entity Too Large")
        document = ctx.state.store_document(upload.file_name, upload.content_type, upload.size, upload.content)
    elif document_value is None:
        raise bad_request("there is no document in the request")
    elif document_value in ctx.state.files:
        document = ctx.state.files[document_value]
    elif re.match(r"https?://", document_value):
        file_name = urlparse(document_value).path.rsplit("/", 1)[-1] or None
        document = ctx.state.store_document(file_name, None, None)
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    caption = formatted_text(
        ctx.params,
        "caption",
        "caption_entities",
        max_length=MAX_CAPTION_LENGTH,
        empty_error=None,
        too_long_error="message caption is too long",
    )
    reply_markup = reply_markup_param(ctx.params)
    reply_to = _reply_target(ctx, chat)
    message = _deliver(
        ctx,
        chat,
        document=document,
        caption=caption.text if caption else None,
        caption_entities=caption.entities if caption else [],
        source_text=caption.source if caption else None,
        parse_mode=caption.parse_mode if caption else None,
        reply_markup=reply_markup,
        reply_to=reply_to,
    )
    return message.to_api()


def _message_to_edit(ctx: CallContext) -> Message:
    if ctx.params.string("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat = ctx.state.find_chat(ctx.params.chat_id())
    message_id = ctx.params.integer("message_id", required=True, empty_error="message identifier is not specified")
    assert message_id is not None
    return ctx.state.bot_message_to_edit(chat.id, message_id)


def _replace_inline_keyboard(message: Message, new_markup: dict[str, Any] | None) -> None:
    """Editing replaces (or removes) the inline keyboard; a reply keyboard record stays."""
    if message.reply_markup is None or message.inline_keyboard is not None:
        message.reply_markup = new_markup


@bot_method("editMessageText")
async def edit_message_text(ctx: CallContext) -> dict[str, Any]:
    message = _message_to_edit(ctx)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text = formatted_text(
        ctx.params,
        "text",
        "entities",
        max_length=MAX_TEXT_LENGTH,
        empty_error="message text is empty",
        too_long_error="message is too long",
    )
    assert text is not None
    reply_markup = reply_markup_param(ctx.params, inline_only=True)
    new_keyboard = reply_markup["inline_keyboard"] if reply_markup else None
    if text.text == message.text and text.entities == message.entities and new_keyboard == message.inline_keyboard:
        raise bad_request(NOT_MODIFIED)
    message.text, message.entities = text.text, text.entities
    message.source_text, message.parse_mode = text.source, text.parse_mode
    _replace_inline_keyboard(message, reply_markup)
    ctx.state.mark_edited(message)
    return message.to_api()


@bot_method("editMessageReplyMarkup")
async def edit_message_reply_markup(ctx: CallContext) -> dict[str, Any]:
    message = _message_to_edit(ctx)
    reply_markup = reply_markup_param(ctx.params, inline_only=True)
    new_keyboard = reply_markup["inline_keyboard"] if reply_markup else None
    if new_keyboard == message.inline_keyboard:
        raise bad_request(NOT_MODIFIED)
    _replace_inline_keyboard(message, reply_markup)
    ctx.state.mark_edited(message)
    return message.to_api()


@bot_method("deleteMessage")
async def delete_message(ctx: CallContext) -> bool:
    chat = ctx.state.find_chat(ctx.params.chat_id())
    message_id = ctx.params.integer("message_id", required=True, empty_error="message identifier is not specified")
    assert message_id is not None
    ctx.state.delete_message(chat.id, message_id)
    return True


@bot_method("answerCallbackQuery")
async def answer_callback_query(ctx: CallContext) -> bool:
    query_id = ctx.params.string("callback_query_id", required=True)
    assert query_id is not None
    ctx.state.answer_callback_query(
        query_id,
        text=ctx.params.string("text"),
        show_alert=ctx.params.boolean("show_alert"),
        url=ctx.params.string("url"),
    )
    return True


@bot_method("sendChatAction")
async def send_chat_action(ctx: CallContext) -> bool:
    chat = _chat_to_message(ctx)
    action = ctx.params.string("action", required=True, empty_error="action is empty")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    ctx.state.set_chat_action(chat, action)
    return True


@bot_method("getChat")
async def get_chat(ctx: CallContext) -> dict[str, Any]:
    chat = ctx.state.find_chat(ctx.params.chat_id())
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@bot_method("close", "logOut")
async def close_or_log_out(ctx: CallContext) -> bool:
    return True


# ----- the route --------------------------------------------------------------------------


async def handle_bot_api_call(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    started = time.monotonic()
    if not hmac.compare_digest(request.path_params["token"].encode(), state.bot_token.encode()):
        logger.warning("Bot API call with a wrong token", extra={"status": 401})
        return error_response(SandboxError(401, "Unauthorized"))
    spec = BOT_METHODS.get(request.path_params["method"].lower())
    if spec is None:
        return error_response(SandboxError(404, "Not Found"))
    params = Params()
    try:
        params = await read_params(request)
        fault = state.take_fault(spec.name, params.chat_id_or_none())
        if fault is not None:
            raise fault.to_error()
        result = await spec.handler(CallContext(state, params, request))
        response = ok_response(result)
    except ClientDisconnected:
        return Response(status_code=499)
    except SandboxError as error:
        response = error_response(error)
        if spec.name in SENDING_METHODS:
            state.record_send(
                spec.name,
                params.chat_id_or_none(),
                _logged_text(params),
                error.error_code,
                description=error.description,
                retry_after=error.retry_after,
            )
    except Exception:
        logger.exception("Bot API call failed inside the sandbox", extra={"method": spec.name})
        response = error_response(SandboxError(500, "Internal Server Error"))
    else:
        if spec.name in SENDING_METHODS:
            state.record_send(spec.name, params.chat_id_or_none(), _logged_text(params), 200, result["message_id"])
    # Every call at debug level: a bot polls and sends all the time. Only a call that failed is worth a person's look.
    level = logging.DEBUG if response.status_code < 400 else logging.INFO
    logger.log(
        level,
        "Bot API call",
        extra={
            "method": spec.name,
            "status": response.status_code,
            "chat_id": params.chat_id_or_none(),
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return response


def _logged_text(params: Params) -> str | None:
    value = params.values.get("text", params.values.get("caption"))
    return value if isinstance(value, str) else None


MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # what Telegram lets a bot download with getFile


@bot_method("getFile")
async def get_file(ctx: CallContext) -> dict[str, Any]:
    """A file the bot may download: its path under /file/bot<token>/, as Telegram answers."""
    file_id = ctx.params.string("file_id", required=True)
    document = ctx.state.files.get(file_id)
    if document is None or document.content is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    if len(document.content) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {"file_id": document.file_id, "file_unique_id": document.file_unique_id,
            "file_size": len(document.content), "file_path": document.file_path}


async def download_file(request: Request) -> Response:
    """The bytes of a file getFile named, as Telegram serves them at https://api.telegram.org/file/bot<token>/…"""
    state = request.app.state.sandbox
    if not hmac.compare_digest(request.path_params["token"].encode(), state.bot_token.encode()):
        return Response(status_code=404)
    file_id = request.path_params["path"].removeprefix("documents/")
    document = state.files.get(file_id)
    if document is None or document.content is None:
        return Response(status_code=404)
    return Response(document.content, media_type=document.mime_type or "application/octet-stream")


routes = [Route("/bot{token}/{method}", handle_bot_api_call, methods=["GET", "POST"]),
          Route("/file/bot{token}/{path:path}", download_file, methods=["GET"])]
