from enum import StrEnum


class AdminActionAction(StrEnum):
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"

    def __str__(self) -> str:
        return str(self.value)
