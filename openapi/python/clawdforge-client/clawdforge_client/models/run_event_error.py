from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.run_event_error_type import RunEventErrorType

if TYPE_CHECKING:
    from ..models.error_body import ErrorBody


T = TypeVar("T", bound="RunEventError")


@_attrs_define
class RunEventError:
    """
    Attributes:
        seq (int):
        type_ (RunEventErrorType):
        data (ErrorBody):
    """

    seq: int
    type_: RunEventErrorType
    data: ErrorBody

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
        from ..models.error_body import ErrorBody  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        type_ = RunEventErrorType(d.pop("type"))

        data = ErrorBody.from_dict(d.pop("data"))

        run_event_error = cls(
            seq=seq,
            type_=type_,
            data=data,
        )

        return run_event_error
