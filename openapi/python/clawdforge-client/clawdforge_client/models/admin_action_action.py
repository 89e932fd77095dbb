from enum import StrEnum


class AdminActionAction(StrEnum):
    ACCOUNT_ADD = "account.add"
    ACCOUNT_DISABLE = "account.disable"
    ACCOUNT_ENABLE = "account.enable"
    ACCOUNT_REMOVE = "account.remove"
    SESSION_SIGN_IN = "session.sign_in"
    SESSION_SIGN_OUT = "session.sign_out"
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    TOKEN_ROTATE = "token.rotate"
    TOKEN_UPDATE = "token.update"
    TOKEN_WEBHOOK_SECRET = "token.webhook_secret"

    def __str__(self) -> str:
        return str(self.value)
