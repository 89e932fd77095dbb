from enum import StrEnum


class AccountState(StrEnum):
    COOLING = "cooling"
    DISABLED = "disabled"
    LOGGED_OUT = "logged_out"
    MISCONFIGURED = "misconfigured"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
