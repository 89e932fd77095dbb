from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.usage_report_groups_item_errors import UsageReportGroupsItemErrors


T = TypeVar("T", bound="UsageReportGroupsItem")


@_attrs_define
class UsageReportGroupsItem:
    """
    Attributes:
        key (str):
        runs (int):
        ok (int):
        errors (UsageReportGroupsItemErrors):
        duration_ms_p50 (int | None):
        duration_ms_p95 (int | None):
        queue_wait_ms_p95 (int | None):
        prompt_chars (int):
        response_chars (int):
        input_tokens (int):
        output_tokens (int):
        cost_usd (float):
    """

    key: str
    runs: int
    ok: int
    errors: UsageReportGroupsItemErrors
    duration_ms_p50: int | None
    duration_ms_p95: int | None
    queue_wait_ms_p95: int | None
    prompt_chars: int
    response_chars: int
    input_tokens: int
    output_tokens: int
    cost_usd: float

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        runs = self.runs

        ok = self.ok

        errors = self.errors.to_dict()

        duration_ms_p50: int | None
        duration_ms_p50 = self.duration_ms_p50

        duration_ms_p95: int | None
        duration_ms_p95 = self.duration_ms_p95

        queue_wait_ms_p95: int | None
        queue_wait_ms_p95 = self.queue_wait_ms_p95

        prompt_chars = self.prompt_chars

        response_chars = self.response_chars

        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        cost_usd = self.cost_usd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "runs": runs,
                "ok": ok,
                "errors": errors,
                "duration_ms_p50": duration_ms_p50,
                "duration_ms_p95": duration_ms_p95,
                "queue_wait_ms_p95": queue_wait_ms_p95,
                "prompt_chars": prompt_chars,
                "response_chars": response_chars,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cost_usd": cost_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_report_groups_item_errors import UsageReportGroupsItemErrors  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        runs = d.pop("runs")

        ok = d.pop("ok")

        errors = UsageReportGroupsItemErrors.from_dict(d.pop("errors"))

        def _parse_duration_ms_p50(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms_p50 = _parse_duration_ms_p50(d.pop("duration_ms_p50"))

        def _parse_duration_ms_p95(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms_p95 = _parse_duration_ms_p95(d.pop("duration_ms_p95"))

        def _parse_queue_wait_ms_p95(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        queue_wait_ms_p95 = _parse_queue_wait_ms_p95(d.pop("queue_wait_ms_p95"))

        prompt_chars = d.pop("prompt_chars")

        response_chars = d.pop("response_chars")

        input_tokens = d.pop("input_tokens")

        output_tokens = d.pop("output_tokens")

        cost_usd = d.pop("cost_usd")

        usage_report_groups_item = cls(
            key=key,
            runs=runs,
            ok=ok,
            errors=errors,
            duration_ms_p50=duration_ms_p50,
            duration_ms_p95=duration_ms_p95,
            queue_wait_ms_p95=queue_wait_ms_p95,
            prompt_chars=prompt_chars,
            response_chars=response_chars,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=cost_usd,
        )

        return usage_report_groups_item
