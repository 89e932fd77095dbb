"""Clawdforge and AsyncClawdforge: the generated client's models, with exceptions instead of error bodies.

The generated functions return an ``ErrorBody`` where a caller expects a ``RunResponse``, and their enum of
error codes rejects a code a newer service adds. These classes send the same requests, turn every error
envelope into a ``ClawdforgeError`` subclass, and parse successes with the generated models.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Union
from urllib.parse import quote

import httpx

from clawdforge_client.models import AsyncRun, AsyncRunAccepted, FileInfo, RunResponse, Session, SessionCreated, SessionList

from ._errors import ClawdforgeError, error_for
from ._events import RunEvent, aparse_lines, parse_lines, to_event
from ._sessions import AsyncClawdforgeSession, ClawdforgeSession

#: A file to upload: a path, its bytes, or a binary file object.
Uploadable = Union[str, "os.PathLike[str]", bytes, IO[bytes]]

#: What a run may take when it does not say (the service's default timeout_secs).
DEFAULT_RUN_TIMEOUT_SECS = 120
#: Every other call.
DEFAULT_TIMEOUT_SECS = 30.0
#: A Retry-After longer than this is not waited out.
MAX_RETRY_AFTER_SECS = 60.0


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    #: "idempotent": retried on a refused connection and on 429/503 with Retry-After;
    #: "not-run-yet": retried only when nothing ran (queue_full, server_busy) or the connection was refused;
    #: "never": an upload.
    retry: str
    json: Any = None
    timeout: float = DEFAULT_TIMEOUT_SECS
    max_retries: int = 2


def _backoff(retry_after: float | None, attempt: int) -> float:
    """Retry-After plus up to a quarter more, or 0.25 s doubling, jittered from half to all of it."""
    if retry_after is not None:
        return max(0.0, retry_after) * (1 + 0.25 * random.random())
    return 0.25 * 2**attempt * (0.5 + 0.5 * random.random())


def _should_retry(call: _Call, error: ClawdforgeError, attempt: int, max_retries: int) -> bool:
    if attempt >= max_retries or call.retry == "never":
        return False
    if error.code == "network_error" and getattr(error, "refused", False):
        return True
    if error.code in ("queue_full", "server_busy"):
        return (error.retry_after or 0) <= MAX_RETRY_AFTER_SECS
    if call.retry != "idempotent":
        return False
    return error.status in (429, 503) and error.retry_after is not None and error.retry_after <= MAX_RETRY_AFTER_SECS


def _error_from_response(response: httpx.Response) -> ClawdforgeError:
    request_id = response.headers.get("x-request-id")
    retry_after = None
    try:
        retry_after = float(response.headers["retry-after"])
    except (KeyError, ValueError):
        pass
    try:
        envelope = response.json()
        error = envelope["error"]
        code, message = str(error["code"]), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError):
        return error_for(
            "invalid_response",
            f"The service answered {response.status_code} without its error envelope.",
            status=response.status_code,
            request_id=request_id,
        )
    return error_for(code, message, status=response.status_code, request_id=request_id, retry_after=retry_after)


def _connection_error(base_url: str, cause: Exception) -> ClawdforgeError:
    if isinstance(cause, httpx.TimeoutException) and not isinstance(cause, httpx.ConnectTimeout):
        error = error_for("timeout", "No answer in time.")
    else:
        error = error_for("network_error", f"Could not reach {base_url}: {cause}")
        # Nothing was sent on a refused connection: safe to try again.
        error.refused = isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout)  # type: ignore[attr-defined]
    error.__cause__ = cause
    return error


def _parsed(model: Any, data: Any) -> Any:
    """A success body as the generated model, or InvalidResponseError when it is not that model."""
    try:
        return model.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as cause:
        raise error_for("invalid_response", f"The service answered something that is not a {model.__name__}: {cause!r}") from cause


def _checked_limits(timeout: float, max_retries: int) -> tuple[float, int]:
    """A caller's mistake, said at once rather than from deep inside httpx or a retry loop."""
    if not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, not {max_retries!r}")
    if not timeout > 0:
        raise ValueError(f"timeout must be > 0 seconds, not {timeout!r}")
    return float(timeout), max_retries


def _parse_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as cause:
        raise error_for(
            "invalid_response", f"The service answered {response.status_code} with a body that is not JSON.", status=response.status_code
        ) from cause


def _run_body(prompt: str, options: Mapping[str, Any]) -> tuple[dict[str, Any], float]:
    body = {"prompt": prompt, **{key: value for key, value in options.items() if value is not None}}
    # A run may take its whole timeout_secs: wait that long and 10 s more.
    return body, float(body.get("timeout_secs", DEFAULT_RUN_TIMEOUT_SECS)) + 10


def _upload_parts(file: Uploadable, filename: str | None, content_type: str | None) -> tuple[str, IO[bytes] | bytes, str, bool]:
    """(name, content, content type, whether we opened it and must close it)."""
    if isinstance(file, bytes):
        return filename or "upload.bin", file, content_type or "application/octet-stream", False
    if isinstance(file, str | os.PathLike):
        return filename or os.path.basename(os.fspath(file)), open(file, "rb"), content_type or "application/octet-stream", True
    name = filename or os.path.basename(str(getattr(file, "name", "") or "")) or "upload.bin"
    return name, file, content_type or "application/octet-stream", False


class _Base:
    def __init__(self, base_url: str, token: str, timeout: float, max_retries: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout, self.max_retries = _checked_limits(timeout, max_retries)
        self._headers = {"authorization": f"Bearer {token}", "accept": "application/json"}

    def _timeout(self, seconds: float) -> httpx.Timeout:
        return httpx.Timeout(seconds, connect=min(seconds, 10.0))

    def _call_for(self, method: str, path: str, retry: str, *, json: Any = None, timeout: float | None, max_retries: int | None) -> _Call:
        """A call with this call's limits over the client's: a run by default waits its timeout_secs + 10 s."""
        limits = _checked_limits(self.timeout if timeout is None else timeout, self.max_retries if max_retries is None else max_retries)
        return _Call(method, path, retry, json, *limits)

    def _events_call(self, run_id: str, last_event_id: int, timeout: float | None) -> tuple[str, dict[str, str], float]:
        headers = {"accept": "text/event-stream", **({"last-event-id": str(last_event_id)} if last_event_id > 0 else {})}
        # A stream lasts as long as its run: by default, a day.
        return f"/runs/{_segment(run_id)}/events", headers, 86_400.0 if timeout is None else timeout

    def _run_call(self, prompt: str, options: dict[str, Any], timeout: float | None, max_retries: int | None, path: str = "/run") -> _Call:
        """A run (or a session's turn, at its path): by default it waits the run's timeout_secs + 10 s."""
        body, run_timeout = _run_body(prompt, options)
        return self._call_for("POST", path, "not-run-yet", json=body, timeout=max(run_timeout, self.timeout) if timeout is None else timeout, max_retries=max_retries)


class Clawdforge(_Base):
    """The client of an app: runs and files. Use it as a context manager, or call ``close()``."""

    def __init__(self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT_SECS, max_retries: int = 2) -> None:
        super().__init__(base_url, token, timeout, max_retries)
        self._http = httpx.Client(base_url=self.base_url, headers=self._headers)

    def __enter__(self) -> Clawdforge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def run(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> RunResponse:
        """Runs a prompt. ``options`` are the run's fields: model, system, files, timeout_secs, tools, ...

        ``timeout`` and ``max_retries`` are this call's, over the client's; a run waits its timeout_secs + 10 s.
        """
        return _parsed(RunResponse, self._call(self._run_call(prompt, options, timeout, max_retries)))

    def run_structured(self, prompt: str, schema: Mapping[str, Any], **options: Any) -> RunResponse:
        """Runs a prompt whose answer must match a JSON Schema (an object); ``result`` is that object."""
        return self.run(prompt, json_schema=dict(schema), **options)

    def stream(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> Iterator[RunEvent]:
        """Runs a prompt and yields its events as they happen (queued, started, text, tool, ...), the last one ``result``.

        A failure is raised as a ``ClawdforgeError``, before the first event or in its place. Closing the
        iterator early (``break``) closes the stream, which cancels the run.
        """
        return self._stream(self._run_call(prompt, options, timeout, max_retries))

    def _stream(self, call: _Call) -> Iterator[RunEvent]:
        attempt = 0
        while True:
            try:
                with self._http.stream("POST", call.path, json=call.json, headers={"accept": "text/event-stream"}, timeout=self._timeout(call.timeout)) as response:
                    if response.status_code >= 400:
                        response.read()
                        raise _error_from_response(response)
                    for message in parse_lines(response.iter_lines()):
                        event = to_event(message)
                        if event is not None:
                            yield event
                            if event.type == "result":
                                return
                    raise error_for("invalid_response", "The event stream ended without a result.", status=200)
            except httpx.TransportError as cause:
                raise _connection_error(self.base_url, cause) from cause
            except ClawdforgeError as error:
                if not _should_retry(call, error, attempt, call.max_retries):
                    raise
                time.sleep(_backoff(error.retry_after, attempt))
                attempt += 1

    def start_run(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncRunAccepted:
        """Starts a run that outlives this call (POST /runs): answered once it is queued."""
        body, _ = _run_body(prompt, options)
        return _parsed(AsyncRunAccepted, self._call(self._call_for("POST", "/runs", "not-run-yet", json=body, timeout=timeout, max_retries=max_retries)))

    def get_run(self, run_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> AsyncRun:
        return _parsed(AsyncRun, self._call(self._call_for("GET", f"/runs/{_segment(run_id)}", "idempotent", timeout=timeout, max_retries=max_retries)))

    def cancel_run(self, run_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> AsyncRun:
        return _parsed(AsyncRun, self._call(self._call_for("DELETE", f"/runs/{_segment(run_id)}", "idempotent", timeout=timeout, max_retries=max_retries)))

    def run_events(self, run_id: str, *, last_event_id: int = 0, timeout: float | None = None, max_retries: int | None = None) -> Iterator[RunEvent]:
        """An async run's events, from the start or after ``last_event_id``, live until the last.

        A dropped connection is resumed where it was (up to ``max_retries`` times), with nothing lost or repeated.
        """
        last = last_event_id
        reconnects = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            path, headers, seconds = self._events_call(run_id, last, timeout)
            try:
                with self._http.stream("GET", path, headers=headers, timeout=self._timeout(seconds)) as response:
                    if response.status_code >= 400:
                        response.read()
                        raise _error_from_response(response)
                    for message in parse_lines(response.iter_lines()):
                        event = to_event(message)
                        if event is None:
                            continue
                        last = event.seq
                        attempt = 0  # the reconnects allowed count from the last event received
                        yield event
                        if event.type == "result":
                            return
                    return
            except httpx.TransportError as cause:
                if attempt >= reconnects:
                    raise _connection_error(self.base_url, cause) from cause
                time.sleep(_backoff(None, attempt))
                attempt += 1

    def create_session(self, *, timeout: float | None = None, max_retries: int | None = None, **settings: Any) -> ClawdforgeSession:
        """Starts a session (POST /sessions): ``settings`` are model, system, append_system, tools, json_schema, ttl_secs.

        Each turn then sends only its prompt; the CLI keeps the history. Settings are fixed for the session's life.
        """
        body = {key: value for key, value in settings.items() if value is not None}
        created = _parsed(SessionCreated, self._call(self._call_for("POST", "/sessions", "never", json=body, timeout=timeout, max_retries=max_retries)))
        return ClawdforgeSession(self, created.session_id, created.expires_at)

    def session(self, session_id: str) -> ClawdforgeSession:
        """A handle on a session made earlier (its id kept across a restart of the app, say)."""
        return ClawdforgeSession(self, session_id, None)

    def list_sessions(self, *, timeout: float | None = None, max_retries: int | None = None) -> list[Session]:
        return _parsed(SessionList, self._call(self._call_for("GET", "/sessions", "idempotent", timeout=timeout, max_retries=max_retries))).sessions

    def get_session(self, session_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Session:
        return _parsed(Session, self._call(self._call_for("GET", _session_path(session_id), "idempotent", timeout=timeout, max_retries=max_retries)))

    def send_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> RunResponse:
        """The session's next turn (files, timeout_secs, ...): answered like ``run``; 409 session_busy (ConflictError) while another runs."""
        return _parsed(RunResponse, self._call(self._run_call(prompt, options, timeout, max_retries, _session_path(session_id, "turns"))))

    def stream_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> Iterator[RunEvent]:
        """The session's next turn, its events as they happen, like ``stream``."""
        return self._stream(self._run_call(prompt, options, timeout, max_retries, _session_path(session_id, "turns")))

    def start_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncRunAccepted:
        """The session's next turn as an async run: follow it with ``get_run`` and ``run_events``."""
        body, _ = _run_body(prompt, options)
        return _parsed(AsyncRunAccepted, self._call(self._call_for("POST", _session_path(session_id, "runs"), "not-run-yet", json=body, timeout=timeout, max_retries=max_retries)))

    def fork_session(self, session_id: str, *, ttl_secs: int | None = None, timeout: float | None = None, max_retries: int | None = None) -> ClawdforgeSession:
        """A new session with the history so far and a copy of the directory; the origin goes on untouched."""
        body = {} if ttl_secs is None else {"ttl_secs": ttl_secs}
        created = _parsed(SessionCreated, self._call(self._call_for("POST", _session_path(session_id, "fork"), "never", json=body, timeout=timeout, max_retries=max_retries)))
        return ClawdforgeSession(self, created.session_id, created.expires_at)

    def delete_session(self, session_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> None:
        """Ends the session: a running turn is cancelled, the directory and the history removed."""
        self._call(self._call_for("DELETE", _session_path(session_id), "idempotent", timeout=timeout, max_retries=max_retries))

    def upload_file(
        self,
        file: Uploadable,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        ttl_secs: int | None = None,
        timeout: float | None = None,
    ) -> FileInfo:
        """Uploads a file (streamed from a path or file object) and returns its ``ff_`` token and metadata. Never retried."""
        call = self._call_for("POST", "/files", "never", timeout=timeout, max_retries=0)
        name, content, kind, opened = _upload_parts(file, filename, content_type)
        try:
            data = {"ttl_secs": str(ttl_secs)} if ttl_secs is not None else None
            request = self._http.build_request("POST", "/files", files={"file": (name, content, kind)}, data=data, timeout=self._timeout(call.timeout))
            return _parsed(FileInfo, self._send(request))
        finally:
            if opened:
                content.close()  # type: ignore[union-attr]

    def get_file(self, file_token: str, *, timeout: float | None = None, max_retries: int | None = None) -> FileInfo:
        return _parsed(FileInfo, self._call(self._call_for("GET", f"/files/{_segment(file_token)}", "idempotent", timeout=timeout, max_retries=max_retries)))

    def delete_file(self, file_token: str, *, timeout: float | None = None, max_retries: int | None = None) -> None:
        self._call(self._call_for("DELETE", f"/files/{_segment(file_token)}", "idempotent", timeout=timeout, max_retries=max_retries))

    def _call(self, call: _Call) -> Any:
        attempt = 0
        while True:
            request = self._http.build_request(call.method, call.path, json=call.json, timeout=self._timeout(call.timeout))
            try:
                return self._send(request)
            except ClawdforgeError as error:
                if not _should_retry(call, error, attempt, call.max_retries):
                    raise
                time.sleep(_backoff(error.retry_after, attempt))
                attempt += 1

    def _send(self, request: httpx.Request) -> Any:
        try:
            response = self._http.send(request)
        except httpx.TransportError as cause:
            raise _connection_error(self.base_url, cause) from cause
        if response.status_code >= 400:
            raise _error_from_response(response)
        return _parse_json(response) if response.content else None


class AsyncClawdforge(_Base):
    """Clawdforge for asyncio. Use it as an async context manager, or await ``aclose()``."""

    def __init__(self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT_SECS, max_retries: int = 2) -> None:
        super().__init__(base_url, token, timeout, max_retries)
        self._http = httpx.AsyncClient(base_url=self.base_url, headers=self._headers)

    async def __aenter__(self) -> AsyncClawdforge:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def run(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> RunResponse:
        return _parsed(RunResponse, await self._call(self._run_call(prompt, options, timeout, max_retries)))

    async def run_structured(self, prompt: str, schema: Mapping[str, Any], **options: Any) -> RunResponse:
        return await self.run(prompt, json_schema=dict(schema), **options)

    async def stream(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncIterator[RunEvent]:
        """As ``Clawdforge.stream``, for asyncio."""
        async for event in self._stream(self._run_call(prompt, options, timeout, max_retries)):
            yield event

    async def _stream(self, call: _Call) -> AsyncIterator[RunEvent]:
        try:
            async with self._http.stream("POST", call.path, json=call.json, headers={"accept": "text/event-stream"}, timeout=self._timeout(call.timeout)) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_from_response(response)
                async for message in aparse_lines(response.aiter_lines()):
                    event = to_event(message)
                    if event is not None:
                        yield event
                        if event.type == "result":
                            return
                raise error_for("invalid_response", "The event stream ended without a result.", status=200)
        except httpx.TransportError as cause:
            raise _connection_error(self.base_url, cause) from cause

    async def start_run(self, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncRunAccepted:
        body, _ = _run_body(prompt, options)
        return _parsed(AsyncRunAccepted, await self._call(self._call_for("POST", "/runs", "not-run-yet", json=body, timeout=timeout, max_retries=max_retries)))

    async def get_run(self, run_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> AsyncRun:
        return _parsed(AsyncRun, await self._call(self._call_for("GET", f"/runs/{_segment(run_id)}", "idempotent", timeout=timeout, max_retries=max_retries)))

    async def cancel_run(self, run_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> AsyncRun:
        return _parsed(AsyncRun, await self._call(self._call_for("DELETE", f"/runs/{_segment(run_id)}", "idempotent", timeout=timeout, max_retries=max_retries)))

    async def run_events(self, run_id: str, *, last_event_id: int = 0, timeout: float | None = None, max_retries: int | None = None) -> AsyncIterator[RunEvent]:
        """As ``Clawdforge.run_events``, for asyncio."""
        last = last_event_id
        reconnects = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            path, headers, seconds = self._events_call(run_id, last, timeout)
            try:
                async with self._http.stream("GET", path, headers=headers, timeout=self._timeout(seconds)) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        raise _error_from_response(response)
                    async for message in aparse_lines(response.aiter_lines()):
                        event = to_event(message)
                        if event is None:
                            continue
                        last = event.seq
                        attempt = 0
                        yield event
                        if event.type == "result":
                            return
                    return
            except httpx.TransportError as cause:
                if attempt >= reconnects:
                    raise _connection_error(self.base_url, cause) from cause
                await asyncio.sleep(_backoff(None, attempt))
                attempt += 1

    async def create_session(self, *, timeout: float | None = None, max_retries: int | None = None, **settings: Any) -> AsyncClawdforgeSession:
        """As ``Clawdforge.create_session``, for asyncio."""
        body = {key: value for key, value in settings.items() if value is not None}
        created = _parsed(SessionCreated, await self._call(self._call_for("POST", "/sessions", "never", json=body, timeout=timeout, max_retries=max_retries)))
        return AsyncClawdforgeSession(self, created.session_id, created.expires_at)

    def session(self, session_id: str) -> AsyncClawdforgeSession:
        return AsyncClawdforgeSession(self, session_id, None)

    async def list_sessions(self, *, timeout: float | None = None, max_retries: int | None = None) -> list[Session]:
        return _parsed(SessionList, await self._call(self._call_for("GET", "/sessions", "idempotent", timeout=timeout, max_retries=max_retries))).sessions

    async def get_session(self, session_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Session:
        return _parsed(Session, await self._call(self._call_for("GET", _session_path(session_id), "idempotent", timeout=timeout, max_retries=max_retries)))

    async def send_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> RunResponse:
        return _parsed(RunResponse, await self._call(self._run_call(prompt, options, timeout, max_retries, _session_path(session_id, "turns"))))

    async def stream_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncIterator[RunEvent]:
        async for event in self._stream(self._run_call(prompt, options, timeout, max_retries, _session_path(session_id, "turns"))):
            yield event

    async def start_turn(self, session_id: str, prompt: str, *, timeout: float | None = None, max_retries: int | None = None, **options: Any) -> AsyncRunAccepted:
        body, _ = _run_body(prompt, options)
        return _parsed(AsyncRunAccepted, await self._call(self._call_for("POST", _session_path(session_id, "runs"), "not-run-yet", json=body, timeout=timeout, max_retries=max_retries)))

    async def fork_session(self, session_id: str, *, ttl_secs: int | None = None, timeout: float | None = None, max_retries: int | None = None) -> AsyncClawdforgeSession:
        body = {} if ttl_secs is None else {"ttl_secs": ttl_secs}
        created = _parsed(SessionCreated, await self._call(self._call_for("POST", _session_path(session_id, "fork"), "never", json=body, timeout=timeout, max_retries=max_retries)))
        return AsyncClawdforgeSession(self, created.session_id, created.expires_at)

    async def delete_session(self, session_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> None:
        await self._call(self._call_for("DELETE", _session_path(session_id), "idempotent", timeout=timeout, max_retries=max_retries))

    async def upload_file(
        self,
        file: Uploadable,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        ttl_secs: int | None = None,
        timeout: float | None = None,
    ) -> FileInfo:
        call = self._call_for("POST", "/files", "never", timeout=timeout, max_retries=0)
        name, content, kind, opened = _upload_parts(file, filename, content_type)
        try:
            data = {"ttl_secs": str(ttl_secs)} if ttl_secs is not None else None
            request = self._http.build_request("POST", "/files", files={"file": (name, content, kind)}, data=data, timeout=self._timeout(call.timeout))
            return _parsed(FileInfo, await self._send(request))
        finally:
            if opened:
                content.close()  # type: ignore[union-attr]

    async def get_file(self, file_token: str, *, timeout: float | None = None, max_retries: int | None = None) -> FileInfo:
        call = self._call_for("GET", f"/files/{_segment(file_token)}", "idempotent", timeout=timeout, max_retries=max_retries)
        return _parsed(FileInfo, await self._call(call))

    async def delete_file(self, file_token: str, *, timeout: float | None = None, max_retries: int | None = None) -> None:
        await self._call(self._call_for("DELETE", f"/files/{_segment(file_token)}", "idempotent", timeout=timeout, max_retries=max_retries))

    async def _call(self, call: _Call) -> Any:
        attempt = 0
        while True:
            request = self._http.build_request(call.method, call.path, json=call.json, timeout=self._timeout(call.timeout))
            try:
                return await self._send(request)
            except ClawdforgeError as error:
                if not _should_retry(call, error, attempt, call.max_retries):
                    raise
                await asyncio.sleep(_backoff(error.retry_after, attempt))
                attempt += 1

    async def _send(self, request: httpx.Request) -> Any:
        try:
            response = await self._http.send(request)
        except httpx.TransportError as cause:
            raise _connection_error(self.base_url, cause) from cause
        if response.status_code >= 400:
            raise _error_from_response(response)
        return _parse_json(response) if response.content else None


def _segment(value: str) -> str:
    """A path segment: a token with a slash or a dot-dot stays one segment."""
    return quote(value, safe="")


def _session_path(session_id: str, action: str | None = None) -> str:
    return f"/sessions/{_segment(session_id)}" + ("" if action is None else f"/{action}")
