from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ForkSessionBody")


@_attrs_define
class ForkSessionBody:
    """
    Attributes:
        ttl_secs (int | Unset): The fork's own TTL; the origin's by default.
    """

    ttl_secs: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ttl_secs = self.ttl_secs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ttl_secs is not UNSET:
            field_dict["ttl_secs"] = ttl_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ttl_secs = d.pop("ttl_secs", UNSET)

        fork_session_body = cls(
            ttl_secs=ttl_secs,
        )

        return fork_session_body
