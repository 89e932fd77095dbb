from enum import StrEnum


class RunEventRateLimitType(StrEnum):
    RATE_LIMIT = "rate_limit"

    def __str__(self) -> str:
        return str(self.value)
