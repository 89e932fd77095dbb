"""A run's events as Server-Sent Events: the parser, and the event as the facade hands it out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from ._errors import error_for
from ._statuses import STATUS_OF_CODE

#: The event types this version knows; a newer service's other types are passed over.
KNOWN_TYPES = {"queued", "started", "text", "tool", "retry", "rate_limit", "result", "error"}


@dataclass(frozen=True)
class RunEvent:
    """One event of a run: ``seq`` its number, ``type`` its kind, ``data`` its JSON data.

    For ``result``, ``data`` is the blocking answer's body (a dict, as ``RunResponse.to_dict()`` gives it).
    An ``error`` event is never handed out: it is raised as the ``ClawdforgeError`` it describes.
    """

    seq: int
    type: str
    data: Any


class _Parser:
    """Server-Sent Events by the format's rules: a blank line ends a message, `:` lines are comments."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.data: list[str] = []

    def feed(self, line: str) -> tuple[str | None, str, str] | None:
        """The message this line completes, if it does."""
        if line == "":
            message = (self.fields.get("id"), self.fields.get("event") or "message", "\n".join(self.data)) if self.data else None
            self.fields, self.data = {}, []
            return message
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self.data.append(value)
        elif name in ("id", "event"):
            self.fields[name] = value
        return None


def parse_lines(lines: Iterator[str]) -> Iterator[tuple[str | None, str, str]]:
    """(id, event, data) per message."""
    parser = _Parser()
    for line in lines:
        message = parser.feed(line)
        if message is not None:
            yield message


async def aparse_lines(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str | None, str, str]]:
    parser = _Parser()
    async for line in lines:
        message = parser.feed(line)
        if message is not None:
            yield message


def to_event(message: tuple[str | None, str, str]) -> RunEvent | None:
    """The event, None for a type this version does not know; raises the error an ``error`` event carries."""
    event_id, kind, text = message
    try:
        data = json.loads(text)
    except ValueError as cause:
        raise error_for("invalid_response", f'A "{kind}" event\'s data is not JSON.', status=200) from cause
    if kind == "error":
        error = data.get("error", {}) if isinstance(data, dict) else {}
        code = str(error.get("code", "invalid_response"))
        raise error_for(code, str(error.get("message", "")), status=STATUS_OF_CODE.get(code, 0), request_id=error.get("request_id"))
    if kind not in KNOWN_TYPES:
        return None
    return RunEvent(seq=int(event_id or 0), type=kind, data=data)


__all__ = ["RunEvent", "aparse_lines", "parse_lines", "to_event"]
