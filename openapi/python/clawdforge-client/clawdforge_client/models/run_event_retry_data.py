from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RunEventRetryData")


@_attrs_define
class RunEventRetryData:
    """
    Attributes:
        attempt (int | None):
        status (int | None):
        delay_ms (int | None):
    """

    attempt: int | None
    status: int | None
    delay_ms: int | None

    def to_dict(self) -> dict[str, Any]:
        attempt: int | None
        attempt = self.attempt

        status: int | None
        status = self.status

        delay_ms: int | None
        delay_ms = self.delay_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempt": attempt,
                "status": status,
                "delay_ms": delay_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_attempt(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        attempt = _parse_attempt(d.pop("attempt"))

        def _parse_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status = _parse_status(d.pop("status"))

        def _parse_delay_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        delay_ms = _parse_delay_ms(d.pop("delay_ms"))

        run_event_retry_data = cls(
            attempt=attempt,
            status=status,
            delay_ms=delay_ms,
        )

        return run_event_retry_data
