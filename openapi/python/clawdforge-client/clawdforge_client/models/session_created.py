from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionCreated")


@_attrs_define
class SessionCreated:
    """
    Attributes:
        session_id (str):
        expires_at (datetime.datetime):
    """

    session_id: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "session_id": session_id,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        session_created = cls(
            session_id=session_id,
            expires_at=expires_at,
        )

        return session_created
