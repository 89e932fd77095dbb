from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.run_detail_status import RunDetailStatus

T = TypeVar("T", bound="RunDetail")


@_attrs_define
class RunDetail:
    """
    Attributes:
        run_id (str):
        app (str):
        model (str):
        status (RunDetailStatus):
        error_code (None | str):
        exit_code (int | None):
        stop_reason (None | str):
        session_id (None | str):
        turn (int | None):
        account (None | str):
        failover_from (None | str):
        prompt_chars (int):
        system_chars (int):
        file_count (int):
        response_chars (int | None):
        input_tokens (int | None):
        output_tokens (int | None):
        cost_usd (float | None):
        queue_wait_ms (int):
        duration_ms (int):
        created_at (datetime.datetime):
        request_id (None | str):
        prompt (None | str): Null when AUDIT_PROMPTS=off.
        error_message (None | str): What the caller was told when the run failed (the error envelope's message); null
            when it answered.
    """

    run_id: str
    app: str
    model: str
    status: RunDetailStatus
    error_code: None | str
    exit_code: int | None
    stop_reason: None | str
    session_id: None | str
    turn: int | None
    account: None | str
    failover_from: None | str
    prompt_chars: int
    system_chars: int
    file_count: int
    response_chars: int | None
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    queue_wait_ms: int
    duration_ms: int
    created_at: datetime.datetime
    request_id: None | str
    prompt: None | str
    error_message: None | str

    def to_dict(self) -> dict[str, Any]:
        run_id = self.run_id

        app = self.app

        model = self.model

        status = self.status.value

        error_code: None | str
        error_code = self.error_code

        exit_code: int | None
        exit_code = self.exit_code

        stop_reason: None | str
        stop_reason = self.stop_reason

        session_id: None | str
        session_id = self.session_id

        turn: int | None
        turn = self.turn

        account: None | str
        account = self.account

        failover_from: None | str
        failover_from = self.failover_from

        prompt_chars = self.prompt_chars

        system_chars = self.system_chars

        file_count = self.file_count

        response_chars: int | None
        response_chars = self.response_chars

        input_tokens: int | None
        input_tokens = self.input_tokens

        output_tokens: int | None
        output_tokens = self.output_tokens

        cost_usd: float | None
        cost_usd = self.cost_usd

        queue_wait_ms = self.queue_wait_ms

        duration_ms = self.duration_ms

        created_at = self.created_at.isoformat()

        request_id: None | str
        request_id = self.request_id

        prompt: None | str
        prompt = self.prompt

        error_message: None | str
        error_message = self.error_message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "run_id": run_id,
                "app": app,
                "model": model,
                "status": status,
                "error_code": error_code,
                "exit_code": exit_code,
                "stop_reason": stop_reason,
                "session_id": session_id,
                "turn": turn,
                "account": account,
                "failover_from": failover_from,
                "prompt_chars": prompt_chars,
                "system_chars": system_chars,
                "file_count": file_count,
                "response_chars": response_chars,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cost_usd": cost_usd,
                "queue_wait_ms": queue_wait_ms,
                "duration_ms": duration_ms,
                "created_at": created_at,
                "request_id": request_id,
                "prompt": prompt,
                "error_message": error_message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        run_id = d.pop("run_id")

        app = d.pop("app")

        model = d.pop("model")

        status = RunDetailStatus(d.pop("status"))

        def _parse_error_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_code = _parse_error_code(d.pop("error_code"))

        def _parse_exit_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_code = _parse_exit_code(d.pop("exit_code"))

        def _parse_stop_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stop_reason = _parse_stop_reason(d.pop("stop_reason"))

        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))

        def _parse_turn(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        turn = _parse_turn(d.pop("turn"))

        def _parse_account(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account = _parse_account(d.pop("account"))

        def _parse_failover_from(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failover_from = _parse_failover_from(d.pop("failover_from"))

        prompt_chars = d.pop("prompt_chars")

        system_chars = d.pop("system_chars")

        file_count = d.pop("file_count")

        def _parse_response_chars(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_chars = _parse_response_chars(d.pop("response_chars"))

        def _parse_input_tokens(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        input_tokens = _parse_input_tokens(d.pop("input_tokens"))

        def _parse_output_tokens(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        output_tokens = _parse_output_tokens(d.pop("output_tokens"))

        def _parse_cost_usd(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        queue_wait_ms = d.pop("queue_wait_ms")

        duration_ms = d.pop("duration_ms")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))

        run_detail = cls(
            run_id=run_id,
            app=app,
            model=model,
            status=status,
            error_code=error_code,
            exit_code=exit_code,
            stop_reason=stop_reason,
            session_id=session_id,
            turn=turn,
            account=account,
            failover_from=failover_from,
            prompt_chars=prompt_chars,
            system_chars=system_chars,
            file_count=file_count,
            response_chars=response_chars,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=cost_usd,
            queue_wait_ms=queue_wait_ms,
            duration_ms=duration_ms,
            created_at=created_at,
            request_id=request_id,
            prompt=prompt,
            error_message=error_message,
        )

        return run_detail
