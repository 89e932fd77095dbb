from enum import StrEnum


class WebhookDeliveryType(StrEnum):
    RUN_COMPLETED = "run.completed"
    RUN_FAILED = "run.failed"

    def __str__(self) -> str:
        return str(self.value)
