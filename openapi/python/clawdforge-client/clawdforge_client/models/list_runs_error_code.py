from enum import StrEnum


class ListRunsErrorCode(StrEnum):
    ADMIN_DISABLED = "admin_disabled"
    CLAUDE_ERROR = "claude_error"
    CLAUDE_NOT_AUTHENTICATED = "claude_not_authenticated"
    CLAUDE_OVERLOADED = "claude_overloaded"
    CLAUDE_RATE_LIMITED = "claude_rate_limited"
    CLAUDE_STALLED = "claude_stalled"
    CLAUDE_TIMEOUT = "claude_timeout"
    CLAUDE_UNAVAILABLE = "claude_unavailable"
    CONFLICT = "conflict"
    FILE_NOT_FOUND = "file_not_found"
    FORBIDDEN_IP = "forbidden_ip"
    HEADERS_TOO_LARGE = "headers_too_large"
    INTERNAL = "internal"
    INVALID_REQUEST = "invalid_request"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    MODEL_NOT_ALLOWED = "model_not_allowed"
    NOT_FOUND = "not_found"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    QUEUE_FULL = "queue_full"
    QUOTA_EXCEEDED = "quota_exceeded"
    REQUEST_TIMEOUT = "request_timeout"
    RUN_LIMIT_REACHED = "run_limit_reached"
    SCHEMA_NOT_SATISFIED = "schema_not_satisfied"
    SERVER_BUSY = "server_busy"
    SHUTTING_DOWN = "shutting_down"
    STORAGE_FULL = "storage_full"
    STORAGE_QUOTA_EXCEEDED = "storage_quota_exceeded"
    TIMEOUT_NOT_ALLOWED = "timeout_not_allowed"
    TOOL_NOT_ALLOWED = "tool_not_allowed"
    UNAUTHORIZED = "unauthorized"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

    def __str__(self) -> str:
        return str(self.value)
