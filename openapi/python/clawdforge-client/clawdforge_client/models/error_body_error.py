from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.error_body_error_code import ErrorBodyErrorCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorBodyError")


@_attrs_define
class ErrorBodyError:
    """
    Attributes:
        code (ErrorBodyErrorCode):
        message (str):
        request_id (str | Unset):
    """

    code: ErrorBodyErrorCode
    message: str
    request_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        request_id = self.request_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = ErrorBodyErrorCode(d.pop("code"))

        message = d.pop("message")

        request_id = d.pop("request_id", UNSET)

        error_body_error = cls(
            code=code,
            message=message,
            request_id=request_id,
        )

        return error_body_error
