from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.error_body_error_code import ErrorBodyErrorCode

T = TypeVar("T", bound="ErrorBodyError")


@_attrs_define
class ErrorBodyError:
    """
    Attributes:
        code (ErrorBodyErrorCode):
        message (str):
    """

    code: ErrorBodyErrorCode
    message: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = ErrorBodyErrorCode(d.pop("code"))

        message = d.pop("message")

        error_body_error = cls(
            code=code,
            message=message,
        )

        return error_body_error
