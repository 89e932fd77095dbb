"""Checking a webhook from the service (Standard Webhooks 1.0) before trusting it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from ._errors import ClawdforgeError


class WebhookVerificationError(ClawdforgeError):
    """Missing headers, a bad signature, or a timestamp too far from now."""


def verify_webhook(secret: str, headers: Mapping[str, str], raw_body: bytes | str, *, tolerance_secs: int = 300, now: float | None = None) -> dict[str, Any]:
    """Verifies a delivery and returns its payload (``type``, ``timestamp``, ``data``).

    ``secret`` is the ``whsec_...`` secret shown when the webhook was set; ``headers`` the request's
    headers (any case); ``raw_body`` the body exactly as received, before any JSON parsing.
    """
    lower = {name.lower(): value for name, value in headers.items()}
    message_id, timestamp, signatures = lower.get("webhook-id"), lower.get("webhook-timestamp"), lower.get("webhook-signature")
    if not message_id or not timestamp or not signatures:
        raise WebhookVerificationError("invalid_response", "Missing webhook-id, webhook-timestamp or webhook-signature.")
    try:
        seconds = int(timestamp)
    except ValueError as cause:
        raise WebhookVerificationError("invalid_response", "The webhook timestamp is not a number.") from cause
    if abs((time.time() if now is None else now) - seconds) > tolerance_secs:
        raise WebhookVerificationError("invalid_response", "The webhook timestamp is too far from now.")
    try:
        body = raw_body.decode("utf-8") if isinstance(raw_body, bytes) else raw_body
    except UnicodeDecodeError as cause:
        raise WebhookVerificationError("invalid_response", "The webhook body is not UTF-8.") from cause
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version == "v1" and value:
            try:
                given = base64.b64decode(value)
            except ValueError:
                continue
            if hmac.compare_digest(given, expected):
                return json.loads(body)
    raise WebhookVerificationError("invalid_response", "The webhook signature does not match.")
