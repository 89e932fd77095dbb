from enum import StrEnum


class AdminActionAction(StrEnum):
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    TOKEN_ROTATE = "token.rotate"
    TOKEN_UPDATE = "token.update"
    TOKEN_WEBHOOK_SECRET = "token.webhook_secret"

    def __str__(self) -> str:
        return str(self.value)
