from enum import StrEnum


class RunEventToolType(StrEnum):
    TOOL = "tool"

    def __str__(self) -> str:
        return str(self.value)
