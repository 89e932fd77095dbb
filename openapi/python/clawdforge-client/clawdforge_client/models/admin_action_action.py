from enum import StrEnum


class AdminActionAction(StrEnum):
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    TOKEN_ROTATE = "token.rotate"
    TOKEN_UPDATE = "token.update"

    def __str__(self) -> str:
        return str(self.value)
