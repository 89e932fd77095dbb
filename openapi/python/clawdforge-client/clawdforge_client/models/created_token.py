from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="CreatedToken")


@_attrs_define
class CreatedToken:
    """
    Attributes:
        name (str):
        token (str):
        ip_cidrs (list[str]):
        created_at (datetime.datetime):
    """

    name: str
    token: str
    ip_cidrs: list[str]
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        token = self.token

        ip_cidrs = self.ip_cidrs

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "token": token,
                "ip_cidrs": ip_cidrs,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        token = d.pop("token")

        ip_cidrs = cast(list[str], d.pop("ip_cidrs"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_token = cls(
            name=name,
            token=token,
            ip_cidrs=ip_cidrs,
            created_at=created_at,
        )

        return created_token
