from enum import StrEnum


class RunEventStartedType(StrEnum):
    STARTED = "started"

    def __str__(self) -> str:
        return str(self.value)
