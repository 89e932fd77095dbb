from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.run_event_result_type import RunEventResultType

if TYPE_CHECKING:
    from ..models.run_response import RunResponse


T = TypeVar("T", bound="RunEventResult")


@_attrs_define
class RunEventResult:
    """
    Attributes:
        seq (int):
        type_ (RunEventResultType):
        data (RunResponse):
    """

    seq: int
    type_: RunEventResultType
    data: RunResponse

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
        from ..models.run_response import RunResponse  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        type_ = RunEventResultType(d.pop("type"))

        data = RunResponse.from_dict(d.pop("data"))

        run_event_result = cls(
            seq=seq,
            type_=type_,
            data=data,
        )

        return run_event_result
