from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateTokenBody")


@_attrs_define
class CreateTokenBody:
    """
    Attributes:
        name (str):
        ip_cidrs (list[str] | Unset):
    """

    name: str
    ip_cidrs: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        ip_cidrs: list[str] | Unset = UNSET
        if not isinstance(self.ip_cidrs, Unset):
            ip_cidrs = self.ip_cidrs

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if ip_cidrs is not UNSET:
            field_dict["ip_cidrs"] = ip_cidrs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        ip_cidrs = cast(list[str], d.pop("ip_cidrs", UNSET))

        create_token_body = cls(
            name=name,
            ip_cidrs=ip_cidrs,
        )

        return create_token_body
