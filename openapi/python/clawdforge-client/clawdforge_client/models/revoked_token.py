from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RevokedToken")


@_attrs_define
class RevokedToken:
    """
    Attributes:
        ok (bool):
        name (str):
    """

    ok: bool
    name: str

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        name = d.pop("name")

        revoked_token = cls(
            ok=ok,
            name=name,
        )

        return revoked_token
