from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_body_error import ErrorBodyError


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """
    Attributes:
        ok (bool):
        error (ErrorBodyError):
    """

    ok: bool
    error: ErrorBodyError

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        error = self.error.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body_error import ErrorBodyError  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        error = ErrorBodyError.from_dict(d.pop("error"))

        error_body = cls(
            ok=ok,
            error=error,
        )

        return error_body
