from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReadinessLastAuthFailureType0")


@_attrs_define
class ReadinessLastAuthFailureType0:
    """
    Attributes:
        at (datetime.datetime):
        message (str):
    """

    at: datetime.datetime
    message: str

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        message = d.pop("message")

        readiness_last_auth_failure_type_0 = cls(
            at=at,
            message=message,
        )

        return readiness_last_auth_failure_type_0
