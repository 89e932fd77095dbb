from enum import StrEnum


class RunEventResultType(StrEnum):
    RESULT = "result"

    def __str__(self) -> str:
        return str(self.value)
