from enum import StrEnum


class HealthClaudeAuthMethod(StrEnum):
    API_KEY = "api_key"
    NONE = "none"
    OAUTH_TOKEN = "oauth_token"
    SUBSCRIPTION_LOGIN = "subscription_login"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
