from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_delivery_status import WebhookDeliveryStatus
from ..models.webhook_delivery_type import WebhookDeliveryType

T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """
    Attributes:
        id (str):
        app (str):
        type_ (WebhookDeliveryType):
        run_id (str):
        url (str):
        status (WebhookDeliveryStatus):
        attempts (int):
        next_attempt_at (None | str):
        last_status (int | None):
        last_error (None | str):
        created_at (str):
        delivered_at (None | str):
    """

    id: str
    app: str
    type_: WebhookDeliveryType
    run_id: str
    url: str
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: None | str
    last_status: int | None
    last_error: None | str
    created_at: str
    delivered_at: None | str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        app = self.app

        type_ = self.type_.value

        run_id = self.run_id

        url = self.url

        status = self.status.value

        attempts = self.attempts

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        last_status: int | None
        last_status = self.last_status

        last_error: None | str
        last_error = self.last_error

        created_at = self.created_at

        delivered_at: None | str
        delivered_at = self.delivered_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "app": app,
                "type": type_,
                "run_id": run_id,
                "url": url,
                "status": status,
                "attempts": attempts,
                "next_attempt_at": next_attempt_at,
                "last_status": last_status,
                "last_error": last_error,
                "created_at": created_at,
                "delivered_at": delivered_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        app = d.pop("app")

        type_ = WebhookDeliveryType(d.pop("type"))

        run_id = d.pop("run_id")

        url = d.pop("url")

        status = WebhookDeliveryStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_last_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status = _parse_last_status(d.pop("last_status"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        created_at = d.pop("created_at")

        def _parse_delivered_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))

        webhook_delivery = cls(
            id=id,
            app=app,
            type_=type_,
            run_id=run_id,
            url=url,
            status=status,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_status=last_status,
            last_error=last_error,
            created_at=created_at,
            delivered_at=delivered_at,
        )

        return webhook_delivery
