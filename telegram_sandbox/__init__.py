"""A local Telegram Bot API sandbox: the Bot API over HTTP, a control API and a web chat.

Run it with ``python -m telegram_sandbox``, or in-process with :class:`SandboxServer`.
"""

from .app import SandboxServer, configure_json_logging, configure_logging, create_app
from .state import SandboxError, SandboxState

__all__ = [
    "SandboxError", "SandboxServer", "SandboxState", "configure_json_logging", "configure_logging", "create_app",
]
