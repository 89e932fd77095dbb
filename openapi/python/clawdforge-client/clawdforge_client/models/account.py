from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.account_source import AccountSource
from ..models.account_state import AccountState
from ..models.account_type import AccountType

if TYPE_CHECKING:
    from ..models.last_rate_limit import LastRateLimit


T = TypeVar("T", bound="Account")


@_attrs_define
class Account:
    """
    Attributes:
        name (str):
        type_ (AccountType):
        source (AccountSource):
        priority (int):
        max_concurrent (int | None):
        state (AccountState):
        reason (None | str):
        cooling_until (datetime.datetime | None):
        running (int):
        last_rate_limit (LastRateLimit | None):
        created_at (datetime.datetime):
    """

    name: str
    type_: AccountType
    source: AccountSource
    priority: int
    max_concurrent: int | None
    state: AccountState
    reason: None | str
    cooling_until: datetime.datetime | None
    running: int
    last_rate_limit: LastRateLimit | None
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        from ..models.last_rate_limit import LastRateLimit  # noqa: PLC0415

        name = self.name

        type_ = self.type_.value

        source = self.source.value

        priority = self.priority

        max_concurrent: int | None
        max_concurrent = self.max_concurrent

        state = self.state.value

        reason: None | str
        reason = self.reason

        cooling_until: None | str
        if isinstance(self.cooling_until, datetime.datetime):
            cooling_until = self.cooling_until.isoformat()
        else:
            cooling_until = self.cooling_until

        running = self.running

        last_rate_limit: dict[str, Any] | None
        if isinstance(self.last_rate_limit, LastRateLimit):
            last_rate_limit = self.last_rate_limit.to_dict()
        else:
            last_rate_limit = self.last_rate_limit

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
                "source": source,
                "priority": priority,
                "max_concurrent": max_concurrent,
                "state": state,
                "reason": reason,
                "cooling_until": cooling_until,
                "running": running,
                "last_rate_limit": last_rate_limit,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.last_rate_limit import LastRateLimit  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        type_ = AccountType(d.pop("type"))

        source = AccountSource(d.pop("source"))

        priority = d.pop("priority")

        def _parse_max_concurrent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_concurrent = _parse_max_concurrent(d.pop("max_concurrent"))

        state = AccountState(d.pop("state"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_cooling_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cooling_until_type_0 = datetime.datetime.fromisoformat(data)

                return cooling_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cooling_until = _parse_cooling_until(d.pop("cooling_until"))

        running = d.pop("running")

        def _parse_last_rate_limit(data: object) -> LastRateLimit | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_rate_limit_type_1 = LastRateLimit.from_dict(data)

                return last_rate_limit_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LastRateLimit | None, data)

        last_rate_limit = _parse_last_rate_limit(d.pop("last_rate_limit"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        account = cls(
            name=name,
            type_=type_,
            source=source,
            priority=priority,
            max_concurrent=max_concurrent,
            state=state,
            reason=reason,
            cooling_until=cooling_until,
            running=running,
            last_rate_limit=last_rate_limit,
            created_at=created_at,
        )

        return account
