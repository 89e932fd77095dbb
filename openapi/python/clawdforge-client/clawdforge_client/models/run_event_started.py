from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.run_event_started_type import RunEventStartedType

if TYPE_CHECKING:
    from ..models.run_event_started_data import RunEventStartedData


T = TypeVar("T", bound="RunEventStarted")


@_attrs_define
class RunEventStarted:
    """
    Attributes:
        seq (int):
        type_ (RunEventStartedType):
        data (RunEventStartedData):
    """

    seq: int
    type_: RunEventStartedType
    data: RunEventStartedData

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
        from ..models.run_event_started_data import RunEventStartedData  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        type_ = RunEventStartedType(d.pop("type"))

        data = RunEventStartedData.from_dict(d.pop("data"))

        run_event_started = cls(
            seq=seq,
            type_=type_,
            data=data,
        )

        return run_event_started
