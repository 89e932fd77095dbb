from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.session_usage import SessionUsage


T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """
    Attributes:
        session_id (str):
        model (str):
        tools (list[str]):
        structured (bool):
        forked_from (None | str):
        ttl_secs (int):
        created_at (datetime.datetime):
        last_activity_at (datetime.datetime):
        expires_at (datetime.datetime):
        turns (int):
        busy (bool):
        usage (SessionUsage):
        cost_usd (float):
    """

    session_id: str
    model: str
    tools: list[str]
    structured: bool
    forked_from: None | str
    ttl_secs: int
    created_at: datetime.datetime
    last_activity_at: datetime.datetime
    expires_at: datetime.datetime
    turns: int
    busy: bool
    usage: SessionUsage
    cost_usd: float

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        model = self.model

        tools = self.tools

        structured = self.structured

        forked_from: None | str
        forked_from = self.forked_from

        ttl_secs = self.ttl_secs

        created_at = self.created_at.isoformat()

        last_activity_at = self.last_activity_at.isoformat()

        expires_at = self.expires_at.isoformat()

        turns = self.turns

        busy = self.busy

        usage = self.usage.to_dict()

        cost_usd = self.cost_usd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "session_id": session_id,
                "model": model,
                "tools": tools,
                "structured": structured,
                "forked_from": forked_from,
                "ttl_secs": ttl_secs,
                "created_at": created_at,
                "last_activity_at": last_activity_at,
                "expires_at": expires_at,
                "turns": turns,
                "busy": busy,
                "usage": usage,
                "cost_usd": cost_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_usage import SessionUsage  # noqa: PLC0415

        d = dict(src_dict)
        session_id = d.pop("session_id")

        model = d.pop("model")

        tools = cast(list[str], d.pop("tools"))

        structured = d.pop("structured")

        def _parse_forked_from(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        forked_from = _parse_forked_from(d.pop("forked_from"))

        ttl_secs = d.pop("ttl_secs")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_activity_at = datetime.datetime.fromisoformat(d.pop("last_activity_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        turns = d.pop("turns")

        busy = d.pop("busy")

        usage = SessionUsage.from_dict(d.pop("usage"))

        cost_usd = d.pop("cost_usd")

        session = cls(
            session_id=session_id,
            model=model,
            tools=tools,
            structured=structured,
            forked_from=forked_from,
            ttl_secs=ttl_secs,
            created_at=created_at,
            last_activity_at=last_activity_at,
            expires_at=expires_at,
            turns=turns,
            busy=busy,
            usage=usage,
            cost_usd=cost_usd,
        )

        return session
