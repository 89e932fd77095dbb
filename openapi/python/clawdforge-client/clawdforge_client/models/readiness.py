from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.readiness_db import ReadinessDb

if TYPE_CHECKING:
    from ..models.account_readiness import AccountReadiness
    from ..models.readiness_last_auth_failure_type_0 import ReadinessLastAuthFailureType0


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """
    Attributes:
        ready (bool):
        db (ReadinessDb):
        claude_present (bool):
        claude_logged_in (bool | None):
        last_auth_failure (None | ReadinessLastAuthFailureType0):
        accounts (list[AccountReadiness]):
    """

    ready: bool
    db: ReadinessDb
    claude_present: bool
    claude_logged_in: bool | None
    last_auth_failure: None | ReadinessLastAuthFailureType0
    accounts: list[AccountReadiness]

    def to_dict(self) -> dict[str, Any]:
        from ..models.readiness_last_auth_failure_type_0 import ReadinessLastAuthFailureType0  # noqa: PLC0415

        ready = self.ready

        db = self.db.value

        claude_present = self.claude_present

        claude_logged_in: bool | None
        claude_logged_in = self.claude_logged_in

        last_auth_failure: dict[str, Any] | None
        if isinstance(self.last_auth_failure, ReadinessLastAuthFailureType0):
            last_auth_failure = self.last_auth_failure.to_dict()
        else:
            last_auth_failure = self.last_auth_failure

        accounts = []
        for accounts_item_data in self.accounts:
            accounts_item = accounts_item_data.to_dict()
            accounts.append(accounts_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ready": ready,
                "db": db,
                "claude_present": claude_present,
                "claude_logged_in": claude_logged_in,
                "last_auth_failure": last_auth_failure,
                "accounts": accounts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_readiness import AccountReadiness  # noqa: PLC0415
        from ..models.readiness_last_auth_failure_type_0 import ReadinessLastAuthFailureType0  # noqa: PLC0415

        d = dict(src_dict)
        ready = d.pop("ready")

        db = ReadinessDb(d.pop("db"))

        claude_present = d.pop("claude_present")

        def _parse_claude_logged_in(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        claude_logged_in = _parse_claude_logged_in(d.pop("claude_logged_in"))

        def _parse_last_auth_failure(data: object) -> None | ReadinessLastAuthFailureType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_auth_failure_type_0 = ReadinessLastAuthFailureType0.from_dict(data)

                return last_auth_failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReadinessLastAuthFailureType0, data)

        last_auth_failure = _parse_last_auth_failure(d.pop("last_auth_failure"))

        accounts = []
        _accounts = d.pop("accounts")
        for accounts_item_data in _accounts:
            accounts_item = AccountReadiness.from_dict(accounts_item_data)

            accounts.append(accounts_item)

        readiness = cls(
            ready=ready,
            db=db,
            claude_present=claude_present,
            claude_logged_in=claude_logged_in,
            last_auth_failure=last_auth_failure,
            accounts=accounts,
        )

        return readiness
