from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.async_run_status import AsyncRunStatus

if TYPE_CHECKING:
    from ..models.error_body import ErrorBody
    from ..models.run_response import RunResponse


T = TypeVar("T", bound="AsyncRun")


@_attrs_define
class AsyncRun:
    """
    Attributes:
        run_id (str):
        status (AsyncRunStatus):
        created_at (str):
        finished_at (None | str):
        result (None | RunResponse):
        error (ErrorBody | None):
    """

    run_id: str
    status: AsyncRunStatus
    created_at: str
    finished_at: None | str
    result: None | RunResponse
    error: ErrorBody | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_body import ErrorBody  # noqa: PLC0415
        from ..models.run_response import RunResponse  # noqa: PLC0415

        run_id = self.run_id

        status = self.status.value

        created_at = self.created_at

        finished_at: None | str
        finished_at = self.finished_at

        result: dict[str, Any] | None
        if isinstance(self.result, RunResponse):
            result = self.result.to_dict()
        else:
            result = self.result

        error: dict[str, Any] | None
        if isinstance(self.error, ErrorBody):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "run_id": run_id,
                "status": status,
                "created_at": created_at,
                "finished_at": finished_at,
                "result": result,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body import ErrorBody  # noqa: PLC0415
        from ..models.run_response import RunResponse  # noqa: PLC0415

        d = dict(src_dict)
        run_id = d.pop("run_id")

        status = AsyncRunStatus(d.pop("status"))

        created_at = d.pop("created_at")

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_result(data: object) -> None | RunResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_1 = RunResponse.from_dict(data)

                return result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunResponse, data)

        result = _parse_result(d.pop("result"))

        def _parse_error(data: object) -> ErrorBody | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = ErrorBody.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorBody | None, data)

        error = _parse_error(d.pop("error"))

        async_run = cls(
            run_id=run_id,
            status=status,
            created_at=created_at,
            finished_at=finished_at,
            result=result,
            error=error,
        )

        return async_run
