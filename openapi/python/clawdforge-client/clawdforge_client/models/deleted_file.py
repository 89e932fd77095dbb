from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeletedFile")


@_attrs_define
class DeletedFile:
    """
    Attributes:
        ok (bool):
        file_token (str):
    """

    ok: bool
    file_token: str

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        file_token = self.file_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "file_token": file_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        file_token = d.pop("file_token")

        deleted_file = cls(
            ok=ok,
            file_token=file_token,
        )

        return deleted_file
