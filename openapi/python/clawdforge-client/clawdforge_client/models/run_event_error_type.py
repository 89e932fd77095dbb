from enum import StrEnum


class RunEventErrorType(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
