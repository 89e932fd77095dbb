from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotateTokenBody")


@_attrs_define
class RotateTokenBody:
    """
    Attributes:
        grace_secs (int | Unset):  Default: 0.
    """

    grace_secs: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        grace_secs = self.grace_secs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grace_secs is not UNSET:
            field_dict["grace_secs"] = grace_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grace_secs = d.pop("grace_secs", UNSET)

        rotate_token_body = cls(
            grace_secs=grace_secs,
        )

        return rotate_token_body
