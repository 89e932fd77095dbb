from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.health_claude_auth_method import HealthClaudeAuthMethod
from ..models.health_db import HealthDb

T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Attributes:
        ok (bool):
        claude_present (bool):
        claude_version (None | str):
        claude_logged_in (bool | None):
        claude_auth_method (HealthClaudeAuthMethod):
        db (HealthDb):
        uptime_s (float):
    """

    ok: bool
    claude_present: bool
    claude_version: None | str
    claude_logged_in: bool | None
    claude_auth_method: HealthClaudeAuthMethod
    db: HealthDb
    uptime_s: float

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        claude_present = self.claude_present

        claude_version: None | str
        claude_version = self.claude_version

        claude_logged_in: bool | None
        claude_logged_in = self.claude_logged_in

        claude_auth_method = self.claude_auth_method.value

        db = self.db.value

        uptime_s = self.uptime_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "claude_present": claude_present,
                "claude_version": claude_version,
                "claude_logged_in": claude_logged_in,
                "claude_auth_method": claude_auth_method,
                "db": db,
                "uptime_s": uptime_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        claude_present = d.pop("claude_present")

        def _parse_claude_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        claude_version = _parse_claude_version(d.pop("claude_version"))

        def _parse_claude_logged_in(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        claude_logged_in = _parse_claude_logged_in(d.pop("claude_logged_in"))

        claude_auth_method = HealthClaudeAuthMethod(d.pop("claude_auth_method"))

        db = HealthDb(d.pop("db"))

        uptime_s = d.pop("uptime_s")

        health = cls(
            ok=ok,
            claude_present=claude_present,
            claude_version=claude_version,
            claude_logged_in=claude_logged_in,
            claude_auth_method=claude_auth_method,
            db=db,
            uptime_s=uptime_s,
        )

        return health
