from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WebhookSecret")


@_attrs_define
class WebhookSecret:
    """
    Attributes:
        name (str):
        webhook_secret (str):
    """

    name: str
    webhook_secret: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        webhook_secret = self.webhook_secret

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "webhook_secret": webhook_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        webhook_secret = d.pop("webhook_secret")

        webhook_secret = cls(
            name=name,
            webhook_secret=webhook_secret,
        )

        return webhook_secret
