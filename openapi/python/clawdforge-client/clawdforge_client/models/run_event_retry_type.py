from enum import StrEnum


class RunEventRetryType(StrEnum):
    RETRY = "retry"

    def __str__(self) -> str:
        return str(self.value)
