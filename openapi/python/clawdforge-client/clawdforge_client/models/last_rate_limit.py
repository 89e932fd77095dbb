from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.limit_window import LimitWindow


T = TypeVar("T", bound="LastRateLimit")


@_attrs_define
class LastRateLimit:
    """
    Attributes:
        status (str):
        limit_type (None | str):
        resets_at (datetime.datetime | None):
        five_hour (LimitWindow | None):
        seven_day (LimitWindow | None):
        reported_at (datetime.datetime):
    """

    status: str
    limit_type: None | str
    resets_at: datetime.datetime | None
    five_hour: LimitWindow | None
    seven_day: LimitWindow | None
    reported_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        from ..models.limit_window import LimitWindow  # noqa: PLC0415

        status = self.status

        limit_type: None | str
        limit_type = self.limit_type

        resets_at: None | str
        if isinstance(self.resets_at, datetime.datetime):
            resets_at = self.resets_at.isoformat()
        else:
            resets_at = self.resets_at

        five_hour: dict[str, Any] | None
        if isinstance(self.five_hour, LimitWindow):
            five_hour = self.five_hour.to_dict()
        else:
            five_hour = self.five_hour

        seven_day: dict[str, Any] | None
        if isinstance(self.seven_day, LimitWindow):
            seven_day = self.seven_day.to_dict()
        else:
            seven_day = self.seven_day

        reported_at = self.reported_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "limit_type": limit_type,
                "resets_at": resets_at,
                "five_hour": five_hour,
                "seven_day": seven_day,
                "reported_at": reported_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limit_window import LimitWindow  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        def _parse_limit_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        limit_type = _parse_limit_type(d.pop("limit_type"))

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

        def _parse_five_hour(data: object) -> LimitWindow | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                five_hour_type_1 = LimitWindow.from_dict(data)

                return five_hour_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LimitWindow | None, data)

        five_hour = _parse_five_hour(d.pop("five_hour"))

        def _parse_seven_day(data: object) -> LimitWindow | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seven_day_type_1 = LimitWindow.from_dict(data)

                return seven_day_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LimitWindow | None, data)

        seven_day = _parse_seven_day(d.pop("seven_day"))

        reported_at = datetime.datetime.fromisoformat(d.pop("reported_at"))

        last_rate_limit = cls(
            status=status,
            limit_type=limit_type,
            resets_at=resets_at,
            five_hour=five_hour,
            seven_day=seven_day,
            reported_at=reported_at,
        )

        return last_rate_limit
