from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.run_event_retry_type import RunEventRetryType

if TYPE_CHECKING:
    from ..models.run_event_retry_data import RunEventRetryData


T = TypeVar("T", bound="RunEventRetry")


@_attrs_define
class RunEventRetry:
    """
    Attributes:
        seq (int):
        type_ (RunEventRetryType):
        data (RunEventRetryData):
    """

    seq: int
    type_: RunEventRetryType
    data: RunEventRetryData

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        type_ = self.type_.value

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seq": seq,
                "type": type_,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_event_retry_data import RunEventRetryData  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        type_ = RunEventRetryType(d.pop("type"))

        data = RunEventRetryData.from_dict(d.pop("data"))

        run_event_retry = cls(
            seq=seq,
            type_=type_,
            data=data,
        )

        return run_event_retry
