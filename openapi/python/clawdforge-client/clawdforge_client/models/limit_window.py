from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="LimitWindow")


@_attrs_define
class LimitWindow:
    """
    Attributes:
        utilization (float | None):
        resets_at (datetime.datetime | None):
    """

    utilization: float | None
    resets_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        utilization: float | None
        utilization = self.utilization

        resets_at: None | str
        if isinstance(self.resets_at, datetime.datetime):
            resets_at = self.resets_at.isoformat()
        else:
            resets_at = self.resets_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "utilization": utilization,
                "resets_at": resets_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_utilization(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        utilization = _parse_utilization(d.pop("utilization"))

        def _parse_resets_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resets_at_type_0 = datetime.datetime.fromisoformat(data)

                return resets_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resets_at = _parse_resets_at(d.pop("resets_at"))

        limit_window = cls(
            utilization=utilization,
            resets_at=resets_at,
        )

        return limit_window
