"""A session as the facade holds it: its id, and the calls on it. Each turn sends only the new prompt."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clawdforge_client.models import AsyncRunAccepted, RunResponse, Session

    from ._client import AsyncClawdforge, Clawdforge
    from ._events import RunEvent


class ClawdforgeSession:
    """A conversation the CLI continues turn by turn (``Clawdforge.create_session``). Use it as a context manager to close it."""

    def __init__(self, client: Clawdforge, session_id: str, expires_at: Any) -> None:
        self._client = client
        #: ``ses_...``: keep it to reopen the session with ``Clawdforge.session(id)``.
        self.id = session_id
        #: When it expires without another turn, as said at creation (None for a reopened handle).
        self.expires_at = expires_at

    def __enter__(self) -> ClawdforgeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, prompt: str, **options: Any) -> RunResponse:
        """The next turn (files, timeout_secs, ...), answered like ``run``."""
        return self._client.send_turn(self.id, prompt, **options)

    def stream(self, prompt: str, **options: Any) -> Iterator[RunEvent]:
        return self._client.stream_turn(self.id, prompt, **options)

    def start(self, prompt: str, **options: Any) -> AsyncRunAccepted:
        return self._client.start_turn(self.id, prompt, **options)

    def fork(self, *, ttl_secs: int | None = None) -> ClawdforgeSession:
        return self._client.fork_session(self.id, ttl_secs=ttl_secs)

    def info(self) -> Session:
        return self._client.get_session(self.id)

    def close(self) -> None:
        self._client.delete_session(self.id)


class AsyncClawdforgeSession:
    """ClawdforgeSession for asyncio (``AsyncClawdforge.create_session``)."""

    def __init__(self, client: AsyncClawdforge, session_id: str, expires_at: Any) -> None:
        self._client = client
        self.id = session_id
        self.expires_at = expires_at

    async def __aenter__(self) -> AsyncClawdforgeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def send(self, prompt: str, **options: Any) -> RunResponse:
        return await self._client.send_turn(self.id, prompt, **options)

    def stream(self, prompt: str, **options: Any) -> AsyncIterator[RunEvent]:
        return self._client.stream_turn(self.id, prompt, **options)

    async def start(self, prompt: str, **options: Any) -> AsyncRunAccepted:
        return await self._client.start_turn(self.id, prompt, **options)

    async def fork(self, *, ttl_secs: int | None = None) -> AsyncClawdforgeSession:
        return await self._client.fork_session(self.id, ttl_secs=ttl_secs)

    async def info(self) -> Session:
        return await self._client.get_session(self.id)

    async def close(self) -> None:
        await self._client.delete_session(self.id)
