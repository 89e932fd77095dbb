from enum import StrEnum


class RunEventTextType(StrEnum):
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
