from enum import StrEnum


class RunEventQueuedType(StrEnum):
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
