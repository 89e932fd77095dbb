from enum import StrEnum


class UsageGroupBy(StrEnum):
    APP = "app"
    DAY = "day"
    MODEL = "model"

    def __str__(self) -> str:
        return str(self.value)
