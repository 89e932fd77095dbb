from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RotatedToken")


@_attrs_define
class RotatedToken:
    """
    Attributes:
        name (str):
        token (str):
        previous_token_expires_at (datetime.datetime | None):
    """

    name: str
    token: str
    previous_token_expires_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        token = self.token

        previous_token_expires_at: None | str
        if isinstance(self.previous_token_expires_at, datetime.datetime):
            previous_token_expires_at = self.previous_token_expires_at.isoformat()
        else:
            previous_token_expires_at = self.previous_token_expires_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "token": token,
                "previous_token_expires_at": previous_token_expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        token = d.pop("token")

        def _parse_previous_token_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_token_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_token_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_token_expires_at = _parse_previous_token_expires_at(d.pop("previous_token_expires_at"))

        rotated_token = cls(
            name=name,
            token=token,
            previous_token_expires_at=previous_token_expires_at,
        )

        return rotated_token
