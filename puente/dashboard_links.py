"""One-time sign-in links to the coordinators' dashboard. The bot signs one for a coordinator (`/panel`); reporting
checks the signature, the expiry and that it was never used, and that the person still coordinates, before it
opens a session. The link names the person by their opaque id only; the key (PUENTE_DASHBOARD_KEY) is shared by
the bot and reporting and by no one else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlparse

LINK_MINUTES = 10
DEVELOPMENT_KEY = "puente-local-dashboard-key"  # the settings' default: public, for local use only
SIGN_IN_PATH = "/panel/signin"


@dataclass(frozen=True)
class SignIn:
    person_id: uuid.UUID
    language: str
    expires_at: datetime
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def sign_in_token(key: bytes, person_id: uuid.UUID, language: str, now: datetime) -> str:
    expires = int((now + timedelta(minutes=LINK_MINUTES)).timestamp())
    body = _b64(json.dumps({"p": str(person_id), "l": language, "e": expires, "n": secrets.token_hex(16)},
                           separators=(",", ":")).encode())
    return f"{body}.{_signature(key, body)}"


def sign_in_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{SIGN_IN_PATH}?token={quote(token)}"


def read_sign_in(key: bytes, token: str, now: datetime) -> SignIn | None:
    """The sign-in a token carries, or None if it is malformed, forged or expired (whether it was used is for
    reporting's records to say)."""
    body, _, signature = token.partition(".")
    if not body or len(token) > 512 or not hmac.compare_digest(signature.encode(), _signature(key, body).encode()):
        return None
    try:
        fields = json.loads(_unb64(body))
        sign_in = SignIn(person_id=uuid.UUID(fields["p"]), language=str(fields["l"]),
                         expires_at=datetime.fromtimestamp(int(fields["e"]), tz=now.tzinfo), nonce=str(fields["n"]))
    except (ValueError, KeyError, TypeError):
        return None
    return sign_in if now < sign_in.expires_at else None


def refuses_development_key(key: str, dashboard_url: str) -> bool:
    """The public development key signs links to a dashboard that others can reach: anyone could sign one."""
    host = urlparse(dashboard_url).hostname or ""
    return key == DEVELOPMENT_KEY and host not in ("127.0.0.1", "localhost", "::1")
