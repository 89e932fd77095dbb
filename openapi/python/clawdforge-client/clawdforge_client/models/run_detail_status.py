from enum import StrEnum


class RunDetailStatus(StrEnum):
    CANCELLED = "cancelled"
    ERROR = "error"
    OK = "ok"
    REJECTED = "rejected"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
