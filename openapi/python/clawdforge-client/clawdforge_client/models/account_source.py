from enum import StrEnum


class AccountSource(StrEnum):
    CLI = "cli"
    CONFIG = "config"

    def __str__(self) -> str:
        return str(self.value)
