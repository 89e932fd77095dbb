"""clawdforge: the Python facade over the generated client (``clawdforge_client``), shipped in the same wheel.

    from clawdforge import Clawdforge, RateLimitError

    with Clawdforge("http://192.168.0.5:8800", token="cf_...") as claude:
        answer = claude.run("Summarize this", files=[claude.upload_file("notes.txt").file_token])
        print(answer.result)
"""

from clawdforge_client.models import AsyncRun, AsyncRunAccepted, FileInfo, RunResponse, Session

from ._client import AsyncClawdforge, Clawdforge, Uploadable
from ._events import RunEvent
from ._sessions import AsyncClawdforgeSession, ClawdforgeSession
from ._webhooks import WebhookVerificationError, verify_webhook
from ._errors import (
    AbortedError,
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClawdforgeError,
    ConflictError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnavailableError,
)

__all__ = [
    "APIConnectionError",
    "AsyncRun",
    "AsyncRunAccepted",
    "RunEvent",
    "APITimeoutError",
    "AbortedError",
    "AsyncClawdforge",
    "AsyncClawdforgeSession",
    "ClawdforgeSession",
    "Session",
    "AuthenticationError",
    "BadRequestError",
    "Clawdforge",
    "ClawdforgeError",
    "ConflictError",
    "FileInfo",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RunResponse",
    "ServerError",
    "UnavailableError",
    "Uploadable",
    "WebhookVerificationError",
    "verify_webhook",
]
