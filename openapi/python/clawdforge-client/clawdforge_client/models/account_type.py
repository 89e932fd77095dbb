from enum import StrEnum


class AccountType(StrEnum):
    API_KEY = "api_key"
    CONFIG_DIR = "config_dir"
    OAUTH_TOKEN = "oauth_token"

    def __str__(self) -> str:
        return str(self.value)
