from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeletedSession")


@_attrs_define
class DeletedSession:
    """
    Attributes:
        ok (bool):
        session_id (str):
    """

    ok: bool
    session_id: str

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        session_id = self.session_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "session_id": session_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        session_id = d.pop("session_id")

        deleted_session = cls(
            ok=ok,
            session_id=session_id,
        )

        return deleted_session
