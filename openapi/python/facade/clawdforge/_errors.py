"""The exceptions of the facade: one class per kind of failure, as the TS SDK has them."""

from __future__ import annotations


class ClawdforgeError(Exception):
    """Every failure of a facade call. Catch a subclass for a kind of failure, or this one and look at ``code``.

    ``code`` is the service's error code (or the client's own: ``network_error``, ``timeout``, ``aborted``,
    ``invalid_response``); a code this version does not know arrives as it is, in the class of its status.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 0,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        #: The HTTP status, or 0 when no answer came back.
        self.status = status
        #: The service's X-Request-Id: quote it when reporting a problem.
        self.request_id = request_id
        #: Seconds to wait before retrying, from the Retry-After header, when the service sent one.
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status}, message={self.message!r})"


class BadRequestError(ClawdforgeError):
    """400, 413, 415, 422 and other refusals of what was sent."""


class AuthenticationError(ClawdforgeError):
    """401: no token, a wrong, revoked or expired one."""


class PermissionDeniedError(ClawdforgeError):
    """403: the address, model, tool or timeout is not allowed for this token."""


class NotFoundError(ClawdforgeError):
    """404: no such file (or it expired)."""


class ConflictError(ClawdforgeError):
    """409: the name is taken."""


class RateLimitError(ClawdforgeError):
    """429: the queue is full, a quota is used up, or Claude's own limit was hit; see ``retry_after``."""


class ServerError(ClawdforgeError):
    """500 and 502: the service or the CLI failed."""


class UnavailableError(ClawdforgeError):
    """503: not logged in, overloaded, shutting down or busy."""


class APITimeoutError(ClawdforgeError):
    """No answer in time (status 0), or the run or its upload outlasted the service's limit (504, 408)."""


class APIConnectionError(ClawdforgeError):
    """The service could not be reached."""


class AbortedError(ClawdforgeError):
    """Kept to mirror the TS tree. In Python a cancelled call raises asyncio.CancelledError, as asyncio code expects."""


class InvalidResponseError(ClawdforgeError):
    """The answer was not what the service documents."""


_BY_CLIENT_CODE: dict[str, type[ClawdforgeError]] = {
    "network_error": APIConnectionError,
    "timeout": APITimeoutError,
    "aborted": AbortedError,
    "invalid_response": InvalidResponseError,
}

_BY_STATUS: dict[int, type[ClawdforgeError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: APITimeoutError,
    409: ConflictError,
    429: RateLimitError,
    503: UnavailableError,
    504: APITimeoutError,
}


def error_for(
    code: str,
    message: str,
    *,
    status: int = 0,
    request_id: str | None = None,
    retry_after: float | None = None,
) -> ClawdforgeError:
    """The exception of the right class: a client code by itself, a service code by its HTTP status."""
    kind = _BY_CLIENT_CODE.get(code) or _BY_STATUS.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else BadRequestError if status >= 400 else ClawdforgeError
    return kind(code, message, status=status, request_id=request_id, retry_after=retry_after)
