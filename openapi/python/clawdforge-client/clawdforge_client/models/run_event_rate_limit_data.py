from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RunEventRateLimitData")


@_attrs_define
class RunEventRateLimitData:
    """
    Attributes:
        status (str):
        resets_at (int | None):
    """

    status: str
    resets_at: int | None

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        resets_at: int | None
        resets_at = self.resets_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "resets_at": resets_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_resets_at(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        resets_at = _parse_resets_at(d.pop("resets_at"))

        run_event_rate_limit_data = cls(
            status=status,
            resets_at=resets_at,
        )

        return run_event_rate_limit_data
