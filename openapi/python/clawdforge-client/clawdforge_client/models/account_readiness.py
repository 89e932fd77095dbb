from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.account_readiness_state import AccountReadinessState

T = TypeVar("T", bound="AccountReadiness")


@_attrs_define
class AccountReadiness:
    """
    Attributes:
        name (str):
        state (AccountReadinessState):
        until (datetime.datetime | None):
    """

    name: str
    state: AccountReadinessState
    until: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        state = self.state.value

        until: None | str
        if isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "state": state,
                "until": until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        state = AccountReadinessState(d.pop("state"))

        def _parse_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.datetime.fromisoformat(data)

                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        until = _parse_until(d.pop("until"))

        account_readiness = cls(
            name=name,
            state=state,
            until=until,
        )

        return account_readiness
