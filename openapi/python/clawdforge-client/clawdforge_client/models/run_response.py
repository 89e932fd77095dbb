from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.run_response_usage import RunResponseUsage


T = TypeVar("T", bound="RunResponse")


@_attrs_define
class RunResponse:
    """
    Attributes:
        ok (bool):
        result (Any): Any JSON value: the parsed answer, or the answer text when it is not JSON.
        duration_ms (int):
        stop_reason (None | str):
        run_id (str):
        session_id (None | str):
        model (str):
        usage (RunResponseUsage):
        cost_usd (float | None):
    """

    ok: bool
    result: Any
    duration_ms: int
    stop_reason: None | str
    run_id: str
    session_id: None | str
    model: str
    usage: RunResponseUsage
    cost_usd: float | None

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        result = self.result

        duration_ms = self.duration_ms

        stop_reason: None | str
        stop_reason = self.stop_reason

        run_id = self.run_id

        session_id: None | str
        session_id = self.session_id

        model = self.model

        usage = self.usage.to_dict()

        cost_usd: float | None
        cost_usd = self.cost_usd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "result": result,
                "duration_ms": duration_ms,
                "stop_reason": stop_reason,
                "run_id": run_id,
                "session_id": session_id,
                "model": model,
                "usage": usage,
                "cost_usd": cost_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_response_usage import RunResponseUsage  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        result = d.pop("result")

        duration_ms = d.pop("duration_ms")

        def _parse_stop_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stop_reason = _parse_stop_reason(d.pop("stop_reason"))

        run_id = d.pop("run_id")

        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))

        model = d.pop("model")

        usage = RunResponseUsage.from_dict(d.pop("usage"))

        def _parse_cost_usd(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        run_response = cls(
            ok=ok,
            result=result,
            duration_ms=duration_ms,
            stop_reason=stop_reason,
            run_id=run_id,
            session_id=session_id,
            model=model,
            usage=usage,
            cost_usd=cost_usd,
        )

        return run_response
