from enum import StrEnum


class AsyncRunStatus(StrEnum):
    CANCELLED = "cancelled"
    ERROR = "error"
    OK = "ok"
    QUEUED = "queued"
    REJECTED = "rejected"
    RUNNING = "running"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
