from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.async_run_accepted_status import AsyncRunAcceptedStatus

T = TypeVar("T", bound="AsyncRunAccepted")


@_attrs_define
class AsyncRunAccepted:
    """
    Attributes:
        run_id (str):
        status (AsyncRunAcceptedStatus):
        status_url (str):
        events_url (str):
    """

    run_id: str
    status: AsyncRunAcceptedStatus
    status_url: str
    events_url: str

    def to_dict(self) -> dict[str, Any]:
        run_id = self.run_id

        status = self.status.value

        status_url = self.status_url

        events_url = self.events_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "run_id": run_id,
                "status": status,
                "status_url": status_url,
                "events_url": events_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        run_id = d.pop("run_id")

        status = AsyncRunAcceptedStatus(d.pop("status"))

        status_url = d.pop("status_url")

        events_url = d.pop("events_url")

        async_run_accepted = cls(
            run_id=run_id,
            status=status,
            status_url=status_url,
            events_url=events_url,
        )

        return async_run_accepted
